package io.backhand.proxy;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Closing;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Embedded nodes for the request-path tests: loopback only, multicast pinned to lo with TTL 0, the probe app. */
final class Nodes
{
    /** A chain for a dedicated balancer that never serves itself. */
    static final String BALANCER = "removeSelf\nbyAge 6\nbyRandom\nbyLogWindow\nbyBusyChildren";

    private Nodes()
    {
    }

    /** A node in the cluster announced on {@code multicast}, trusting all of 127.0.0.0/8. */
    static EmbeddedNode.Builder node(String name, String multicast)
    {
        return EmbeddedNode.builder(name)
            .param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8")
            .app(new ProbeApp(name));
    }

    /** A started dedicated balancer named "balancer", its filter given {@code filterParams} as name, value pairs. */
    static EmbeddedNode balancer(String multicast, String... filterParams) throws Exception
    {
        EmbeddedNode.Builder b = node("balancer", multicast).balance(BALANCER);
        for (int i = 0; i < filterParams.length; i += 2)
            b.filterParam(filterParams[i], filterParams[i + 1]);
        return b.start();
    }

    static String newCluster()
    {
        return Net.multicastLine();
    }

    static ProbeApp app(EmbeddedNode node)
    {
        return (ProbeApp) node.app();
    }

    static void awaitServers(EmbeddedNode node, int count)
    {
        Wait.until(Duration.ofSeconds(15), count + " servers in " + node.name() + "'s map",
            () -> Http.json(node.statusUri()).get("servers").size() == count);
    }

    /** The status map's entry for {@code name} as {@code observer} sees it, or null when it is not there. */
    static JsonNode server(EmbeddedNode observer, String name)
    {
        for (JsonNode s : Http.json(observer.statusUri()).get("servers"))
        {
            if (s.get("name").asText().equals(name))
                return s;
        }
        return null;
    }

    /**
     * An application node named "app" with a dedicated balancer in front of it, started before a test class's
     * tests once each sees both, and closed after them.
     */
    static final class AppBehindBalancer implements BeforeAllCallback, AfterAllCallback
    {
        private EmbeddedNode app;
        private EmbeddedNode balancer;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception
        {
            String cluster = newCluster();
            app = node("app", cluster).start();
            balancer = node("balancer", cluster).balance(BALANCER).start();
            awaitServers(balancer, 2);
        }

        @Override
        public void afterAll(ExtensionContext context)
        {
            closeAll(List.of(balancer, app));
        }

        EmbeddedNode app()
        {
            return app;
        }

        EmbeddedNode balancer()
        {
            return balancer;
        }
    }

    /**
     * Starts a balancer whose filter gets {@code param=value}, expects the start to fail, and returns the
     * messages of the whole cause chain, so that a test can check the one that names the parameter.
     */
    static String failureToStart(String param, String value) throws Exception
    {
        EmbeddedNode node = node("misconfigured", newCluster()).balance(BALANCER).filterParam(param, value).build();
        Throwable t;
        try
        {
            t = assertThrows(Throwable.class, node::start, param + "=" + value + " must stop the node");
        }
        finally
        {
            node.close();
        }
        StringBuilder messages = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause())
            messages.append(c.getMessage()).append(" | ");
        return messages.toString();
    }

    static void closeAll(List<? extends AutoCloseable> closeables)
    {
        Closing.closeAll(closeables);
    }
}
