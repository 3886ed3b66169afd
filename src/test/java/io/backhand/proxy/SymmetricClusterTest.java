package io.backhand.proxy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classic mod_backhand cluster: three nodes that all serve and all balance with the same chain, the
 * filter on every one and no removeSelf, reached round robin as DNS would spread clients. Every request is
 * served exactly once and proxied at most once, whatever the chain decides on the node it reaches.
 */
@Tag("cluster")
class SymmetricClusterTest
{
    private static final String CHAIN = "byAge 6\nbyRandom\nbyLogWindow\nbyBusyChildren";
    private static final List<EmbeddedNode> NODES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception
    {
        String cluster = Nodes.newCluster();
        for (String name : List.of("n1", "n2", "n3"))
            NODES.add(Nodes.node(name, cluster).balance(CHAIN).start());
        for (EmbeddedNode n : NODES)
            Nodes.awaitServers(n, 3);
    }

    @AfterAll
    static void stop()
    {
        Nodes.closeAll(NODES);
    }

    @Test
    void aThousandRequestsAreEachServedOnceAndProxiedAtMostOnce() throws Exception
    {
        int requests = 1000;
        // The nodes are shared with the other tests of this class, whatever order they run in.
        long servedBefore = NODES.stream().mapToLong(n -> Nodes.app(n).served()).sum();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore concurrency = new Semaphore(8);
        Map<String, String> problems = new ConcurrentHashMap<>();
        AtomicInteger local = new AtomicInteger();
        AtomicInteger proxied = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < requests; i++)
        {
            EmbeddedNode entry = NODES.get(i % NODES.size());
            URI uri = entry.uri().resolve("/echo?i=" + i);
            concurrency.acquire();
            all.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, failure) ->
                {
                    concurrency.release();
                    if (failure != null)
                    {
                        problems.put(uri.toString(), failure.toString());
                        return;
                    }
                    String servedBy = r.headers().firstValue("X-Served-By").orElse("?");
                    String via = r.headers().firstValue("X-Seen-Via").orElse("");
                    long hops = via.isEmpty() ? 0 : via.split(",").length;
                    if (r.statusCode() != 200)
                        problems.put(uri.toString(), r.statusCode() + " " + r.body());
                    else if (hops == 0 && servedBy.equals(entry.name()))
                        local.incrementAndGet();
                    else if (hops == 1 && via.equals("1.1 backhand-" + entry.name()) && !servedBy.equals(entry.name()))
                        proxied.incrementAndGet();
                    else
                        problems.put(uri.toString(), "entered at " + entry.name() + ", served by " + servedBy + ", Via: " + via);
                }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertEquals(Map.of(), problems, "requests served other than once, locally or after one hop");
        assertEquals(requests, local.get() + proxied.get());
        assertEquals(requests, NODES.stream().mapToLong(n -> Nodes.app(n).served()).sum() - servedBefore,
            "the applications served each request exactly once");
        // Both outcomes really happened, so that the no-loop property was tested on proxied requests.
        assertTrue(proxied.get() > requests / 10 && local.get() > requests / 10,
            "proxied " + proxied.get() + ", local " + local.get());
        long counted = 0;
        for (EmbeddedNode n : NODES)
        {
            for (JsonNode s : Http.json(n.statusUri()).get("servers"))
            {
                if (!s.get("self").asBoolean())
                    counted += s.get("fromThisNode").get("proxied").asLong();
            }
        }
        assertEquals(proxied.get(), counted, "the nodes' own counters agree: one proxy hop per proxied request");
    }

    /**
     * A request that already passed through a node is never balanced by it again: in a symmetric cluster
     * (no removeSelf) the node serves it itself. A client can only make its own request stay where it landed.
     */
    @Test
    void aRequestThatAlreadyPassedThroughANodeIsServedThereNotBalancedAgain() throws IOException
    {
        EmbeddedNode n1 = NODES.get(0);
        long before = Nodes.app(n1).served();
        for (int i = 0; i < 20; i++)
        {
            RawHttp.Response r = RawHttp.exchange(n1.port(), "GET", "/echo", List.of("Host: shop.example",
                "Via: 1.1 backhand-n2, 1.1 backhand-n1"), null);
            assertEquals(200, r.status());
            assertEquals("n1", r.header("X-Served-By"), "seen in Via: not balanced again");
        }
        assertEquals(before + 20, Nodes.app(n1).served());
    }
}
