package io.backhand.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
}
