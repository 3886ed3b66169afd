package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backhand.bench.load.StreamResult;
import io.backhand.bench.load.StreamSpec;

/**
 * Scenario 1, proxy overhead: one backend answering a fixed small body, reached directly and through each
 * proxy: the C servers, ours embedded and deployed in a stock jetty-home (and other builds of ours, with
 * --compare-build), and Jetty's own proxies with no Backhand at all, as a servlet in a bare WAR and as a core handler.
 * The load generator (and wrk) run on CPU 0; the backend and every proxy on CPU 1, so that a proxy's cost
 * is what it takes away from the backend's core. The contenders take turns within each round (interleaved), and
 * the order rotates between rounds, so that drift on this shared machine spreads over all of them.
 */
final class OverheadScenario
{
    static final String LOADGEN_CPU = "0";
    static final String SERVER_CPU = "1";
    static final int CONNECTIONS = 32;

    static ScenarioResult run(Env env, Agent agent, Trials trials) throws Exception
    {
        ScenarioResult result = new ScenarioResult("1", "Proxy overhead");
        List<Contender> all = new ArrayList<>(env.quick
            ? List.of(new DirectContender(), PeerContender.nginx(""))
            : List.of(new DirectContender(), PeerContender.nginx(""), PeerContender.haproxy("roundrobin"), PeerContender.httpd("bybusyness")));
        // Ours embedded and deployed, the builds it is compared with, and Jetty's own proxies without Backhand.
        all.add(BackhandContender.defaultChain());
        all.add(DeployedContender.defaultChain());
        all.addAll(env.otherBuilds);
        all.addAll(List.of(JettyProxyContender.bareWar(), JettyProxyContender.core()));
        List<Contender> contenders = env.select(all);
        int rounds = env.quick ? 1 : 3;
        long warm = env.quick ? 1_000 : 3_000;
        long maxMeasure = env.quick ? 2_000 : 8_000;
        long latMeasure = env.quick ? 3_000 : 15_000;
        Env.pin(agent.pid(), LOADGEN_CPU);
        List<Contender.Running> running = new ArrayList<>();
        try (Cluster cluster = new Cluster(env, "backend-s1", SERVER_CPU, List.of(1.0), "1s"))
        {
            Map<String, String> uris = new LinkedHashMap<>();
            Map<String, Contender.Running> byLabel = new LinkedHashMap<>();
            for (Contender c : contenders)
            {
                Contender.Running r = c.start(env, cluster, cluster.backends(), 1, SERVER_CPU);
                running.add(r);
                byLabel.put(c.label(), r);
                uris.put(c.label(), r.entries().get(0) + "small");
            }
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            System.out.println("Scenario 1: maximum throughput, closed loop, " + CONNECTIONS + " connections");
            Map<String, List<Double>> maxima = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < contenders.size(); k++)
                {
                    String label = contenders.get((k + round) % contenders.size()).label();
                    TrialRecord t = trials.closed("1", label, "max round " + (round + 1), uris.get(label), CONNECTIONS, cluster,
                        byLabel.get(label), warm, maxMeasure);
                    result.trials.add(t);
                    cpu.computeIfAbsent(label, x -> new ArrayList<>()).add(t.balancerCpuMicrosPerRequest());
                    maxima.computeIfAbsent(label, x -> new ArrayList<>()).add(t.balanced().throughput());
                }
            }
            Map<String, Double> max = new LinkedHashMap<>();
            maxima.forEach((k, v) -> max.put(k, median(v)));
            double nginxMax = max.getOrDefault("nginx round robin", max.values().iterator().next());
            // Half of the lower maximum, ours or nginx's: at half of nginx's, a proxy whose maximum is below it only
            // measures its own queue; the added latency means something at a rate both can carry.
            double oursMax = max.entrySet().stream().filter(e -> BackhandContender.isDefault(e.getKey()))
                .mapToDouble(Map.Entry::getValue).findFirst().orElse(nginxMax);
            double half = Math.max(50, Math.floor(Math.min(nginxMax, oursMax) * 0.5));
            double rate = sustainableRate(trials, uris.get("direct"), half, cluster);
            result.summary.put("latencyRateWanted", half);
            System.out.printf("Scenario 1: latency at %.0f req/s (half of the lower of nginx's and our default's maximum: %.0f), open loop, Poisson%n", rate, half);
            Map<String, List<StreamResult>> lat = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < contenders.size(); k++)
                {
                    String label = contenders.get((k + round) % contenders.size()).label();
                    TrialRecord t = trials.open("1", label, "latency round " + (round + 1), 0,
                        List.of(StreamSpec.open("lb", List.of(uris.get(label)), rate, true)), cluster, byLabel.get(label), warm,
                        latMeasure);
                    result.trials.add(t);
                    lat.computeIfAbsent(label, x -> new ArrayList<>()).add(t.balanced());
                }
            }
            Map<String, StreamResult> merged = new LinkedHashMap<>();
            lat.forEach((k, v) -> merged.put(k, StreamResult.merge(k, v)));
            result.summary.put("maxThroughput", max);
            result.summary.put("maxThroughputRounds", maxima);
            Map<String, Double> cpuMedian = new LinkedHashMap<>();
            cpu.forEach((k, v) -> cpuMedian.put(k, median(v)));
            result.summary.put("proxyCpuMicrosPerRequest", cpuMedian);
            result.summary.put("latencyRate", rate);
            result.summary.put("latency", summarize(merged));

            System.out.println("Scenario 1: wrk cross-check, closed loop, " + CONNECTIONS + " connections");
            int secs = env.quick ? 2 : 8;
            Map<String, Object> cross = new LinkedHashMap<>();
            for (String label : env.quick ? List.of("direct") : List.of("direct", "nginx round robin"))
            {
                WrkCrossCheck.WrkResult w = WrkCrossCheck.run(env, LOADGEN_CPU, uris.get(label), CONNECTIONS, secs);
                TrialRecord j = trials.closed("1", label, "java closed loop (cross-check)", uris.get(label), CONNECTIONS, null,
                    null, 1_000, secs * 1000L);
                result.trials.add(j);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("wrkThroughput", w.throughput());
                row.put("wrkPercentiles", w.percentilesMillis());
                row.put("javaThroughput", j.balanced().throughput());
                row.put("javaP50", j.balanced().latency().p50());
                row.put("javaP90", j.balanced().latency().p90());
                row.put("javaP99", j.balanced().latency().p99());
                cross.put(label, row);
                System.out.printf("  %-20s wrk %8.0f req/s p50 %s p99 %s | java %8.0f req/s p50 %.2f p99 %.2f ms%n", label,
                    w.throughput(), w.percentilesMillis().get("p50"), w.percentilesMillis().get("p99"),
                    j.balanced().throughput(), j.balanced().latency().p50(), j.balanced().latency().p99());
            }
            result.summary.put("wrkCrossCheck", cross);
        }
        finally
        {
            running.forEach(Contender.Running::close);
            Env.pin(agent.pid(), "0-" + (Runtime.getRuntime().availableProcessors() - 1));
        }
        return result;
    }

    /**
     * The rate the load generator can send on time from its one core, at most {@code wanted}: on a busy machine
     * half of nginx's maximum may be more than a Java client on one shared core sends on schedule, and a late
     * generator would be charged to whichever proxy it was measuring. Tried on the direct path; lowered by 30%
     * while more than 5% of the requests leave late.
     */
    static double sustainableRate(Trials trials, String directUri, double wanted, Cluster cluster) throws Exception
    {
        double rate = wanted;
        for (int i = 0; i < 6; i++)
        {
            TrialRecord t = trials.open("1", "direct", "generator calibration", 0,
                List.of(StreamSpec.open("lb", List.of(directUri), rate, true)), cluster, null, 1_000, 3_000);
            if (t.balanced().late() <= 0.05 * t.balanced().sent())
                return rate;
            rate = Math.floor(rate * 0.7);
        }
        return rate;
    }

    static Map<String, Map<String, Double>> summarize(Map<String, StreamResult> merged)
    {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        merged.forEach((k, r) ->
        {
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("p50", r.latency().p50());
            row.put("p99", r.latency().p99());
            row.put("p999", r.latency().p999());
            row.put("errors", (double) r.errorCount());
            row.put("late", (double) r.late());
            row.put("sent", (double) r.sent());
            out.put(k, row);
        });
        return out;
    }

    static double median(List<Double> values)
    {
        List<Double> s = new ArrayList<>(values);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
