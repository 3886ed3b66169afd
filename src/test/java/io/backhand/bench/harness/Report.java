package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.backhand.bench.backend.WorkGauge;
import io.backhand.bench.load.StreamResult;

/** Turns scenario results into markdown tables, and reads the targets off them. */
final class Report
{
    /** One target of the issue, as read from this run. */
    record Target(String scenario, String text, String measured, String verdict)
    {
    }

    private final List<Target> targets = new ArrayList<>();

    List<Target> targets()
    {
        return targets;
    }

    String render(Map<String, String> machine, Map<String, String> versions, String command, String started, boolean quick,
                  List<ScenarioResult> scenarios)
    {
        StringBuilder md = new StringBuilder();
        md.append("# Backhand benchmark results").append(quick ? " (--quick: short trials, not for publishing)" : "").append("\n\n");
        md.append("- Date: ").append(started).append("\n");
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Machine: ").append(machine.get("nproc")).append(" CPUs (").append(machine.get("cpu")).append("), ")
            .append(machine.get("memory")).append(", ").append(machine.get("os")).append(", ").append(machine.get("kernel")).append("\n");
        md.append("- Java: ").append(machine.get("java")).append("; load average at start: ").append(machine.get("loadAverageAtStart")).append("\n");
        md.append("- Peers: ");
        versions.forEach((k, v) -> md.append(k).append(' ').append(v).append("; "));
        md.append("\n\n");
        for (ScenarioResult s : scenarios)
        {
            md.append("## Scenario ").append(s.id).append(": ").append(s.title).append("\n\n");
            switch (s.id)
            {
                case "1" -> overhead(md, s);
                case "2", "3" -> cluster(md, s);
                case "4" -> staleness(md, s);
                default -> { }
            }
            for (String n : s.notes)
                md.append(n).append("\n\n");
        }
        md.append("## Targets\n\n| scenario | target | measured | verdict |\n|---|---|---|---|\n");
        for (Target t : targets)
            md.append("| ").append(t.scenario).append(" | ").append(t.text).append(" | ").append(t.measured).append(" | ").append(t.verdict).append(" |\n");
        md.append('\n');
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private void overhead(StringBuilder md, ScenarioResult s)
    {
        Map<String, Double> max = (Map<String, Double>) s.summary.get("maxThroughput");
        Map<String, List<Double>> rounds = (Map<String, List<Double>>) s.summary.get("maxThroughputRounds");
        Map<String, Map<String, Double>> lat = (Map<String, Map<String, Double>>) s.summary.get("latency");
        Map<String, Double> cpu = (Map<String, Double>) s.summary.get("proxyCpuMicrosPerRequest");
        double direct = max.get("direct");
        double nginx = max.getOrDefault("nginx round robin", Double.NaN);
        Map<String, Double> d = lat.get("direct");
        md.append("Maximum throughput: closed loop, ").append(OverheadScenario.CONNECTIONS)
            .append(" connections, median of the rounds. Latency: open loop (Poisson) at ")
            .append(fmt0((Double) s.summary.get("latencyRate"))).append(" req/s (half of nginx's maximum is ")
            .append(fmt0((Double) s.summary.get("latencyRateWanted")))
            .append(" req/s; lower when the generator could not send that on time from its core), all rounds merged. ")
            .append("Load generator on CPU 0; backend and proxy on CPU 1.\n\n");
        md.append("| path | max req/s | rounds | x direct | x nginx | proxy CPU us/request | p50 ms | p99 ms | added p50 ms | added p99 ms | errors |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Double> e : max.entrySet())
        {
            Map<String, Double> l = lat.get(e.getKey());
            md.append("| ").append(e.getKey()).append(" | ").append(fmt0(e.getValue())).append(" | ")
                .append(rounds.get(e.getKey()).stream().map(Report::fmt0).toList()).append(" | ")
                .append(fmt2(e.getValue() / direct)).append(" | ").append(fmt2(e.getValue() / nginx)).append(" | ")
                .append(fmt0(cpu.get(e.getKey()))).append(" | ").append(fmt2(l.get("p50"))).append(" | ").append(fmt2(l.get("p99"))).append(" | ")
                .append(fmt2(l.get("p50") - d.get("p50"))).append(" | ").append(fmt2(l.get("p99") - d.get("p99"))).append(" | ")
                .append(fmt0(l.get("errors"))).append(" |\n");
        }
        md.append('\n');
        Map<String, Map<String, Object>> cross = (Map<String, Map<String, Object>>) s.summary.get("wrkCrossCheck");
        if (cross != null)
        {
            md.append("Cross-check of the Java load generator against wrk, both closed loop with ")
                .append(OverheadScenario.CONNECTIONS).append(" connections on CPU 0:\n\n");
            md.append("| target | wrk req/s | Java req/s | wrk p50 / p99 ms | Java p50 / p99 ms |\n|---|---|---|---|---|\n");
            cross.forEach((k, row) ->
            {
                Map<String, Double> w = (Map<String, Double>) row.get("wrkPercentiles");
                md.append("| ").append(k).append(" | ").append(fmt0((Double) row.get("wrkThroughput"))).append(" | ")
                    .append(fmt0((Double) row.get("javaThroughput"))).append(" | ").append(fmt2(w.get("p50"))).append(" / ")
                    .append(fmt2(w.get("p99"))).append(" | ").append(fmt2((Double) row.get("javaP50"))).append(" / ")
                    .append(fmt2((Double) row.get("javaP99"))).append(" |\n");
            });
            md.append('\n');
        }
        Double ours = max.get("backhand default");
        if (ours != null && lat.containsKey("nginx round robin"))
        {
            double ratio = ours / nginx;
            targets.add(new Target("1", "throughput through Backhand >= 0.5 x nginx", fmt2(ratio) + " x", ratio >= 0.5 ? "met" : "missed"));
            double ourAdded = lat.get("backhand default").get("p99") - d.get("p99");
            double nginxAdded = lat.get("nginx round robin").get("p99") - d.get("p99");
            boolean ok = ourAdded <= 2 * Math.max(nginxAdded, 0.001);
            targets.add(new Target("1", "added p99 at 50% load <= 2 x nginx's added p99",
                fmt2(ourAdded) + " ms vs nginx " + fmt2(nginxAdded) + " ms", ok ? "met" : "missed"));
        }
    }

    private void cluster(StringBuilder md, ScenarioResult s)
    {
        Map<String, List<TrialRecord>> byVariant = new LinkedHashMap<>();
        for (TrialRecord t : s.trials)
            byVariant.computeIfAbsent(t.variant(), k -> new ArrayList<>()).add(t);
        md.append("Latency from each request's intended send time (open loop, Poisson; coordinated omission corrected). ")
            .append("Share: each backend's part of the balanced traffic (b4 is three times slower). Busy and queue: each ")
            .append("backend's time-weighted mean of busy workers (of 4) and of requests waiting for one, as the backend ")
            .append("itself counted them. All backends share one kernel, so their load averages are identical and tell ")
            .append("nothing: these figures and the latencies are what tell them apart.\n\n");
        for (Map.Entry<String, List<TrialRecord>> v : byVariant.entrySet())
        {
            TrialRecord first = v.getValue().get(0);
            md.append("### ").append(v.getKey()).append(" (").append(fmt0(first.rate())).append(" req/s through the balancers")
                .append(first.streams().containsKey("direct") ? ", plus " + fmt0(first.streams().get("direct").throughput())
                    + " req/s straight to b1" : "").append(")\n\n");
            TreeSet<String> nodes = new TreeSet<>();
            v.getValue().forEach(t -> nodes.addAll(t.backends().keySet()));
            md.append("| balancer | p50 ms | p99 ms | p99.9 ms | errors | late | balancer CPU us/req | share ").append(String.join(" / ", nodes))
                .append(" | busy ").append(String.join(" / ", nodes)).append(" | queue ").append(String.join(" / ", nodes));
            boolean direct = first.streams().containsKey("direct");
            md.append(direct ? " | direct p99 ms |\n" : " |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|").append(direct ? "---|\n" : "\n");
            for (TrialRecord t : v.getValue())
            {
                StreamResult b = t.balanced();
                List<String> share = new ArrayList<>();
                List<String> busy = new ArrayList<>();
                List<String> queue = new ArrayList<>();
                for (String n : nodes)
                {
                    share.add(fmt0(100.0 * b.servedBy().getOrDefault(n, 0L) / Math.max(1, b.ok())) + "%");
                    WorkGauge.Snapshot g = t.backends().get(n);
                    busy.add(g == null ? "-" : fmt1(g.meanBusy()));
                    queue.add(g == null ? "-" : fmt1(g.meanQueued()));
                }
                md.append("| ").append(t.contender()).append(" | ").append(fmt2(b.latency().p50())).append(" | ")
                    .append(fmt2(b.latency().p99())).append(" | ").append(fmt2(b.latency().p999())).append(" | ")
                    .append(errors(b)).append(" | ").append(b.late()).append(" | ").append(fmt0(t.balancerCpuMicrosPerRequest()))
                    .append(" | ").append(String.join(" / ", share))
                    .append(" | ").append(String.join(" / ", busy)).append(" | ").append(String.join(" / ", queue));
                if (direct)
                    md.append(" | ").append(fmt2(t.streams().get("direct").latency().p99()));
                md.append(" |\n");
            }
            md.append('\n');
            evaluate(s.id, v.getKey(), v.getValue());
        }
    }

    private void evaluate(String scenario, String variant, List<TrialRecord> trials)
    {
        Map<String, Double> p99 = new LinkedHashMap<>();
        trials.forEach(t -> p99.put(t.contender(), t.balanced().latency().p99()));
        Double ours = p99.get("backhand default");
        if (ours == null)
            return;
        if (scenario.equals("2") && variant.equals("85%"))
        {
            for (String peer : List.of("nginx least_conn", "haproxy leastconn"))
            {
                if (p99.containsKey(peer))
                    targets.add(new Target("2", "85%: default chain p99 <= " + peer + " p99",
                        fmt2(ours) + " vs " + fmt2(p99.get(peer)) + " ms", ours <= p99.get(peer) ? "met" : "missed"));
            }
            for (String rr : List.of("nginx round robin", "haproxy roundrobin"))
            {
                if (p99.containsKey(rr))
                    targets.add(new Target("2", "85%: default chain p99 <= half of " + rr + " p99",
                        fmt2(ours) + " vs " + fmt2(p99.get(rr)) + " ms", ours <= p99.get(rr) / 2 ? "met" : "missed"));
            }
        }
        if (scenario.equals("3"))
        {
            List<String> missed = new ArrayList<>();
            double worstRatio = Double.POSITIVE_INFINITY;
            String worst = "";
            for (Map.Entry<String, Double> e : p99.entrySet())
            {
                if (e.getKey().startsWith("backhand"))
                    continue;
                double ratio = e.getValue() / ours;
                if (ratio < worstRatio)
                {
                    worstRatio = ratio;
                    worst = e.getKey();
                }
                if (ratio < 1.5)
                    missed.add(e.getKey() + " (" + fmt2(ratio) + " x)");
            }
            if (!worst.isEmpty())
                targets.add(new Target("3", variant + ": default chain p99 beats every peer's by >= 1.5 x",
                    "closest: " + worst + " at " + fmt2(worstRatio) + " x ours (" + fmt2(ours) + " ms)",
                    missed.isEmpty() ? "met" : "missed against " + String.join(", ", missed)));
        }
    }

    private void staleness(StringBuilder md, ScenarioResult s)
    {
        Double oracle = null;
        for (TrialRecord t : s.trials)
        {
            if (t.variant().startsWith("10ms"))
                oracle = t.balanced().latency().p99();
        }
        md.append("The default chain at 85% load; the backends announce at the interval shown. The oracle announces every 10 ms.\n\n");
        md.append("| announce interval | p50 ms | p99 ms | p99.9 ms | errors | p99 / oracle's | busy b1 / b2 / b3 / b4 |\n|---|---|---|---|---|---|---|\n");
        for (TrialRecord t : s.trials)
        {
            StreamResult b = t.balanced();
            List<String> busy = new ArrayList<>();
            t.backends().values().forEach(g -> busy.add(fmt1(g.meanBusy())));
            md.append("| ").append(t.variant()).append(" | ").append(fmt2(b.latency().p50())).append(" | ")
                .append(fmt2(b.latency().p99())).append(" | ").append(fmt2(b.latency().p999())).append(" | ").append(errors(b))
                .append(" | ").append(oracle == null ? "-" : fmt2(b.latency().p99() / oracle)).append(" | ")
                .append(String.join(" / ", busy)).append(" |\n");
            if (t.variant().equals("1s") && oracle != null)
            {
                double ratio = b.latency().p99() / oracle;
                targets.add(new Target("4", "1 s staleness: p99 within 1.5 x the oracle's", fmt2(ratio) + " x",
                    ratio <= 1.5 ? "met" : "missed"));
            }
        }
        md.append('\n');
    }

    private static String errors(StreamResult r)
    {
        if (r.errorCount() == 0)
            return "0";
        return r.errorCount() + " " + r.errors();
    }

    static String fmt0(Double v)
    {
        return v == null || v.isNaN() ? "-" : String.format("%.0f", v);
    }

    static String fmt1(double v)
    {
        return Double.isNaN(v) ? "-" : String.format("%.1f", v);
    }

    static String fmt2(Double v)
    {
        return v == null || v.isNaN() ? "-" : String.format("%.2f", v);
    }
}
