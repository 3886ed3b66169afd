package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
                case "2", "3", "5", "6", "7", "8" -> BalancingTables.render(md, s, targets);
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
            .append(fmt0((Double) s.summary.get("latencyRate"))).append(" req/s (half of the lower of nginx's and our default chain's maxima is ")
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
        String def = max.keySet().stream().filter(BackhandContender::isDefault).findFirst().orElse("");
        Double ours = max.get(def);
        if (ours != null && lat.containsKey("nginx round robin"))
        {
            double ratio = ours / nginx;
            targets.add(new Target("1", "throughput through Backhand >= 0.5 x nginx", fmt2(ratio) + " x", ratio >= 0.5 ? "met" : "missed"));
            double ourAdded = lat.get(def).get("p99") - d.get("p99");
            double nginxAdded = lat.get("nginx round robin").get("p99") - d.get("p99");
            boolean ok = ourAdded <= 2 * Math.max(nginxAdded, 0.001);
            targets.add(new Target("1", "added p99 at 50% load <= 2 x nginx's added p99",
                fmt2(ourAdded) + " ms vs nginx " + fmt2(nginxAdded) + " ms", ok ? "met" : "missed"));
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

    static String errors(StreamResult r)
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
