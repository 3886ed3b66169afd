package io.backhand.node;

import java.util.List;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jetty methods Backhand calls by name exist in the Jetty it is built against, and a container that lacks
 * them is named at start rather than guessed at in silence.
 */
class JettyReachTest
{
    @Test
    void everyMethodReachedByNameExistsInThisJetty() throws Exception
    {
        for (JettyReach r : JettyReach.ALL)
        {
            Class<?> type = Class.forName(r.type());
            assertNotNull(r.find(type), r.type() + " has no public " + r.method() + " with " + r.parameters()
                + " parameter(s); without it Backhand loses " + r.figure());
        }
    }

    @Test
    void aContextOutsideAServerNamesWhatIsMissing()
    {
        ServletContextHandler context = new ServletContextHandler("/");
        List<String> missing = new JettyContainerProbe(context.getServletContext(), new ContextTraffic()).unavailable();
        assertEquals(2, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("max workers (200 assumed)"), missing.toString());
        assertTrue(missing.get(1).contains("HTTP port"), missing.toString());
    }

    @Test
    @Tag("cluster")
    void aRunningJettyGivesEveryFigure() throws Exception
    {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        server.setHandler(new StatisticsHandler(context));
        DefaultSessionIdManager sessions = new DefaultSessionIdManager(server);
        sessions.setWorkerName("w1");
        server.addBean(sessions);
        server.start();
        try
        {
            JettyContainerProbe probe = new JettyContainerProbe(context.getServletContext(), new ContextTraffic());
            assertEquals(List.of(), probe.unavailable());
            assertEquals(connector.getLocalPort(), probe.httpPort());
            assertEquals("w1", probe.workerName());
            assertTrue(probe.describe().contains("from the server's StatisticsHandler"), probe.describe());
        }
        finally
        {
            server.stop();
        }
    }
}
