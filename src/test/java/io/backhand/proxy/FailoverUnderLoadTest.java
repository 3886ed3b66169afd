package io.backhand.proxy;

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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node dies under load and no client notices. A balancer and three application nodes; one of them runs
 * in a JVM of its own and is killed with SIGKILL a third of the way through 20 s of GETs at a steady 200 per
 * second. Each GET takes 20 ms on the node, so some are in flight on the victim when it dies (their
 * connections are reset), the balancer's pool holds keep-alive connections to it (they die with it), and
 * byAge (20 s here) would keep it in the chain to the end of the run. All of it must be absorbed by
 * failover: the requests in flight and those sent on dead pooled connections are idempotent and had no
 * response yet, so they are retried; the first refused connection puts the node aside (passive health)
 * until it announces again, which it never does; the status map then forgets it.
 */
@Tag("cluster")
class FailoverUnderLoadTest
{
    private static final int RATE = 200;
    private static final Duration RUN = Duration.ofSeconds(20);
    private static final Duration KILL_AT = Duration.ofSeconds(7);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop()
    {
        Nodes.closeAll(closeables);
    }

    @Test
    void zeroGetsFailWhileANodeIsKilled() throws Exception
    {
        String cluster = Nodes.newCluster();
        ChildNode victim = ChildNode.start("victim", Map.of(
            "nodes", "app3",
            "app3.param.backhand.multicastStats", cluster,
            "app3.param.backhand.interface", "lo",
            "app3.param.backhand.acceptStats", "127.0.0.0/8"), List.of("-Xmx96m"));
        closeables.add(victim);
        closeables.add(Nodes.node("app1", cluster).start());
        closeables.add(Nodes.node("app2", cluster).start());
        // byAge 20 leaves the dead node in the chain for the rest of the run, so that only passive health keeps
        // requests off it; it also rides out announcements delayed by a heavily loaded test machine. A silent
        // node is forgotten after 10 s (default 30 s), so that the map drops it while the test watches.
        EmbeddedNode balancer = Nodes.node("balancer", cluster).param("backhand.forgetAfter", "10s")
            .balance("removeSelf\nbyAge 20\nbyRandom\nbyLogWindow\nbyBusyChildren").start();
        closeables.add(0, balancer);
        Nodes.awaitServers(balancer, 4);

        // Generous client timeouts: the machine running the tests may be very busy, and a slow answer is not
        // a failed one. A balancer that failed a request would answer 502/504 or cut the connection.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        int total = (int) (RATE * RUN.toSeconds());
        AtomicInteger sent = new AtomicInteger();
        Map<Integer, String> failures = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
        AtomicLong killedAtNanos = new AtomicLong();
        AtomicInteger victimAfterKill = new AtomicInteger();
        long start = System.nanoTime();
        clock.scheduleAtFixedRate(() ->
        {
            int i = sent.getAndIncrement();
            if (i >= total)
                return;
            HttpRequest request = HttpRequest.newBuilder(balancer.uri().resolve("/load?work=20&i=" + i))
                .timeout(Duration.ofSeconds(60)).build();
            long sentAt = System.nanoTime();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, failure) ->
            {
                if (failure != null)
                {
                    failures.put(i, failure.toString());
                    return null;
                }
                if (r.statusCode() != 200)
                {
                    failures.put(i, r.statusCode() + " " + r.body().strip());
                    return null;
                }
                String by = r.headers().firstValue("X-Served-By").orElse("?");
                servedBy.computeIfAbsent(by, k -> new AtomicInteger()).incrementAndGet();
                long killed = killedAtNanos.get();
                if (by.equals("app3") && killed != 0 && sentAt > killed)
                    victimAfterKill.incrementAndGet();
                return null;
            }));
        }, 0, 1_000_000 / RATE, TimeUnit.MICROSECONDS);

        // What the balancer's status map says of the victim, sampled through the run.
        AtomicBoolean seenDown = new AtomicBoolean();
        AtomicLong retriedFromVictim = new AtomicLong();
        clock.scheduleAtFixedRate(() ->
        {
            JsonNode s = Nodes.server(balancer, "app3");
            if (s != null && killedAtNanos.get() != 0)
            {
                seenDown.compareAndSet(false, s.get("down").asBoolean());
                retriedFromVictim.accumulateAndGet(s.get("fromThisNode").get("retried").asLong(), Math::max);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        Wait.until(KILL_AT.plusSeconds(5), "the kill time", () -> System.nanoTime() - start >= KILL_AT.toNanos());
        victim.kill();
        killedAtNanos.set(System.nanoTime());

        Wait.until(RUN.plusSeconds(30), total + " GETs sent", () -> sent.get() >= total);
        clock.shutdown();
        assertTrue(clock.awaitTermination(10, TimeUnit.SECONDS));
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        assertEquals(Map.of(), failures, "GETs that failed (of " + total + "); served by " + servedBy);
        assertEquals(total, servedBy.values().stream().mapToInt(AtomicInteger::get).sum());
        assertTrue(servedBy.getOrDefault("app3", new AtomicInteger()).get() > 50, "the victim served before it died: " + servedBy);
        assertEquals(0, victimAfterKill.get(), "GETs sent after the kill answered by the dead node");
        assertTrue(retriedFromVictim.get() > 0, "the balancer retried requests the victim could not answer");
        assertTrue(seenDown.get(), "the status map showed the victim down (passive health) before forgetting it");
        Wait.until(Duration.ofSeconds(20), "the status map to drop the killed node",
            () -> Nodes.server(balancer, "app3") == null);
        System.out.println("Failover under load: " + total + " GETs, 0 failed; served by " + servedBy
            + "; retried away from the victim: " + retriedFromVictim.get());
    }
}
