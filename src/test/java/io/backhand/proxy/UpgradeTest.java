package io.backhand.proxy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An upgrade (WebSocket, or any protocol but h2c, which the proxy simply declines as a hop-by-hop offer) goes
 * to the node the chain chooses over a tunnel of its own. The application here has no WebSocket: it answers
 * the upgrade with a plain 200, and that answer reaches the client as it is, from the node behind the
 * balancer. (WebSocketTunnelTest shows upgrades that the node accepts.)
 */
@Tag("cluster")
class UpgradeTest
{
    @RegisterExtension
    static final Nodes.AppBehindBalancer NODES = new Nodes.AppBehindBalancer();

    private static RawHttp.Response get(String... extra) throws IOException
    {
        List<String> headers = new java.util.ArrayList<>(List.of("Host: shop.example"));
        headers.addAll(List.of(extra));
        return RawHttp.exchange(NODES.balancer().port(), "GET", "/chat", headers, null);
    }

    @Test
    void aWebSocketUpgradeGoesToTheChosenNodeAndItsRefusalComesBack() throws IOException
    {
        long before = Nodes.app(NODES.app()).served();
        long refusedBefore = io.backhand.testing.Http.json(NODES.balancer().statusUri()).get("tunnels").get("refused").asLong();
        RawHttp.Response r = get("Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
        assertEquals(200, r.status(), r.statusLine());
        assertEquals("app", r.header("X-Served-By"), "answered by the node behind the balancer");
        assertEquals(before + 1, Nodes.app(NODES.app()).served(), "the node served it itself, not balanced again");
        assertEquals(null, r.header(io.backhand.node.ProxyMarker.SERVED_HEADER), "the served mark stays between the nodes");
        assertEquals(refusedBefore + 1, io.backhand.testing.Http.json(NODES.balancer().statusUri()).get("tunnels").get("refused").asLong(),
            "counted as refused by the node");
    }

    @Test
    void otherUpgradesToo() throws IOException
    {
        long before = Nodes.app(NODES.app()).served();
        RawHttp.Response r = get("Connection: Upgrade", "Upgrade: TLS/1.2, custom/1");
        assertEquals("app", r.header("X-Served-By"));
        assertEquals(before + 1, Nodes.app(NODES.app()).served());
    }

    @Test
    void anH2cOfferAloneIsNoUpgradeAndIsBalanced() throws IOException
    {
        RawHttp.Response r = get("Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA");
        assertEquals("app", r.header("X-Served-By"), r.statusLine());
        RawHttp.Response plain = get();
        assertEquals("app", plain.header("X-Served-By"));
    }
}
