package io.backhand.web;

import io.backhand.node.Backhand;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local cluster works end to end: three application nodes and a balancer in one JVM, each a real Jetty on an
 * ephemeral loopback port, announcing over real multicast pinned to lo.
 */
@Tag("cluster")
class LocalClusterTest
{
    private static final String CHAIN = "removeSelf\nbyAge 6\nbyRandom\nbyLogWindow\nbyBusyChildren";
    private final List<EmbeddedNode> apps = new ArrayList<>();
    private EmbeddedNode balancer;

    @BeforeEach
    void start() throws Exception
    {
        String multicast = Net.multicastLine();
        for (int i = 1; i <= 3; i++)
            apps.add(node("app" + i, multicast).start());
        balancer = node("balancer", multicast).balance(CHAIN).start();
        Wait.until(Duration.ofSeconds(10), "4 servers in the balancer's map",
            () -> Http.json(balancer.statusUri()).get("servers").size() == 4);
    }

    private static EmbeddedNode.Builder node(String name, String multicast)
    {
        return EmbeddedNode.builder(name)
            .param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8");
    }

    @AfterEach
    void stop() throws Exception
    {
        for (EmbeddedNode n : apps)
            n.close();
        if (balancer != null)
            balancer.close();
    }

    @Test
    void everyApplicationNodeServesAndTheBalancerServesNone()
    {
        Map<String, Integer> servedBy = new TreeMap<>();
        for (int i = 0; i < 300; i++)
        {
            HttpResponse<String> r = Http.get(balancer.uri().resolve("/page/" + i));
            assertEquals(200, r.statusCode(), r.body());
            servedBy.merge(r.headers().firstValue("X-Served-By").orElse("?"), 1, Integer::sum);
        }
        for (EmbeddedNode app : apps)
            assertTrue(app.served() > 0, app.name() + " served nothing: " + servedBy);
        assertEquals(0, balancer.served(), "the balancer's own application must never serve under removeSelf");
        assertEquals(300, apps.stream().mapToLong(EmbeddedNode::served).sum());

        JsonNode status = Http.json(balancer.statusUri());
        assertEquals(4, status.get("servers").size(), status.toPrettyString());
        for (JsonNode s : status.get("servers"))
            assertTrue(s.get("ageSeconds").asDouble() < 3, s.toPrettyString());
    }

    @Test
    void aSilentNodeGetsNothingAfterByAgeAndAStoppedNodeCostsNoRequest() throws Exception
    {
        EmbeddedNode silent = apps.get(2);
        EmbeddedNode stopped = apps.get(1);
        // app3's announcements stop as in a crash of its stats plane, while its HTTP side keeps running:
        // only byAge can take it out of the balance.
        Backhand.of(silent.context().getServletContext()).stats().silence();
        long silencedAt = System.nanoTime();
        // app2 dies outright: its connections are refused from now on.
        stopped.close();

        long byAgePlusOne = Duration.ofSeconds(7).toNanos();
        long servedAtDeadline = -1;
        int failures = 0;
        int requests = 0;
        while (System.nanoTime() - silencedAt < byAgePlusOne + Duration.ofSeconds(3).toNanos())
        {
            if (servedAtDeadline < 0 && System.nanoTime() - silencedAt >= byAgePlusOne)
                servedAtDeadline = silent.served();
            HttpResponse<String> r = Http.get(balancer.uri().resolve("/after-stop/" + requests));
            requests++;
            if (r.statusCode() != 200)
                failures++;
            Thread.sleep(10);
        }
        assertEquals(0, failures, "GETs failed after a node stopped (" + requests + " sent)");
        assertEquals(servedAtDeadline, silent.served(), "the silent node still received requests after byAge + 1 s");
        assertTrue(apps.get(0).served() > 0);
    }
}
