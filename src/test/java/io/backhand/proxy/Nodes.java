package io.backhand.proxy;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Closing;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;

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

    static void closeAll(List<? extends AutoCloseable> closeables)
    {
        Closing.closeAll(closeables);
    }
}
