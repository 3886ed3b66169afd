package io.backhand.proxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.backhand.demo.EmbeddedNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy's settings are the filter's init-params, under the names Jetty's proxy servlet gives them, and
 * they reach the proxy; a value that makes no sense stops the node from starting, with a message that
 * names the parameter and what was expected.
 */
@Tag("cluster")
class ProxySettingsTest
{
    @RegisterExtension
    final StartedNodes nodes = new StartedNodes();
    private EmbeddedNode app;
    private EmbeddedNode balancer;

    private void cluster(String... filterParams) throws Exception
    {
        String cluster = Nodes.newCluster();
        app = Nodes.node("app", cluster).start();
        nodes.add(app);
        balancer = Nodes.balancer(cluster, filterParams);
        nodes.add(0, balancer);
        Nodes.awaitServers(balancer, 2);
    }

    /** The proxy's source ports the application saw for {@code n} requests sent one after the other. */
    private Set<String> backendConnections(int n) throws IOException
    {
        Set<String> ports = new HashSet<>();
        for (int i = 0; i < n; i++)
        {
            RawHttp.Response r = RawHttp.exchange(balancer.port(), "GET", "/echo?i=" + i, List.of("Host: shop.example"), null);
            assertEquals(200, r.status());
            ports.add(r.header("X-Seen-Remote-Port"));
        }
        return ports;
    }

    @Test
    void connectionPoolsOnByDefaultReuseOneBackendConnection() throws Exception
    {
        cluster();
        assertEquals(1, backendConnections(5).size(), "keep-alive to the backend");
    }

    @Test
    void connectionPoolsOffOpensAConnectionPerRequest() throws Exception
    {
        cluster("connectionPools", "off");
        assertEquals(5, backendConnections(5).size(), "one connection per request");
        RawHttp.Response r = RawHttp.exchange(balancer.port(), "GET", "/echo", List.of("Host: shop.example"), null);
        assertTrue(r.bodyText().contains("header Connection: close\n"), r.bodyText());
    }

    @Test
    void connectionPoolsFollowsTheNodeSettingUnlessTheFilterSaysOtherwise() throws Exception
    {
        String cluster = Nodes.newCluster();
        app = Nodes.node("app", cluster).start();
        nodes.add(app);
        balancer = Nodes.node("balancer", cluster).param("backhand.connectionPools", "off").balance(Nodes.BALANCER).start();
        nodes.add(0, balancer);
        Nodes.awaitServers(balancer, 2);
        assertEquals(3, backendConnections(3).size(), "backhand.connectionPools off for the node");
    }

    @Test
    void maxConnectionsReachesJettysClient() throws Exception
    {
        cluster("maxConnections", "1");
        List<CompletableFuture<String>> concurrent = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            concurrent.add(CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return RawHttp.exchange(balancer.port(), "GET", "/echo?work=200", List.of("Host: shop.example"), null)
                        .header("X-Seen-Remote-Port");
                }
                catch (IOException e)
                {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Set<String> ports = new HashSet<>();
        for (CompletableFuture<String> f : concurrent)
            ports.add(f.get());
        assertEquals(1, ports.size(), "four concurrent requests shared the single connection allowed: " + ports);
    }

    @Test
    void aRequestHeadLargerThanMaxRequestHeadersSizeIsA502() throws Exception
    {
        cluster("maxRequestHeadersSize", "1024");
        RawHttp.Response small = RawHttp.exchange(balancer.port(), "GET", "/echo", List.of("Host: shop.example"), null);
        assertEquals(200, small.status());
        RawHttp.Response big = RawHttp.exchange(balancer.port(), "GET", "/echo",
            List.of("Host: shop.example", "X-Big: " + "x".repeat(2000)), null);
        assertEquals(502, big.status(), big.bodyText());
    }

    @Test
    void badValuesStopTheNodeWithAClearMessage() throws Exception
    {
        String pools = Nodes.failureToStart("connectionPools", "sometimes");
        assertTrue(pools.contains("connectionPools") && pools.contains("on or off"), pools);
        String idle = Nodes.failureToStart("idleTimeout", "30s");
        assertTrue(idle.contains("idleTimeout") && idle.contains("whole number"), idle);
        String retries = Nodes.failureToStart("retries", "99");
        assertTrue(retries.contains("retries") && retries.contains("0 to 16"), retries);
        String typo = Nodes.failureToStart("idleTimout", "1000");
        assertTrue(typo.contains("idleTimout") && typo.contains("idleTimeout"), typo);
    }
}
