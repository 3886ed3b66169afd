package io.backhand.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Wait;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node dies with WebSocket sessions open through the balancer. The victim runs in a JVM of its own and is
 * killed with SIGKILL; its sessions must end for their clients (no close frame: 1006, or an error) within the
 * tunnel idle timeout, the other node's sessions carry on, and new sessions go to the other node although
 * byAge (20 s here) keeps the dead one in the chain: its refused connection puts it aside, as for any request.
 */
@Tag("cluster")
class WebSocketNodeDeathTest
{
    private static final long IDLE_MILLIS = 4000;
    private static final int SESSIONS = 24;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop()
    {
        Nodes.closeAll(closeables);
    }

    @Test
    void sessionsOnAKilledNodeEndAndNewOnesGoToTheOther() throws Exception
    {
        String cluster = Nodes.newCluster();
        ChildNode victim = ChildNode.start("ws-victim", Map.of(
            "nodes", "victim",
            "victim.websocket", "true",
            "victim.param.backhand.multicastStats", cluster,
            "victim.param.backhand.interface", "lo",
            "victim.param.backhand.acceptStats", "127.0.0.0/8"), List.of("-Xmx96m"));
        closeables.add(victim);
        EmbeddedNode survivor = Nodes.node("survivor", cluster).build();
        EchoSocket.install(survivor);
        closeables.add(survivor.start());
        EmbeddedNode balancer = Nodes.node("balancer", cluster)
            .balance("removeSelf\nbyAge 20\nbyRandom\nbyLogWindow\nbyBusyChildren")
            .filterParam("idleTimeout", Long.toString(IDLE_MILLIS)).start();
        closeables.add(0, balancer);
        Nodes.awaitServers(balancer, 3);
        WebSocketClient client = new WebSocketClient();
        client.start();
        closeables.add(0, client::stop);

        List<EchoClient> onVictim = new ArrayList<>();
        List<EchoClient> onSurvivor = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++)
        {
            EchoClient e = EchoClient.connect(client, balancer.port());
            (e.nodeOf("hello " + i).equals("victim") ? onVictim : onSurvivor).add(e);
        }
        assertFalse(onVictim.isEmpty(), "some sessions on the victim");
        assertFalse(onSurvivor.isEmpty(), "some sessions on the survivor");

        victim.kill();
        long killed = System.nanoTime();
        for (EchoClient e : onVictim)
        {
            // The bound: the idle timeout, plus slack for a busy test machine.
            int code = e.ended.get(IDLE_MILLIS + 10_000, TimeUnit.MILLISECONDS);
            assertTrue(code == 1006 || code == -1, "cut without a close frame (1006, or an error): " + code);
        }
        long endedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

        for (int i = 0; i < onSurvivor.size(); i++)
            assertEquals("survivor", onSurvivor.get(i).nodeOf("still there " + i), "the other node's sessions carry on");
        for (int i = 0; i < 10; i++)
        {
            EchoClient e = EchoClient.connect(client, balancer.port());
            assertEquals("survivor", e.nodeOf("new " + i), "a new session after the kill");
            e.close();
        }
        Wait.until(Duration.ofSeconds(10), "only the survivor's tunnels open",
            () -> Http.json(balancer.statusUri()).get("tunnels").get("open").asInt() == onSurvivor.size());
        System.out.println("WebSocketNodeDeathTest: " + onVictim.size() + " sessions on the victim ended "
            + endedMillis + " ms after SIGKILL");
        for (EchoClient e : onSurvivor)
            e.close();
    }
}
