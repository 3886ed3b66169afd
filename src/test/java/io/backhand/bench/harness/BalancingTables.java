package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.backhand.bench.backend.WorkGauge;
import io.backhand.bench.load.StreamResult;

/**
 * The balancing scenarios' tables: one row per contender, its repeated trials summed up as the p99 of each trial
 * (minimum / median / maximum) and as ratios to the oracle's median trial; the other figures are the median
 * trial's. Scenarios 6 and 7 add the event window's own figures. And the targets, read off the worst trial of
 * the default chain against the best peer's median trial.
 */
final class BalancingTables
{
    /** A backend's share has fallen once a timeline bucket, and the next, hold at most this part of its share before. */
    static final double FALLEN = 2.0 / 3;

    private BalancingTables()
    {
    }

    /** One contender's trials of one variant. */
    private record Row(String contender, List<TrialRecord> trials)
    {
        List<Double> p99s(boolean window)
        {
            return trials.stream().map(t -> stream(t, window).latency().p99()).sorted().toList();
        }

        double medianP99(boolean window)
        {
            return median(p99s(window));
        }

        double worstP99(boolean window)
        {
            List<Double> v = p99s(window);
            return v.get(v.size() - 1);
        }

        /** The trial whose p99 is the median (the lower middle one for an even count). */
        TrialRecord medianTrial()
        {
            List<TrialRecord> sorted = new ArrayList<>(trials);
            sorted.sort(Comparator.comparingDouble(t -> t.balanced().latency().p99()));
            return sorted.get((sorted.size() - 1) / 2);
        }
    }

    static StreamResult stream(TrialRecord t, boolean window)
    {
        StreamResult b = t.balanced();
        return window && b.window() != null ? b.window() : b;
    }

