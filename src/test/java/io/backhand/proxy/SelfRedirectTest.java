package io.backhand.proxy;

import java.io.IOException;
import java.util.List;

import io.backhand.demo.EmbeddedNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When this node wins: by default the request continues into the application here; with
 * {@code backhand.selfRedirect on} (mod_backhand's BackhandSelfRedirect) it is proxied to this node's own
 * advertised address like to any other node, and served there once, with the client's identity.
 */
@Tag("cluster")
class SelfRedirectTest
{
    @RegisterExtension
    final StartedNodes nodes = new StartedNodes();

    private EmbeddedNode alone(String selfRedirect) throws Exception
    {
        EmbeddedNode n = Nodes.node("alone", Nodes.newCluster()).param("backhand.selfRedirect", selfRedirect)
            .balance("byAge 6").start();
        nodes.add(n);
        return n;
    }

    private static RawHttp.Response get(EmbeddedNode n) throws IOException
    {
        try (RawHttp c = RawHttp.connect("127.0.0.2", n.port()))
        {
            c.send(RawHttp.head("GET", "/page?x=1", List.of("Host: shop.example")));
            return c.read("GET");
        }
    }

    @Test
    void offServesTheRequestHere() throws Exception
    {
        EmbeddedNode n = alone("off");
        RawHttp.Response r = get(n);
        assertEquals(200, r.status());
        assertEquals("", r.header("X-Seen-Via"), "not proxied");
        assertEquals(1, Nodes.app(n).served());
    }

    @Test
    void onProxiesTheRequestToThisNodesOwnAddress() throws Exception
    {
        EmbeddedNode n = alone("on");
        RawHttp.Response r = get(n);
        assertEquals(200, r.status(), r.bodyText());
        assertEquals("1.1 backhand-alone", r.header("X-Seen-Via"), "proxied, once");
        assertEquals("127.0.0.2", r.header("X-Seen-Remote-Addr"), "and shown as the client's");
        assertEquals(1, Nodes.app(n).served(), "served exactly once");
    }
}
