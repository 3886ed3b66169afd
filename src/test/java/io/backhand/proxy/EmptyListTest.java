package io.backhand.proxy;

import java.io.IOException;
import java.util.List;

import io.backhand.demo.EmbeddedNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the chain leaves no server, mod_backhand declines and the node serves the request itself; a chain
 * with removeSelf never does, and answers 503 with Retry-After instead.
 */
@Tag("cluster")
class EmptyListTest
{
    private static final String NOBODY = "byHostname ^no-such-host$";
    @RegisterExtension
    final StartedNodes nodes = new StartedNodes();

    /** Two nodes that hear each other; {@code balancer} runs the chain. */
    private EmbeddedNode balancer(String chain, String retryAfter) throws Exception
    {
        String cluster = Nodes.newCluster();
        nodes.add(Nodes.node("peer", cluster).start());
        EmbeddedNode.Builder b = Nodes.node("balancer", cluster).balance(chain);
        if (retryAfter != null)
            b.filterParam("retryAfter", retryAfter);
        EmbeddedNode balancer = b.start();
        nodes.add(0, balancer);
        Nodes.awaitServers(balancer, 2);
        return balancer;
    }

    private static RawHttp.Response get(EmbeddedNode node) throws IOException
    {
        return RawHttp.exchange(node.port(), "GET", "/page?x=1", List.of("Host: shop.example"), null);
    }

    @Test
    void anEmptyListIsServedLocally() throws Exception
    {
        EmbeddedNode balancer = balancer(NOBODY, null);
        RawHttp.Response r = get(balancer);
        assertEquals(200, r.status(), r.bodyText());
        assertEquals("balancer", r.header("X-Served-By"));
        assertEquals(0, Nodes.app(nodes.get(1)).served(), "the peer was not asked");
    }

    @Test
    void anEmptyListUnderRemoveSelfIsA503WithRetryAfter() throws Exception
    {
        EmbeddedNode balancer = balancer("removeSelf\n" + NOBODY, null);
        RawHttp.Response r = get(balancer);
        assertEquals(503, r.status(), r.bodyText());
        assertEquals("5", r.header("Retry-After"), "the default");
        assertEquals("no-store", r.header("Cache-Control"));
        assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
        assertTrue(r.bodyText().contains("No server is available"), r.bodyText());
        assertEquals(0, Nodes.app(balancer).served(), "the balancer's own application never answers under removeSelf");
    }

    @Test
    void retryAfterIsAFilterSetting() throws Exception
    {
        EmbeddedNode balancer = balancer("removeSelf\n" + NOBODY, "17");
        RawHttp.Response r = get(balancer);
        assertEquals(503, r.status());
        assertEquals("17", r.header("Retry-After"));
    }
}
