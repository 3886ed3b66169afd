package io.backhand.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.backhand.demo.EmbeddedNode;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a client writes in the request line or the Host header, the balancer only ever connects to
 * members of its cluster view. A canary server on loopback, which is no member, counts every connection it
 * receives: it must receive none, whichever way the test asks the balancer to reach it.
 *
 * <p>Absolute-form requests are not refused outright: RFC 9112 (section 3.2.2) makes every server accept
 * them, with the authority taking the place of Host. The balancer treats them exactly so, as a request
 * for that host name that a member serves; and Jetty refuses (400) one whose Host disagrees with it.</p>
 */
@Tag("cluster")
class NoOpenProxyTest
{
    private static EmbeddedNode app;
    private static EmbeddedNode balancer;
    private static ServerSocket canary;
    private static final AtomicInteger CANARY_CONNECTIONS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception
    {
        canary = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() ->
        {
            while (!canary.isClosed())
            {
                try (Socket s = canary.accept())
                {
                    CANARY_CONNECTIONS.incrementAndGet();
                }
                catch (IOException e)
                {
                    // closed at the end of the test
                }
            }
        }, "canary");
        t.setDaemon(true);
        t.start();
        String cluster = Nodes.newCluster();
        app = Nodes.node("app", cluster).start();
        balancer = Nodes.node("balancer", cluster).balance(Nodes.BALANCER).start();
        Nodes.awaitServers(balancer, 2);
    }

    @AfterAll
    static void stop() throws IOException
    {
        Nodes.closeAll(List.of(balancer, app));
        canary.close();
    }

    @AfterEach
    void theCanaryHeardNothing()
    {
        // Every exchange above has been answered, so any connection the balancer made for it is made by now.
        assertEquals(0, CANARY_CONNECTIONS.get(), "the balancer connected to a server outside its cluster");
    }

    private static RawHttp.Response send(String method, String target, String... headers) throws IOException
    {
        return RawHttp.exchange(balancer.port(), method, target, List.of(headers), null);
    }

    private static String canaryAuthority()
    {
        return "127.0.0.1:" + canary.getLocalPort();
    }

    @Test
    void anAbsoluteUriNamingANonMemberIsServedByAMemberAsAnyHostNameWouldBe() throws IOException
    {
        RawHttp.Response r = send("GET", "http://" + canaryAuthority() + "/steal?x=1", "Host: " + canaryAuthority());
        assertEquals(200, r.status(), r.bodyText());
        assertEquals("app", r.header("X-Served-By"), "a cluster member answered, not the canary");
        assertTrue(r.bodyText().contains("header Host: " + canaryAuthority()), r.bodyText());
    }

    @Test
    void anAbsoluteUriWhoseHostDisagreesIsRefused() throws IOException
    {
        RawHttp.Response r = send("GET", "http://" + canaryAuthority() + "/steal", "Host: shop.example");
        assertEquals(400, r.status(), r.statusLine());
        RawHttp.Response https = send("GET", "https://" + canaryAuthority() + "/steal", "Host: shop.example");
        assertEquals(400, https.status(), https.statusLine());
    }

    @Test
    void oddHostHeadersNeverChooseTheTarget() throws IOException
    {
        for (String host : List.of(canaryAuthority(), "localhost:" + canary.getLocalPort(),
            "[::1]:" + canary.getLocalPort(), "evil.example", "127.0.0.1"))
        {
            RawHttp.Response r = send("GET", "/page", "Host: " + host);
            assertEquals(200, r.status(), host + ": " + r.statusLine());
            assertEquals("app", r.header("X-Served-By"), host);
        }
        for (String bad : List.of("user@" + canaryAuthority(), canaryAuthority() + "/x", "a b"))
        {
            RawHttp.Response r = send("GET", "/page", "Host: " + bad);
            assertEquals(400, r.status(), bad + ": " + r.statusLine());
        }
    }

    /**
     * Jetty refuses such paths as ambiguous by default; with the most lenient URI compliance on both nodes
     * they reach the proxy, which sends them to the member as paths, byte for byte.
     */
    @Test
    void pathsThatLookLikeAuthoritiesStayPaths() throws IOException
    {
        List<String> targets = List.of("//" + canaryAuthority() + "/x", "/%2F%2F" + canaryAuthority() + "/x",
            "/http://" + canaryAuthority() + "/x", "/@" + canaryAuthority() + "/x", "//user@" + canaryAuthority() + "/x");
        for (String target : targets)
        {
            RawHttp.Response r = send("GET", target, "Host: shop.example");
            assertTrue(r.status() == 400 || "app".equals(r.header("X-Served-By")), target + ": " + r.statusLine());
        }
        uriCompliance(UriCompliance.LEGACY);
        try
        {
            for (String target : targets)
            {
                RawHttp.Response r = send("GET", target, "Host: shop.example");
                assertEquals(200, r.status(), target + ": " + r.statusLine());
                assertEquals("app", r.header("X-Served-By"), target);
                assertTrue(r.bodyText().contains("request-uri " + target + "\n"), target + ": " + r.bodyText());
            }
        }
        finally
        {
            uriCompliance(UriCompliance.DEFAULT);
        }
    }

    private static void uriCompliance(UriCompliance compliance)
    {
        for (EmbeddedNode n : List.of(app, balancer))
        {
            n.server().getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration()
                .setUriCompliance(compliance);
        }
    }

    @Test
    void connectIsRefused() throws IOException
    {
        long before = Nodes.app(app).served();
        for (String authority : List.of(canaryAuthority(), "127.0.0.1:" + app.port()))
        {
            RawHttp.Response r = send("CONNECT", authority, "Host: " + authority);
            assertEquals(405, r.status(), authority + ": " + r.statusLine());
            assertTrue(r.bodyText().contains("not a forward proxy"), r.bodyText());
            assertNotEquals(null, r.header("Allow"));
        }
        assertEquals(before, Nodes.app(app).served(), "nothing reached the application node");
    }

    /**
     * Jetty's own handling answers {@code OPTIONS *} before any filter sees it; this records that nothing of it
     * is forwarded. That the filter would serve it locally if it ever arrived is {@code ProxyTargetsTest}'s.
     */
    @Test
    void optionsStarIsAnsweredByTheContainerWhereItArrives() throws IOException
    {
        long before = Nodes.app(app).served();
        RawHttp.Response r = send("OPTIONS", "*", "Host: shop.example");
        assertEquals(404, r.status(), r.statusLine());
        assertEquals(before, Nodes.app(app).served(), "OPTIONS * is not forwarded");
    }
}
