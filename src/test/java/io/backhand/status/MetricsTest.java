package io.backhand.status;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.backhand.testing.Http;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /backhand/metrics on a real two-node cluster: the text exposition format checked strictly, and its figures
 * checked against what was done to the cluster and against the JSON.
 */
@Tag("cluster")
class MetricsTest
{
    private static TwoNodes cluster;

    @BeforeAll
    static void start() throws Exception
    {
        cluster = new TwoNodes();
        cluster.balance(25);
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (cluster != null)
            cluster.close();
    }

    private static List<PrometheusText.Sample> scrape(io.backhand.demo.EmbeddedNode node)
    {
        HttpResponse<String> r = Http.get(node.statusUri().resolve("metrics"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return PrometheusText.parse(r.body());
    }

    private static double value(List<PrometheusText.Sample> samples, String name, String... labels)
    {
        Map<String, String> want = new java.util.HashMap<>();
        for (int i = 0; i < labels.length; i += 2)
            want.put(labels[i], labels[i + 1]);
        List<PrometheusText.Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).toList();
        assertEquals(1, found.size(), name + want + " in " + samples.stream().filter(s -> s.name().equals(name)).toList());
        return found.get(0).value();
    }

    @Test
    void theExpositionIsValidAndEveryMetricIsBackhandsAndLabelled()
    {
        List<PrometheusText.Sample> samples = scrape(cluster.balancer);
        assertTrue(samples.size() > 50, "only " + samples.size() + " samples");
        for (PrometheusText.Sample s : samples)
        {
            assertTrue(s.name().startsWith("backhand_"), s.name());
            if (s.name().startsWith("backhand_server_") || s.name().startsWith("backhand_backend_"))
                assertTrue(Set.of("app1", "balancer").contains(s.labels().get("server")), s.toString());
            if (s.name().startsWith("backhand_filter_"))
                assertEquals("backhand", s.labels().get("filter"), s.toString());
        }
    }

    @Test
    void theCountersAreWhatTheBalancerDid()
    {
        List<PrometheusText.Sample> samples = scrape(cluster.balancer);
        assertEquals(25, value(samples, "backhand_backend_requests_total", "server", "app1", "outcome", "proxied"));
        assertEquals(0, value(samples, "backhand_backend_requests_total", "server", "balancer", "outcome", "local"));
        assertEquals(0, value(samples, "backhand_backend_requests_total", "server", "app1", "outcome", "failed"));
        assertEquals(25, value(samples, "backhand_filter_requests_total", "filter", "backhand", "server", "app1", "outcome", "proxied"));
        assertEquals(0, value(samples, "backhand_filter_unavailable_total", "filter", "backhand"));
        assertEquals(2, value(samples, "backhand_cluster_servers"));
        assertTrue(value(samples, "backhand_backend_response_time_p99_seconds", "server", "app1") > 0);
        assertEquals(0, value(samples, "backhand_backend_in_flight", "server", "app1"));
        assertEquals(1, value(samples, "backhand_server_state", "server", "app1", "state", "ready"));
        assertEquals(0, value(samples, "backhand_server_state", "server", "app1", "state", "draining"));
        assertEquals(0, value(samples, "backhand_server_stale", "server", "app1"));
        assertTrue(value(samples, "backhand_server_workers", "server", "app1") > 0);
        assertTrue(value(samples, "backhand_server_memory_bytes", "server", "app1") > 0);
        // app1 announces what it has backhanded: nothing, since it balances nothing.
        assertEquals(0, value(samples, "backhand_server_requests_backhanded_total", "server", "app1"));
    }

    @Test
    void eachContextHasItsOwnRegistryAndItsOwnView()
    {
        List<PrometheusText.Sample> fromBalancer = scrape(cluster.balancer);
        List<PrometheusText.Sample> fromApp = scrape(cluster.app);
        Set<String> balancerSelf = selfOf(fromBalancer);
        Set<String> appSelf = selfOf(fromApp);
        assertEquals(Set.of("balancer"), balancerSelf);
        assertEquals(Set.of("app1"), appSelf);
        // app1 has no filter, so it counts no requests of its own at all.
        assertTrue(fromApp.stream().noneMatch(s -> s.name().startsWith("backhand_filter_")), fromApp.toString());
        assertEquals(0, value(fromApp, "backhand_backend_requests_total", "server", "balancer", "outcome", "proxied"));
    }

    private static Set<String> selfOf(List<PrometheusText.Sample> samples)
    {
        return samples.stream().filter(s -> s.name().equals("backhand_server_info") && "true".equals(s.labels().get("self")))
            .map(s -> s.labels().get("server")).collect(Collectors.toSet());
    }

    @Test
    void theStatsPlaneDropCountersCountABadDatagram() throws Exception
    {
        double before = value(scrape(cluster.balancer), "backhand_stats_dropped_total", "reason", "not_backhand");
        cluster.sendGarbageDatagram();
        Wait.until(Duration.ofSeconds(10), "the balancer to count the bad datagram",
            () -> value(scrape(cluster.balancer), "backhand_stats_dropped_total", "reason", "not_backhand") == before + 1);
        List<PrometheusText.Sample> samples = scrape(cluster.balancer);
        assertTrue(value(samples, "backhand_stats_accepted_total") > 0);
        for (String reason : List.of("foreign", "not_backhand", "version", "truncated", "oversized", "malformed",
            "unsigned", "bad_signature", "replayed"))
            value(samples, "backhand_stats_dropped_total", "reason", reason);
        // The same counter as the JSON shows it.
        assertEquals(value(samples, "backhand_stats_dropped_total", "reason", "not_backhand"),
            Http.json(cluster.balancer.statusUri()).get("statsPlane").get("dropped").get("not_backhand").asDouble());
    }

    @Test
    void everyMetricIsDocumentedAndEveryDocumentedMetricExists() throws IOException
    {
        Set<String> families = new TreeSet<>();
        for (PrometheusText.Sample s : scrape(cluster.balancer))
            families.add(s.family());
        String doc = Files.readString(Path.of("docs", "status.md"));
        String section = doc.substring(doc.indexOf("## Prometheus metrics"));
        section = section.substring(0, section.indexOf("\n## ", 5) > 0 ? section.indexOf("\n## ", 5) : section.length());
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `(backhand_[a-z0-9_]+)`", Pattern.MULTILINE).matcher(section);
        while (m.find())
            documented.add(m.group(1));
        assertEquals(documented, families);
    }
}
