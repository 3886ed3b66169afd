package io.backhand.proxy;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.backhand.demo.EmbeddedNode;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A balancer that stops while WebSocket tunnels are open: a tunnel has no end of its own, so the stop must not
 * wait on it past the node's leave, and the client must see its connection end rather than hang.
 */
@Tag("cluster")
class TunnelStopTest
{
    private static final int GRACE_SECONDS = 30;

    @Test
    void stoppingTheBalancerEndsItsOpenTunnels() throws Exception
    {
        String cluster = Nodes.newCluster();
        EmbeddedNode a = Nodes.node("a", cluster).build();
        EchoSocket.install(a);
        a.start();
        // A long leave grace, so that a stop that waits for the tunnel cannot be mistaken for one that does not.
        EmbeddedNode balancer = Nodes.node("balancer", cluster).param("backhand.leaveGrace", GRACE_SECONDS + "s")
            .balance("removeSelf\nbyAge 6\nbyRandom").start();
        WebSocketClient client = new WebSocketClient();
        try
        {
            Nodes.awaitServers(balancer, 2);
            client.start();
            EchoClient e = EchoClient.connect(client, balancer.port());
            assertEquals("a", e.nodeOf("hello"));
            long start = System.nanoTime();
            balancer.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            int code = e.ended.get(10, TimeUnit.SECONDS);
            assertTrue(code != 1000, "cut, not closed as if by the node: " + code);
            assertTrue(tookMillis < GRACE_SECONDS * 1000 / 2, "the stop waited " + tookMillis + " ms on an open tunnel");
        }
        finally
        {
            client.stop();
            Nodes.closeAll(List.of(balancer, a));
        }
    }
}
