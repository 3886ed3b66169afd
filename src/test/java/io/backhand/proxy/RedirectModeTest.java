package io.backhand.proxy;

import java.io.IOException;
import java.util.List;

import io.backhand.demo.EmbeddedNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code HTTPRedirectToIP} and {@code HTTPRedirectToName}: the balancer answers with a redirect to the node
 * the chain chose, its address or its formatted name, the path and query exactly as the client sent them;
 * 302 for GET and HEAD, 307 for every other method so that the method and body are kept.
 */
@Tag("cluster")
class RedirectModeTest
{
    private static final String TARGET = "/shop/caf%C3%A9/a%20b;v=1?q=%E2%82%AC&x=a+b&empty=";
    @RegisterExtension
    final StartedNodes nodes = new StartedNodes();
    private EmbeddedNode app;
    private EmbeddedNode balancer;

    private void cluster(String redirect) throws Exception
    {
        String cluster = Nodes.newCluster();
        app = Nodes.node("app", cluster).start();
        nodes.add(app);
        balancer = Nodes.node("balancer", cluster).balance("removeSelf\nbyAge 6\n" + redirect).start();
        nodes.add(0, balancer);
        Nodes.awaitServers(balancer, 2);
    }

    private RawHttp.Response send(String method) throws IOException
    {
        byte[] body = method.equals("GET") || method.equals("HEAD") ? null : new byte[] {'x'};
        List<String> headers = body == null ? List.of("Host: shop.example") : List.of("Host: shop.example", "Content-Length: 1");
        return RawHttp.exchange(balancer.port(), method, TARGET, headers, body);
    }

    private void assertRedirects(String location) throws IOException
    {
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"))
        {
            RawHttp.Response r = send(method);
            int expected = method.equals("GET") || method.equals("HEAD") ? 302 : 307;
            assertEquals(expected, r.status(), method + ": " + r.statusLine());
            assertEquals(location, r.header("Location"), method);
            assertEquals("no-store", r.header("Cache-Control"), method);
        }
        assertEquals(0, Nodes.app(app).served(), "the chosen node is only named, never contacted");
        assertEquals(0, Nodes.app(balancer).served(), "nor is the balancer's own application");
    }

    @Test
    void toIpPointsAtTheChosenNodesAddress() throws Exception
    {
        cluster("HTTPRedirectToIP");
        assertRedirects("http://127.0.0.1:" + app.port() + TARGET);
    }

    /** A node that chooses itself serves the request: a redirect to itself would only send the client round again. */
    @Test
    void aNodeThatChoosesItselfServesTheRequest() throws Exception
    {
        EmbeddedNode alone = Nodes.node("alone", Nodes.newCluster()).balance("byAge 6\nHTTPRedirectToIP").start();
        nodes.add(alone);
        RawHttp.Response r = RawHttp.exchange(alone.port(), "GET", TARGET, List.of("Host: shop.example"), null);
        assertEquals(200, r.status(), r.statusLine());
        assertEquals("alone", r.header("X-Served-By"));
    }

    @Test
    void toNamePointsAtTheChosenNodesFormattedHostname() throws Exception
    {
        cluster("HTTPRedirectToName %s.cluster.test");
        String hostname = Nodes.server(balancer, "app").get("hostname").asText();
        assertRedirects("http://" + hostname + ".cluster.test:" + app.port() + TARGET);
    }
}
