package io.backhand.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.proxy.EchoClient;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket through a dedicated balancer with everything deployed as operators deploy it: three stock
 * jetty-home processes on copies of the repository's jetty-base, running the shipped web.xml unchanged. The two
 * application nodes carry the Backhand WAR at /backhand (statusPath=/) beside a Jakarta WebSocket application
 * at /chat ({@link JakartaEchoEndpoint}, with jetty-home's {@code ee10-websocket-jakarta} module enabled); the
 * balancer carries only the WAR, at the root, so every echo proves a tunnel.
 *
 * <p>The endpoint is compiled by Maven against {@code jakarta.websocket-api} (a test dependency) and its class
 * file is copied into an exploded webapp, {@code webapps/chat/WEB-INF/classes}, where Jetty's annotation
 * scanning finds it: no WAR to build, and the container's own Jakarta WebSocket jars serve it.</p>
 *
 * <p>The embedded counterparts (WebSocketTunnelTest, WebSocketNodeDeathTest) cover the same behaviours in more
 * detail with a shorter idle timeout; this test keeps the shipped one (30 s) as the bound for a killed node.</p>
 */
@Tag("cluster")
class WebSocketStockJettyIT
{
    private static final int SESSIONS = 100;
    private static final int MESSAGES = 100;
    /** The filter's idleTimeout in the shipped web.xml (its default). */
    private static final Duration TUNNEL_IDLE = Duration.ofSeconds(30);
    private static final String PATH = "/chat/echo";

    @TempDir
    Path work;

    /**
     * On loopback at a free port, with twice the usual time to start: three JVMs start together here, and on a
     * shared two-core machine under load each has been seen to take up to a minute.
     */
    private static JettyProcess.Placement placement(String name)
    {
        JettyProcess.Placement p = JettyProcess.Placement.loopback(name);
        return new JettyProcess.Placement(p.host(), p.port(), p.commandPrefix(), p.log(), p.jvmOptions(), Duration.ofSeconds(120));
    }

    /** An application node: the WAR at /backhand and the echo application at /chat, on the Jakarta WebSocket module. */
    private JettyProcess appNode(String name, String multicast) throws IOException
    {
        JettyProcess node = new JettyProcess(name, work, placement(name));
        node.writeIni("backhand.ini", JettyProcess.backhandIni("/backhand", name, multicast, "-Dbackhand.statusPath=/"));
        node.writeIni("websocket.ini", List.of("--module=ee10-websocket-jakarta"));
        String resource = JakartaEchoEndpoint.class.getName().replace('.', '/') + ".class";
        Path classFile = node.base().resolve("webapps/chat/WEB-INF/classes").resolve(resource);
        Files.createDirectories(classFile.getParent());
        try (InputStream in = JakartaEchoEndpoint.class.getClassLoader().getResourceAsStream(resource))
        {
            assertNotNull(in, resource);
            Files.copy(in, classFile);
        }
        Files.writeString(node.base().resolve("webapps/chat.properties"), "environment=ee10\n");
        return node;
    }

    @Test
    void sessionsTunnelToTheNodesAndEndWithAKilledOne() throws Exception
    {
        long began = System.nanoTime();
        String multicast = Net.multicastLine();
        WebSocketClient client = new WebSocketClient();
        try (JettyProcess a = appNode("ws-a", multicast);
             JettyProcess b = appNode("ws-b", multicast);
             JettyProcess balancer = new JettyProcess("ws-balancer", work, placement("ws-balancer")))
        {
            balancer.writeIni("backhand.ini", JettyProcess.backhandIni("/", "ws-balancer", multicast));
            // Three JVMs starting at once share the machine's cores; none waits for another.
            a.launch();
            b.launch();
            balancer.launch();
            a.awaitStarted();
            b.awaitStarted();
            balancer.awaitStarted();
            URI status = balancer.uri().resolve("/backhand/");
            Wait.until(Duration.ofSeconds(20), "both nodes on the balancer's map",
                () -> Http.json(status).get("servers").size() == 3);
            client.start();
            // Each node's endpoint answers directly, under its own name; this also loads its classes, so that
            // the first handshakes through the balancer do not make one node look slow to byLatency.
            for (JettyProcess node : List.of(a, b))
            {
                EchoClient direct = EchoClient.connectAsync(client, URI.create("ws://127.0.0.1:" + node.port() + PATH))
                    .get(30, TimeUnit.SECONDS);
                assertEquals(node.name(), direct.nodeOf("who?"), "the endpoint on " + node.name() + " (log: " + node.log() + ")");
                direct.close();
            }
            long startedMillis = millisSince(began);
            URI echo = URI.create("ws://127.0.0.1:" + balancer.port() + PATH);

            // 100 sessions opened together, then idle: one tunnel each, and no thread held by any of them.
            List<CompletableFuture<EchoClient>> connecting = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++)
                connecting.add(EchoClient.connectAsync(client, echo));
            List<EchoClient> sessions = new ArrayList<>();
            for (CompletableFuture<EchoClient> c : connecting)
                sessions.add(c.get(60, TimeUnit.SECONDS));
            assertEquals(SESSIONS, Http.json(status).at("/tunnels/open").asInt(), "one tunnel per open session");
            int busyThreads = busyThreadsWhileIdle(status, balancer.name());

            long echoFrom = System.nanoTime();
            String[] servedBy = echoRounds(sessions);
            long echoMillis = millisSince(echoFrom);
            Map<String, Integer> perNode = new TreeMap<>();
            for (String n : servedBy)
                perNode.merge(n, 1, Integer::sum);
            assertEquals(List.of("ws-a", "ws-b"), List.copyOf(perNode.keySet()), "sessions on both nodes: " + perNode);
            assertTrue(perNode.get("ws-a") >= 10 && perNode.get("ws-b") >= 10, "a fair spread: " + perNode);

            // SIGKILL to ws-a: its sessions end without a close frame within the tunnel idle timeout (the dead
            // node's kernel closes its side at once); ws-b's carry on, and new sessions go to ws-b although
            // byAge keeps ws-a in the chain for a few seconds: its refused connection puts it aside.
            List<EchoClient> onVictim = new ArrayList<>();
            List<EchoClient> onSurvivor = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++)
                (servedBy[s].equals("ws-a") ? onVictim : onSurvivor).add(sessions.get(s));
            a.kill();
            long killed = System.nanoTime();
            for (EchoClient e : onVictim)
            {
                int code;
                try
                {
                    code = e.ended.get(Math.max(0, killed + TUNNEL_IDLE.toNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (TimeoutException x)
                {
                    throw new AssertionError("a session on the killed node still open " + TUNNEL_IDLE + " after SIGKILL");
                }
                assertTrue(code == 1006 || code == -1, "cut without a close frame (1006, or an error): " + code);
            }
            long endedMillis = millisSince(killed);
            for (int i = 0; i < onSurvivor.size(); i++)
                assertEquals("ws-b", onSurvivor.get(i).nodeOf("still there " + i), "ws-b's sessions carry on");
            for (int i = 0; i < 10; i++)
            {
                EchoClient e = EchoClient.connectAsync(client, echo).get(30, TimeUnit.SECONDS);
                assertEquals("ws-b", e.nodeOf("new " + i), "a new session after the kill");
                e.close();
                assertEquals(1000, e.ended.get(30, TimeUnit.SECONDS), "a clean close, passed through");
            }
            Wait.until(Duration.ofSeconds(10), "only ws-b's tunnels open",
                () -> Http.json(status).at("/tunnels/open").asInt() == onSurvivor.size());

            for (EchoClient e : onSurvivor)
                e.close();
            for (EchoClient e : onSurvivor)
                assertEquals(1000, e.ended.get(30, TimeUnit.SECONDS), "a clean close, passed through");
            Wait.until(Duration.ofSeconds(10), "every tunnel closed", () -> Http.json(status).at("/tunnels/open").asInt() == 0);
            JsonNode tunnels = Http.json(status).get("tunnels");
            assertEquals(SESSIONS + 10, tunnels.get("opened").asInt(), tunnels.toString());

            System.out.println("WebSocketStockJettyIT: sessions per node " + perNode + "; busy threads on the balancer with "
                + SESSIONS + " idle tunnels: " + busyThreads + "; " + onVictim.size() + " sessions on the killed node ended "
                + endedMillis + " ms after SIGKILL; tunnels " + tunnels + "; nodes up after " + startedMillis + " ms, "
                + SESSIONS * MESSAGES + " echoes in " + echoMillis + " ms, done after " + millisSince(began) + " ms");
        }
        finally
        {
            client.stop();
        }
    }

    /**
     * 100 rounds of one message on every session, then every reply, so that all sessions are busy together; each
     * echo must be the message sent, from the node that served the session's first one. Returns those nodes.
     */
    private static String[] echoRounds(List<EchoClient> sessions) throws InterruptedException
    {
        String[] servedBy = new String[sessions.size()];
        for (int m = 0; m < MESSAGES; m++)
        {
            for (int s = 0; s < sessions.size(); s++)
                sessions.get(s).send("s" + s + "-m" + m + "-" + "x".repeat(m * 7));
            for (int s = 0; s < sessions.size(); s++)
            {
                String reply = sessions.get(s).reply(Duration.ofSeconds(30));
                assertNotNull(reply, "session " + s + " message " + m + " was not echoed");
                int space = reply.indexOf(' ');
                assertEquals("s" + s + "-m" + m + "-" + "x".repeat(m * 7), reply.substring(space + 1));
                String node = reply.substring(0, space);
                if (servedBy[s] == null)
                    servedBy[s] = node;
                assertEquals(servedBy[s], node, "session " + s + " moved from one node to another");
            }
        }
        return servedBy;
    }

    /**
     * The balancer's busy worker threads as it announces them (workersTotal less workersIdle on its own row of the
     * map: the thread pool's utilized threads), once an announcement made after the tunnels opened shows fewer
     * than 8, the bound of the embedded WebSocketTunnelTest. A thread per tunnel would show 100 or more.
     */
    private static int busyThreadsWhileIdle(URI status, String self)
    {
        long openedAt = ownRow(status, self).get("sequence").asLong();
        int[] busy = {-1};
        try
        {
            Wait.until(Duration.ofSeconds(15), "the balancer's threads free while " + SESSIONS + " tunnels idle", () ->
            {
                JsonNode row = ownRow(status, self);
                if (row.get("sequence").asLong() < openedAt + 2)
                    return false;
                busy[0] = row.get("workersTotal").asInt() - row.get("workersIdle").asInt();
                return busy[0] < 8;
            });
        }
        catch (AssertionError e)
        {
            throw new AssertionError(e.getMessage() + "; busy threads last announced: " + busy[0], e);
        }
        return busy[0];
    }

    private static long millisSince(long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static JsonNode ownRow(URI status, String self)
    {
        for (JsonNode s : Http.json(status).get("servers"))
            if (s.get("name").asText().equals(self))
                return s;
        throw new AssertionError(self + " is not on its own map");
    }
}