    static double median(List<Double> sorted)
    {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void render(StringBuilder md, ScenarioResult s, List<Report.Target> targets)
    {
        Map<String, Map<String, Row>> byVariant = new LinkedHashMap<>();
        for (TrialRecord t : s.trials)
        {
            byVariant.computeIfAbsent(t.variant(), k -> new LinkedHashMap<>())
                .computeIfAbsent(t.contender(), k -> new Row(k, new ArrayList<>())).trials().add(t);
        }
        boolean event = s.id.equals("6") || s.id.equals("7");
        md.append("Latency from each request's intended send time (open loop, Poisson; coordinated omission corrected). ")
            .append("Each row is one balancer's repeated trials (each repeat its own Poisson sequence, the same for every ")
            .append("balancer): p99 of each trial as minimum / median / maximum, and the median and the worst as ratios to ")
            .append("the oracle's median trial; the other columns are the median trial's. Share: each backend's part of the ")
            .append("answered traffic. Busy and queue: each backend's time-weighted mean of busy workers and of requests ")
            .append("waiting for one, as the backend itself counted them.");
        if (event)
        {
            md.append(" Window: the ").append(((Number) s.summary.get("eventMillis")).longValue() / 1000)
                .append(" s from ").append(((Number) s.summary.get("eventAtMillis")).longValue() / 1000)
                .append(" s into the measured window during which ").append(s.summary.get("node"))
                .append(s.id.equals("6") ? " is three times slower" : " answers 503 at once").append("; its figures count the requests intended in it.");
        }
        md.append("\n\n");
        for (Map.Entry<String, Map<String, Row>> v : byVariant.entrySet())
        {
            List<Row> rows = new ArrayList<>(v.getValue().values());
            TrialRecord first = rows.get(0).trials().get(0);
            md.append("### ").append(v.getKey()).append(" (").append(Report.fmt0(first.rate())).append(" req/s through the balancers")
                .append(first.streams().containsKey("direct") ? ", plus " + Report.fmt0(first.streams().get("direct").throughput())
                    + " req/s straight to b1" : "").append(")\n\n");
            Row oracle = v.getValue().get(OracleContender.LABEL);
            double oracleP99 = oracle == null ? Double.NaN : oracle.medianP99(false);
            double oracleWindow = oracle == null ? Double.NaN : oracle.medianP99(true);
            TreeSet<String> nodes = new TreeSet<>();
            rows.forEach(r -> r.trials().forEach(t -> nodes.addAll(t.backends().keySet())));
            boolean direct = first.streams().containsKey("direct");
            md.append("| balancer | trials | p99 ms min / median / max | median / oracle | worst / oracle | p50 ms | p99.9 ms | errors | late | balancer CPU us/req | share ")
                .append(String.join(" / ", nodes)).append(" | busy ").append(String.join(" / ", nodes)).append(" | queue ")
                .append(String.join(" / ", nodes)).append(" |");
            int columns = 13;
            if (direct)
            {
                md.append(" direct p99 ms |");
                columns++;
            }
            if (event)
            {
                md.append(" window p99 ms min / median / max | window worst / oracle | window errors / sent | ")
                    .append(s.summary.get("node")).append(" share before / in window |");
                columns += 4;
                if (s.id.equals("6"))
                {
                    md.append(" s until its share fell |");
                    columns++;
                }
            }
            md.append("\n|").append("---|".repeat(columns)).append('\n');
            for (Row r : rows)
            {
                TrialRecord m = r.medianTrial();
                StreamResult b = m.balanced();
                List<String> share = new ArrayList<>();
                List<String> busy = new ArrayList<>();
                List<String> queue = new ArrayList<>();
                for (String n : nodes)
                {
                    share.add(Report.fmt0(100.0 * b.servedBy().getOrDefault(n, 0L) / Math.max(1, b.ok())) + "%");
                    WorkGauge.Snapshot g = m.backends().get(n);
                    busy.add(g == null ? "-" : Report.fmt1(g.meanBusy()));
                    queue.add(g == null ? "-" : Report.fmt1(g.meanQueued()));
                }
                long errors = r.trials().stream().mapToLong(t -> t.balanced().errorCount()).sum();
                long late = r.trials().stream().mapToLong(t -> t.balanced().late()).sum();
                md.append("| ").append(r.contender()).append(" | ").append(r.trials().size()).append(" | ")
                    .append(triple(r.p99s(false))).append(" | ").append(Report.fmt2(r.medianP99(false) / oracleP99)).append(" | ")
                    .append(Report.fmt2(r.worstP99(false) / oracleP99)).append(" | ").append(Report.fmt2(b.latency().p50()))
                    .append(" | ").append(Report.fmt2(b.latency().p999())).append(" | ").append(errors == 0 ? "0" : errors + " (all trials)")
                    .append(" | ").append(late).append(" | ").append(Report.fmt0(m.balancerCpuMicrosPerRequest())).append(" | ")
                    .append(String.join(" / ", share)).append(" | ").append(String.join(" / ", busy)).append(" | ")
                    .append(String.join(" / ", queue)).append(" |");
                if (direct)
                    md.append(" ").append(Report.fmt2(m.streams().get("direct").latency().p99())).append(" |");
                if (event)
                {
                    String node = (String) s.summary.get("node");
                    long sent = r.trials().stream().mapToLong(t -> stream(t, true).sent()).sum();
                    long failed = r.trials().stream().mapToLong(t -> stream(t, true).errorCount()).sum();
                    md.append(" ").append(triple(r.p99s(true))).append(" | ").append(Report.fmt2(r.worstP99(true) / oracleWindow))
                        .append(" | ").append(failed).append(" / ").append(sent).append(" (").append(Report.fmt2(100.0 * failed / Math.max(1, sent)))
                        .append("%) | ").append(shareBefore(m, s, node)).append(" / ").append(shareIn(m, node)).append(" |");
                    if (s.id.equals("6"))
                    {
                        List<String> falls = r.trials().stream().map(t -> fallSeconds(t, s, node)).toList();
                        md.append(" ").append(String.join(" / ", falls)).append(" |");
                    }
                }
                md.append('\n');
            }
            md.append('\n');
            evaluate(s, v.getKey(), rows, targets);
        }
    }

    private static String triple(List<Double> sorted)
    {
        return Report.fmt2(sorted.get(0)) + " / " + Report.fmt2(median(sorted)) + " / " + Report.fmt2(sorted.get(sorted.size() - 1));
    }

    private static String shareBefore(TrialRecord t, ScenarioResult s, String node)
    {
        List<Map<String, Long>> line = t.balanced().timeline();
        if (line == null)
            return "-";
        int event = bucket(((Number) s.summary.get("eventAtMillis")).longValue());
        long served = 0;
        long all = 0;
        for (int i = 0; i < Math.min(event, line.size()); i++)
        {
            served += line.get(i).getOrDefault(node, 0L);
            all += line.get(i).values().stream().mapToLong(Long::longValue).sum();
        }
        return Report.fmt0(100.0 * served / Math.max(1, all)) + "%";
    }

    private static String shareIn(TrialRecord t, String node)
    {
        StreamResult w = t.balanced().window();
        if (w == null)
            return "-";
        return Report.fmt0(100.0 * w.servedBy().getOrDefault(node, 0L) / Math.max(1, w.ok() + w.errorCount())) + "%";
    }

    private static int bucket(long millis)
    {
        return (int) (millis / Trials.TIMELINE_MILLIS);
    }

    /**
     * Seconds from the start of the slow-down to the first timeline bucket from which, for two buckets, the
     * node's share of the answers is at most {@link #FALLEN} of its share before; "never" within the window.
     */
    static String fallSeconds(TrialRecord t, ScenarioResult s, String node)
    {
        List<Map<String, Long>> line = t.balanced().timeline();
        if (line == null)
            return "-";
        int event = bucket(((Number) s.summary.get("eventAtMillis")).longValue());
        int end = Math.min(line.size(), event + bucket(((Number) s.summary.get("eventMillis")).longValue()));
        double before = 0;
        long all = 0;
        for (int i = 0; i < Math.min(event, line.size()); i++)
        {
            before += line.get(i).getOrDefault(node, 0L);
            all += line.get(i).values().stream().mapToLong(Long::longValue).sum();
        }
        double threshold = FALLEN * before / Math.max(1, all);
        for (int i = event; i + 1 < end; i++)
        {
            if (share(line.get(i), node) <= threshold && share(line.get(i + 1), node) <= threshold)
                return String.format("%.1f", (i - event) * Trials.TIMELINE_MILLIS / 1000.0);
        }
        return "never";
    }

    private static double share(Map<String, Long> bucket, String node)
    {
        long all = bucket.values().stream().mapToLong(Long::longValue).sum();
        return all == 0 ? 0 : (double) bucket.getOrDefault(node, 0L) / all;
    }

    /**
     * The targets, for every chain of ours: its worst trial against the best peer's median trial (p99 at most 0.8 times,
     * at the very least 1.0 times) in scenarios 2 at 85%, 3, 5 and 6 (the slow window); against the oracle's median
     * (at most 1.3 times) in 2 and 3; in 7, client-seen errors at most 1% of the requests sent in the window for
     * the default chain and for byLatency.
     */
    private static void evaluate(ScenarioResult s, String variant, List<Row> rows, List<Report.Target> targets)
    {
        Row oracle = rows.stream().filter(r -> r.contender().equals(OracleContender.LABEL)).findFirst().orElse(null);
        boolean window = s.id.equals("6");
        Row bestPeer = null;
        for (Row r : rows)
        {
            if (r.contender().startsWith("backhand") || r == oracle)
                continue;
            if (bestPeer == null || r.medianP99(window) < bestPeer.medianP99(window))
                bestPeer = r;
        }
        String where = variant + (window ? " (slow window)" : "");
        boolean versusPeers = (s.id.equals("2") && variant.equals("85%")) || List.of("3", "5", "6").contains(s.id);
        // Every chain of ours is read against the targets, the default first: which chain should be the default is
        // itself read off these rows.
        List<Row> ours = new ArrayList<>(rows.stream().filter(r -> r.contender().startsWith("backhand")).toList());
        ours.sort(Comparator.comparing(r -> !BackhandContender.isDefault(r.contender())));
        for (Row r : ours)
        {
            if (bestPeer != null && versusPeers)
            {
                double ratio = r.worstP99(window) / bestPeer.medianP99(window);
                targets.add(new Report.Target(s.id, where + ": " + r.contender() + " worst p99 <= 0.8 x the best peer's median (at least <= 1.0 x)",
                    Report.fmt2(r.worstP99(window)) + " vs " + bestPeer.contender() + " " + Report.fmt2(bestPeer.medianP99(window))
                        + " ms = " + Report.fmt2(ratio) + " x",
                    ratio <= 0.8 ? "met" : ratio <= 1.0 ? "missed 0.8, met 1.0" : "missed"));
            }
            if (oracle != null && (s.id.equals("3") || (s.id.equals("2") && variant.equals("85%"))))
            {
                double ratio = r.worstP99(false) / oracle.medianP99(false);
                targets.add(new Report.Target(s.id, variant + ": " + r.contender() + " worst p99 <= 1.3 x the oracle's median",
                    Report.fmt2(r.worstP99(false)) + " vs " + Report.fmt2(oracle.medianP99(false)) + " ms = " + Report.fmt2(ratio) + " x",
                    ratio <= 1.3 ? "met" : "missed"));
            }
            if (s.id.equals("7"))
            {
                double worst = r.trials().stream().mapToDouble(t -> 100.0 * stream(t, true).errorCount()
                    / Math.max(1, stream(t, true).sent())).max().orElse(Double.NaN);
                targets.add(new Report.Target("7", r.contender() + ": client-seen errors <= 1% of the requests sent while b1 fails",
                    "worst trial " + Report.fmt2(worst) + "%", worst <= 1.0 ? "met" : "missed"));
            }
        }
    }
}
