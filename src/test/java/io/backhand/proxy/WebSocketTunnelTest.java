package io.backhand.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Wait;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket through a dedicated balancer ({@code removeSelf}): two nodes run a WebSocket echo endpoint and
 * the balancer has none, so every echo proves a tunnel. Each reply names the node that sent it.
 */
@Tag("cluster")
class WebSocketTunnelTest
{
    private static final int SESSIONS = 100;
    private static final int MESSAGES = 100;
    private static final long IDLE_MILLIS = 3000;
    /** The dedicated balancer's chain, with session affinity. */
    private static final String CHAIN = "removeSelf\nbyAge 6\nbySession\nbyRandom\nbyLogWindow\nbyBusyChildren";

    private static EmbeddedNode a;
    private static EmbeddedNode b;
    private static EmbeddedNode balancer;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception
    {
        String cluster = Nodes.newCluster();
        a = Nodes.node("a", cluster).build();
        EchoSocket.install(a);
        a.start();
        b = Nodes.node("b", cluster).build();
        EchoSocket.install(b);
        b.start();
        balancer = Nodes.node("balancer", cluster).balance(CHAIN)
            .filterParam("idleTimeout", Long.toString(IDLE_MILLIS)).start();
        Nodes.awaitServers(balancer, 3);
        client = new WebSocketClient();
        client.start();
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (client != null)
            client.stop();
        Nodes.closeAll(List.of(balancer, a, b));
    }

    private static JsonNode tunnels()
    {
        return Http.json(balancer.statusUri()).get("tunnels");
    }

    @Test
    void everyEchoComesBackFromTheNodeThatOpenedTheSession() throws Exception
    {
        long openedBefore = tunnels().get("opened").asLong();
        List<CompletableFuture<EchoClient>> connecting = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++)
            connecting.add(EchoClient.connectAsync(client, balancer.port()));
        List<EchoClient> sessions = new ArrayList<>();
        for (CompletableFuture<EchoClient> c : connecting)
            sessions.add(c.get(60, TimeUnit.SECONDS));
        assertEquals(SESSIONS, tunnels().get("open").asInt(), "one tunnel per open session");
        // 100 open, idle tunnels on a balancer of 64 threads: none of them holds one.
        QueuedThreadPool pool = (QueuedThreadPool) balancer.server().getThreadPool();
        Wait.until(Duration.ofSeconds(10), "the balancer's threads free while the tunnels idle",
            () -> pool.getBusyThreads() < 8);

        String[] servedBy = new String[SESSIONS];
        for (int m = 0; m < MESSAGES; m++)
        {
            // A round: one message on every session, then every reply; all sessions stay busy together.
            for (int s = 0; s < SESSIONS; s++)
                sessions.get(s).send("s" + s + "-m" + m + "-" + "x".repeat(m * 7));
            for (int s = 0; s < SESSIONS; s++)
            {
                String reply = sessions.get(s).reply(Duration.ofSeconds(30));
                assertNotNull(reply, "session " + s + " message " + m + " was not echoed");
                String node = reply.substring(0, reply.indexOf(' '));
                assertEquals("s" + s + "-m" + m + "-" + "x".repeat(m * 7), reply.substring(reply.indexOf(' ') + 1));
                if (servedBy[s] == null)
                    servedBy[s] = node;
                assertEquals(servedBy[s], node, "session " + s + " moved from one node to another");
            }
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (String n : servedBy)
            perNode.merge(n, 1, Integer::sum);
        assertEquals(2, perNode.size(), "sessions spread over both nodes: " + perNode);
        assertTrue(perNode.get("a") >= 10 && perNode.get("b") >= 10, "a fair spread: " + perNode);

        for (EchoClient e : sessions)
            e.close();
        for (EchoClient e : sessions)
            assertEquals(1000, e.ended.get(30, TimeUnit.SECONDS), "a clean close, passed through");
        Wait.until(Duration.ofSeconds(10), "every tunnel closed", () -> tunnels().get("open").asInt() == 0);
        assertEquals(openedBefore + SESSIONS, tunnels().get("opened").asLong());
    }

    @Test
    void aSessionCookieTakesTheUpgradeToItsOwner() throws Exception
    {
        for (String owner : List.of("a", "b"))
        {
            for (int i = 0; i < 10; i++)
            {
                // Jetty's session ids end with the owner's worker name, which every node announces.
                EchoClient e = EchoClient.connect(client, balancer.port(), "JSESSIONID=node0s" + i + "x." + owner);
                assertEquals(owner, e.nodeOf("mine? " + i), "bySession chose the session's owner");
                e.close();
            }
        }
    }

    @Test
    void theNodeSeesTheProxyHeadersAndServesTheUpgradeItself() throws Exception
    {
        EchoClient e = EchoClient.connect(client, balancer.port());
        e.send("via?");
        String reply = e.reply(Duration.ofSeconds(30));
        assertNotNull(reply);
        assertTrue(reply.contains("via=1.1 backhand-balancer"), reply);
        assertTrue(reply.contains(" host=127.0.0.1:" + balancer.port() + " "), "the client's Host is kept: " + reply);
        assertTrue(reply.contains(" xff=127.0.0.1 "), reply);
        assertTrue(reply.endsWith("marker=true"), reply);
        e.close();
    }

    @Test
    void aBusyTunnelOutlivesTheContainersAsyncTimeout() throws Exception
    {
        // The container runs an upgrade in an asynchronous cycle whose default timeout is 30 s; a tunnel in use
        // must not end with it.
        EchoClient e = EchoClient.connect(client, balancer.port());
        String node = e.nodeOf("start");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
        int i = 0;
        while (System.nanoTime() < until)
        {
            assertEquals(node, e.nodeOf("tick " + i++));
            assertFalse(e.ended.isDone(), "the tunnel ended after " + i + " ticks");
            Thread.sleep(IDLE_MILLIS / 3);
        }
        e.close();
        assertEquals(1000, e.ended.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aQuietTunnelIsClosedAfterTheIdleTimeout() throws Exception
    {
        long idleBefore = tunnels().get("closedIdle").asLong();
        EchoClient e = EchoClient.connect(client, balancer.port());
        e.nodeOf("hello");
        long start = System.nanoTime();
        int code = e.ended.get(IDLE_MILLIS * 5, TimeUnit.MILLISECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(code == 1006 || code == -1, "cut without a close frame (1006, or an error), not closed cleanly: " + code);
        assertTrue(tookMillis >= IDLE_MILLIS - 100, "not before the idle timeout: " + tookMillis + " ms");
        Wait.until(Duration.ofSeconds(5), "the idle close counted", () -> tunnels().get("closedIdle").asLong() == idleBefore + 1);
    }
}
