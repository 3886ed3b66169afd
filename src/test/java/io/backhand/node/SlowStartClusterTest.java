package io.backhand.node;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Closing;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that joins a running cluster takes a share of traffic that ramps up over backhand.slowStart
 * instead of being flooded for looking idle. With byRandom over three nodes its full share is a third; over an
 * 8 s slow start its share in each window should follow (t / 8) / 3.
 */
@Tag("cluster")
class SlowStartClusterTest
{
    private final List<EmbeddedNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception
    {
        Closing.closeAll(nodes);
    }

    private EmbeddedNode start(String name, String multicast, String chain) throws Exception
    {
        EmbeddedNode.Builder b = EmbeddedNode.builder(name).param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo").param("backhand.acceptStats", "127.0.0.1/32")
            .param("backhand.slowStart", "8s").stopTimeout(0);
        if (chain != null)
            b.balance(chain);
        EmbeddedNode n = b.start();
        nodes.add(n);
        return n;
    }

    private static boolean listed(EmbeddedNode balancer, String name)
    {
        for (JsonNode s : Http.json(balancer.statusUri()).get("servers"))
        {
            if (s.get("name").asText().equals(name))
                return true;
        }
        return false;
    }

    private static double uptime(EmbeddedNode balancer, String name)
    {
        for (JsonNode s : Http.json(balancer.statusUri()).get("servers"))
        {
            if (s.get("name").asText().equals(name))
                return (java.time.Instant.parse(s.get("sentAt").asText()).toEpochMilli()
                    - java.time.Instant.parse(s.get("startedAt").asText()).toEpochMilli()) / 1000.0;
        }
        return 0;
    }

    @Test
    void aNewNodesShareFollowsTheRamp() throws Exception
    {
        String multicast = Net.multicastLine();
        start("old1", multicast, null);
        start("old2", multicast, null);
        EmbeddedNode balancer = start("ramp-bal", multicast, "removeSelf\nbyAge 6\nbyRandom");
        Wait.until(Duration.ofSeconds(10), "the old nodes on the balancer", () -> listed(balancer, "old1") && listed(balancer, "old2"));
        // The old nodes must be past their own slow start, by their own announced clocks, before the newcomer comes.
        Wait.until(Duration.ofSeconds(30), "the old nodes to be up for 8 s",
            () -> uptime(balancer, "old1") > 8.2 && uptime(balancer, "old2") > 8.2);

        long joined = System.nanoTime();
        start("fresh", multicast, null);
        Wait.until(Duration.ofSeconds(5), "the fresh node on the balancer", () -> listed(balancer, "fresh"));

        int windows = 5;
        double windowSeconds = 2;
        int[] fresh = new int[windows];
        int[] total = new int[windows];
        while (true)
        {
            double t = (System.nanoTime() - joined) / 1e9;
            int w = (int) (t / windowSeconds);
            if (w >= windows)
                break;
            HttpResponse<String> r = Http.get(balancer.uri().resolve("/ramp"));
            if (r.statusCode() != 200)
                throw new AssertionError(r.statusCode() + " " + r.body());
            total[w]++;
            if (r.headers().firstValue("X-Served-By").orElse("").equals("fresh"))
                fresh[w]++;
        }
        double[] share = new double[windows];
        StringBuilder report = new StringBuilder();
        for (int w = 0; w < windows; w++)
        {
            share[w] = total[w] == 0 ? 0 : (double) fresh[w] / total[w];
            double mid = (w + 0.5) * windowSeconds;
            report.append(String.format("[%.0f-%.0fs] %d/%d = %.2f (ramp %.2f)  ", w * windowSeconds, (w + 1) * windowSeconds,
                fresh[w], total[w], share[w], Math.min(1, mid / 8) / 3));
        }
        System.out.println("slow start: " + report);
        for (int w = 0; w < windows; w++)
            assertTrue(total[w] >= 20, "too few requests to judge window " + w + ": " + report);
        assertTrue(share[0] < 0.15, "flooded at first: " + report);
        assertTrue(share[4] > 0.22, "never reached its share: " + report);
        assertTrue(share[0] < share[2] && share[2] < share[4] + 0.05, "the share does not ramp: " + report);
    }
}
