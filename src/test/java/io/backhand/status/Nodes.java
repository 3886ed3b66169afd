package io.backhand.status;


import java.lang.reflect.Method;

import io.backhand.cluster.StatsService;
import io.backhand.demo.EmbeddedNode;

/** What the status tests do to nodes beyond their public API. */
final class Nodes
{
    private Nodes()
    {
    }

    /**
     * Stops a node the way a crash does: its announcements simply end, with no "leaving" message, so that
     * peers first mark it stale and later forget it. (A clean stop says goodbye and its row goes at once.)
     * The stats service is reached by reflection because the running Backhand of a context is, rightly,
     * not public API.
     */
    static void crash(EmbeddedNode node) throws Exception
    {
        Object backhand = node.context().getServletContext().getAttribute("io.backhand.node.Backhand");
        if (backhand == null)
            throw new AssertionError("Backhand is not running on " + node.name());
        Method stats = backhand.getClass().getDeclaredMethod("stats");
        stats.setAccessible(true);
        ((StatsService) stats.invoke(backhand)).silence();
        // No graceful phase either: a crash does not wait for open connections to finish.
        node.server().setStopTimeout(0);
        node.close();
    }
}
