package io.backhand.status;

import io.backhand.demo.EmbeddedNode;
import io.backhand.node.Backhand;

/** What the status tests do to nodes beyond their public API. */
final class Nodes
{
    private Nodes()
    {
    }

    /**
     * Stops a node the way a crash does: its announcements simply end, with no "leaving" message, so that
     * peers first mark it stale and later forget it. (A clean stop says goodbye and its row goes at once.)
     */
    static void crash(EmbeddedNode node) throws Exception
    {
        Backhand.of(node.context().getServletContext()).stats().silence();
        // No graceful phase either: a crash does not wait for open connections to finish.
        node.server().setStopTimeout(0);
        node.close();
    }
}
