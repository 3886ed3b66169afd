package io.backhand.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.backhand.demo.EmbeddedNode;
import io.backhand.stats.ServerStats;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stats plane inside real embedded Jetty nodes, seen through the status JSON as an operator sees it. */
@Tag("cluster")
class StatsPlaneNodeTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<EmbeddedNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception
    {
        for (EmbeddedNode n : nodes)
            n.close();
    }

    private EmbeddedNode start(EmbeddedNode.Builder b) throws Exception
    {
        EmbeddedNode n = b.build();
        nodes.add(n);
        return n.start();
    }

    /**
     * The stop timeout is longer than Jetty's one-second shutdown idle timeout, which is how long a graceful
     * stop waits for the test client's idle keep-alive connection to be closed: with both at one second, the
     * stop races the close and sometimes fails.
     */
    private static EmbeddedNode.Builder node(String name, String multicast)
    {
        return EmbeddedNode.builder(name).param("backhand.multicastStats", multicast).param("backhand.interface", "lo")
            .stopTimeout(5000);
    }

    private static JsonNode json(EmbeddedNode n)
    {
        return Http.json(n.statusUri());
    }

    @Test
    void withoutAcceptStatsANodeKnowsOnlyItselfAndTheStatusSaysWhy() throws Exception
    {
        String multicast = Net.multicastLine();
        EmbeddedNode lonely = start(node("lonely", multicast).param("backhand.announceInterval", "200ms"));
        EmbeddedNode open = start(node("open", multicast).param("backhand.announceInterval", "200ms")
            .param("backhand.acceptStats", "127.0.0.0/8"));
        Wait.until(WAIT, "open hearing lonely, so both announce on the same group",
            () -> json(open).get("servers").size() == 2);
        Wait.until(WAIT, "lonely dropping open's announcements as foreign",
            () -> json(lonely).at("/statsPlane/dropped/foreign").asLong() >= 2);
        JsonNode status = json(lonely);
        assertEquals(1, status.get("servers").size(), status.toPrettyString());
        assertTrue(status.get("alone").asText().contains("backhand.acceptStats is empty"), status.toPrettyString());
        assertEquals(0, status.at("/statsPlane/accepted").asLong());
        assertTrue(json(open).get("alone").isNull(), "a node that hears its peers is not alone");
    }

    @Test
    void theAnnounceIntervalDefaultsToOneSecondAndCanBeSet() throws Exception
    {
        String multicast = Net.multicastLine();
        EmbeddedNode listener = start(node("listener", multicast).param("backhand.acceptStats", "127.0.0.1/32"));
        EmbeddedNode fast = start(node("fast", multicast).param("backhand.acceptStats", "127.0.0.1/32")
            .param("backhand.announceInterval", "200ms"));
        assertEquals(1.0, json(listener).get("announceIntervalSeconds").asDouble());
        assertEquals(0.2, json(fast).get("announceIntervalSeconds").asDouble());
        Wait.until(WAIT, "listener hearing fast", () -> json(listener).at("/statsPlane/accepted").asLong() >= 1);
        long start = System.nanoTime();
        long from = json(listener).at("/statsPlane/accepted").asLong();
        Wait.until(WAIT, "ten more announcements from fast",
            () -> json(listener).at("/statsPlane/accepted").asLong() >= from + 10);
        double seconds = (System.nanoTime() - start) / 1e9;
        // About 2 s at 200 ms; once a second would need 10 s. The margin is for a busy machine.
        assertTrue(seconds < 8, "ten announcements took " + seconds + " s");
    }

    /** Busy workers are what the whole Jetty server is working on, read from its StatisticsHandler. */
    @Test
    void requestsInFlightComeFromTheJettyServer() throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(3);
        HttpServlet slow = new HttpServlet()
        {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException
            {
                entered.countDown();
                try
                {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
                resp.getWriter().print("done");
            }
        };
        EmbeddedNode n = start(node("busy", Net.multicastLine()).param("backhand.announceInterval", "100ms").app(slow));
        List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            running.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(n.uri() + "slow/" + i)).build(),
                HttpResponse.BodyHandlers.ofString()));
        }
        try
        {
            assertTrue(entered.await(20, TimeUnit.SECONDS));
            Wait.until(WAIT, "three requests in flight on the node's own entry",
                () -> json(n).get("servers").get(0).get("busy").asInt() >= 3);
            JsonNode self = json(n).get("servers").get(0);
            assertTrue(self.get("workersIdle").asInt() < self.get("workersTotal").asInt(), self.toPrettyString());
        }
        finally
        {
            release.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> f : running)
            assertEquals(200, f.get(20, TimeUnit.SECONDS).statusCode());
        Wait.until(WAIT, "nothing in flight once they are done",
            () -> json(n).get("servers").get(0).get("busy").asInt() <= 1);
    }

    /**
     * A forged announcement from inside AcceptStats names a server at 127.0.0.2, outside
     * backhand.memberAddresses, where a trap counts what reaches it. The balancer, choosing at random, sends
     * it nothing, and its status page counts the datagram.
     */
    @Test
    void aForgedMemberOutsideMemberAddressesGetsNoRequestAndTheStatusPageCountsIt() throws Exception
    {
        AtomicInteger trapped = new AtomicInteger();
        HttpServer trap = HttpServer.create(new InetSocketAddress(ip("127.0.0.2"), 0), 0);
        trap.createContext("/", exchange ->
        {
            trapped.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        trap.start();
        try (DatagramChannel attacker = DatagramChannel.open())
        {
            int udp = Net.freeUdpPort();
            EmbeddedNode balancer = start(EmbeddedNode.builder("balancer").param("backhand.listen", Integer.toString(udp))
                .param("backhand.acceptStats", "127.0.0.0/8").param("backhand.memberAddresses", "127.0.0.1/32")
                .balance("byRandom").stopTimeout(5000));
            attacker.bind(new InetSocketAddress(ip("127.0.0.2"), 0));
            long now = System.currentTimeMillis();
            ServerStats fake = ServerStats.builder().name("trap").hostname("trap.test").contactAddress(ip("127.0.0.2"))
                .contactPort(trap.getAddress().getPort()).startedAtMillis(now - 1000).sentAtMillis(now).sequence(1)
                .totalWorkers(200).idleWorkers(200).build();
            attacker.send(ByteBuffer.wrap(new StatsCodec(null).encode(fake)),
                new InetSocketAddress(ip("127.0.0.1"), udp));
            Wait.until(WAIT, "the balancer counting the forged announcement (or listing it)",
                () -> json(balancer).at("/statsPlane/dropped/contact_outside").asLong() == 1
                    || json(balancer).get("servers").size() == 2);
            for (int i = 0; i < 40; i++)
                assertEquals(200, Http.get(balancer.uri().resolve("/page/" + i)).statusCode());
            assertEquals(0, trapped.get(), "requests reached the forged member");
            JsonNode status = json(balancer);
            assertEquals(1, status.get("servers").size(), status.toPrettyString());
            assertEquals(1, status.at("/statsPlane/dropped/contact_outside").asLong(), status.toPrettyString());
        }
        finally
        {
            trap.stop(0);
        }
    }

    /**
     * A node sends its signed announcement to two peers; an attacker at 127.0.0.3 receives the copy meant for
     * one of them and re-sends every copy to the balancer, the other peer, while a trap listens on the node's
     * own port at 127.0.0.3. The balancer, choosing at random between itself and the node, sends the trap
     * nothing: the copies name the node's address under the signature, and carry the sequence the balancer
     * already had from the node itself.
     */
    @Test
    void signedAnnouncementsReSentFromAnotherAddressDivertNoRequest() throws Exception
    {
        String secret = "the cluster's shared secret";
        int pb = Net.freeUdpPort();
        EmbeddedNode balancer = start(EmbeddedNode.builder("balancer").param("backhand.listen", Integer.toString(pb))
            .param("backhand.acceptStats", "127.0.0.0/8").param("backhand.secret", secret).balance("byRandom")
            .stopTimeout(5000));
        try (DatagramChannel capture = DatagramChannel.open(); DatagramChannel attacker = DatagramChannel.open())
        {
            capture.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
            attacker.bind(new InetSocketAddress(ip("127.0.0.3"), 0));
            int captured = ((InetSocketAddress) capture.getLocalAddress()).getPort();
            EmbeddedNode a = start(EmbeddedNode.builder("a").param("backhand.peers", "127.0.0.1:" + pb + " 127.0.0.1:" + captured)
                .param("backhand.listen", Integer.toString(Net.freeUdpPort())).param("backhand.acceptStats", "127.0.0.0/8")
                .param("backhand.secret", secret).stopTimeout(5000));
            AtomicInteger trapped = new AtomicInteger();
            HttpServer trap = HttpServer.create(new InetSocketAddress(ip("127.0.0.3"), a.port()), 0);
            trap.createContext("/", exchange ->
            {
                trapped.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            trap.start();
            AtomicInteger forwarded = new AtomicInteger();
            Thread forwarder = new Thread(() ->
            {
                ByteBuffer b = ByteBuffer.allocate(2048);
                try
                {
                    while (true)
                    {
                        b.clear();
                        capture.receive(b);
                        b.flip();
                        attacker.send(b, new InetSocketAddress(ip("127.0.0.1"), pb));
                        forwarded.incrementAndGet();
                    }
                }
                catch (IOException e)
                {
                    // the channel was closed: the test is over
                }
            }, "replaying-attacker");
            forwarder.start();
            try
            {
                Wait.until(WAIT, "the balancer hearing a", () -> json(balancer).get("servers").size() == 2);
                Wait.until(WAIT, "three copies re-sent", () -> forwarded.get() >= 3);
                for (int i = 0; i < 40; i++)
                    assertEquals(200, Http.get(balancer.uri().resolve("/page/" + i)).statusCode());
                assertEquals(0, trapped.get(), "requests went to the address the copies came from");
                JsonNode status = json(balancer);
                assertTrue(status.at("/statsPlane/dropped/replayed").asLong() >= 2, status.toPrettyString());
                assertTrue(a.served() > 0, "byRandom sent the node nothing, so the test proved nothing");
            }
            finally
            {
                capture.close();
                forwarder.join(5000);
                trap.stop(0);
            }
        }
    }
}
