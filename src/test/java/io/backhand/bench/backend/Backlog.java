package io.backhand.bench.backend;

import io.backhand.demo.EmbeddedNode;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Gives a node's connectors the same listen backlog as the peers get (nginx {@code backlog=4096}, httpd
 * {@code ListenBacklog 4096}; HAProxy's follows its maxconn). Jetty's default leaves it to the JDK, which asks
 * for 50: an open-loop burst of new connections would then lose SYNs and wait a second for the retry, which
 * measures the backlog setting rather than the server.
 */
public final class Backlog
{
    public static final int SIZE = 4096;

    private Backlog()
    {
    }

    public static void deep(EmbeddedNode node)
    {
        for (Connector c : node.server().getConnectors())
        {
            if (c instanceof ServerConnector sc)
                sc.setAcceptQueueSize(SIZE);
        }
    }
}
