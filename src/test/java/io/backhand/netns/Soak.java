package io.backhand.netns;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The soak run of {@code bench/soak}: the namespace cluster (a balancer and four application nodes), its
 * capacity measured through the balancer with a closed loop, then {@code --minutes} of open-loop load at
 * {@code --fraction} of it, while the balancer's heap after GC, threads, resident memory and file descriptors
 * are sampled. The report compares the first minute with the last: at a steady load they must stay flat.
 *
 * <p>Exit status: 0 flat and no errors, 1 something grew or requests failed, 2 the cluster cannot run here.</p>
 */
public final class Soak
{
    private Soak()
    {
    }

    public static void main(String[] args) throws Exception
    {
        Map<String, String> o = new HashMap<>(Map.of("minutes", "10", "fraction", "0.7", "concurrency", "32",
            "work", "target/soak", "report", "target/soak-report.md", "sample-seconds", "5"));
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2)))
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
            o.put(args[i].substring(2), args[i + 1]);
        }
        String why = NetnsSupport.whyUnavailable();
        if (why != null)
        {
            System.err.println("soak: the network-namespace cluster cannot run here: " + why);
            System.exit(2);
        }
        double minutes = Double.parseDouble(o.get("minutes"));
        double fraction = Double.parseDouble(o.get("fraction"));
        int concurrency = Integer.parseInt(o.get("concurrency"));
        Path work = Path.of(o.get("work")).toAbsolutePath().resolve("run-" + ProcessHandle.current().pid());
        int status;
        try (NetnsCluster cluster = NetnsCluster.create(work, new NetnsCluster.Options(4, false,
            "soak-cluster-key-" + Long.toHexString(System.nanoTime()), null, List.of())))
        {
            say("cluster: " + cluster.nodes().stream().map(n -> n.name() + " " + n.host().address()).toList() + "; starting Jetty");
            cluster.launch();
            awaitFullMap(cluster);
            say("warming up: closed loop, " + concurrency + " concurrent, 20 s");
            cluster.startLoad("warmup", closed(concurrency, 20)).await(120);
            String cap = cluster.startLoad("capacity", closed(concurrency, 30)).await(120);
            double capacity = LoadRun.field(cap, "rate");
            double rate = Math.max(1, capacity * fraction);
            say(String.format(Locale.ROOT, "capacity through the balancer: %.0f requests/s (%s); soaking at %.0f/s for %.1f min",
                capacity, cap, rate, minutes));
            long balancer = cluster.node(NetnsCluster.BALANCER).jetty().pid();
            JvmSampler sampler = new JvmSampler(balancer, Long.parseLong(o.get("sample-seconds")) * 1000).start();
            String loadBefore = loadAverage();
            long soakFrom = System.currentTimeMillis();
            LoadRun load = cluster.startLoad("soak", List.of("--rate", String.format(Locale.ROOT, "%.1f", rate), "--seconds",
                Long.toString(Math.round(minutes * 60)), "--post-ratio", "0.5", "--max-body", "8192", "--timeout-seconds", "10",
                "--run-id", "s"));
            String done = progress(load, sampler, soakFrom, minutes);
            sampler.close();
            long soakTo = System.currentTimeMillis();
            String report = report(cluster, cap, capacity, fraction, rate, done, sampler.samples(), seconds(load.results()),
                soakFrom, soakTo, loadBefore);
            Path file = Path.of(o.get("report"));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report);
            System.out.println(report);
            say("report written to " + file.toAbsolutePath());
            status = report.contains("**Verdict: flat") ? 0 : 1;
        }
        System.exit(status);
    }

    private static List<String> closed(int concurrency, int seconds)
    {
        return List.of("--concurrency", Integer.toString(concurrency), "--seconds", Integer.toString(seconds), "--post-ratio", "0.5",
            "--max-body", "8192", "--timeout-seconds", "10", "--run-id", "c");
    }

    private static void awaitFullMap(NetnsCluster cluster)
    {
        URI status = cluster.node(NetnsCluster.BALANCER).status();
        Set<String> expected = new TreeSet<>();
        cluster.legitimate().forEach(n -> expected.add(n.name()));
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            MapWatcher.Observation ob = MapWatcher.observe(NetnsCluster.BALANCER, cluster.probe().get(status, Duration.ofSeconds(3)));
            if (ob.ok() && ob.members().keySet().equals(expected))
                return;
            sleep(200);
        }
        throw new IllegalStateException("the balancer's map never listed " + expected);
    }

    private static String progress(LoadRun load, JvmSampler sampler, long from, double minutes)
    {
        Thread t = new Thread(() ->
        {
            while (true)
            {
                sleep(60_000);
                List<JvmSampler.Sample> s = sampler.samples();
                if (s.isEmpty())
                    continue;
                JvmSampler.Sample last = s.get(s.size() - 1);
                say(String.format(Locale.ROOT, "%.0f min: balancer heap after GC %d KiB, %d threads, RSS %d KiB, %d fds",
                    (System.currentTimeMillis() - from) / 60000.0, last.heapAfterGcKiB(), last.threads(), last.rssKiB(), last.fds()));
            }
        }, "soak-progress");
        t.setDaemon(true);
        t.start();
        return load.await(Math.round(minutes * 60) + 120);
    }

    /** The per-second lines of a summary-mode load: second, count, errors, p50, p99, max (µs). */
    private static List<long[]> seconds(Path results) throws IOException
    {
        List<long[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8))
        {
            String[] w = line.split("\t");
            long[] v = new long[w.length];
            for (int i = 0; i < w.length; i++)
                v[i] = Long.parseLong(w[i]);
            out.add(v);
        }
        return out;
    }

    private static String report(NetnsCluster cluster, String capLine, double capacity, double fraction, double rate, String done,
                                 List<JvmSampler.Sample> samples, List<long[]> seconds, long from, long to, String loadBefore)
    {
        StringBuilder b = new StringBuilder("# Soak: the balancer at a steady load\n\n");
        b.append("Run of ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
            .append(" CPUs; /proc/loadavg when the soak began: ").append(loadBefore).append(", when it ended: ").append(loadAverage())
            .append(" (the whole cluster and its load share this one machine).\n\n");
        b.append("- cluster: ").append(cluster.nodes().stream().map(n -> n.name() + " " + n.host().address()).toList())
            .append(", each a stock jetty-home (-Xmx256m) in its own network namespace; load from ").append(cluster.client().address())
            .append('\n');
        b.append(String.format(Locale.ROOT, "- capacity (closed loop through the balancer): %.0f requests/s (%s)%n", capacity, capLine));
        b.append(String.format(Locale.ROOT, "- soak: %.0f requests/s (%.0f%% of capacity), half GET, half POST of 256 B to 8 KiB, "
            + "for %.1f min: %s%n", rate, fraction * 100, (to - from) / 60000.0, done));
        b.append("\n## Per minute\n\n| minute | requests | errors | worst p99 of a second | max | heap after GC (KiB, min-max) | "
            + "threads (min-max) | RSS (KiB, max) | fds (max) |\n|---|---|---|---|---|---|---|---|---|\n");
        // Whole minutes only: the last seconds are the drain of requests in flight, not load.
        int minutes = (int) Math.max(1, (to - from) / 60000);
        for (int m = 0; m < minutes; m++)
        {
            long a = from + m * 60_000L;
            long z = Math.min(to, a + 60_000L);
            long count = 0;
            long errors = 0;
            long p99 = 0;
            long max = 0;
            for (long[] s : seconds)
            {
                if (s[0] * 1000 >= a && s[0] * 1000 < z)
                {
                    count += s[1];
                    errors += s[2];
                    p99 = Math.max(p99, s[4]);
                    max = Math.max(max, s[5]);
                }
            }
            Window w = Window.of(samples, a, z);
            b.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f ms | %.1f ms | %s | %s | %d | %d |%n", m + 1, count, errors,
                p99 / 1000.0, max / 1000.0, w.heap(), w.threads(), w.rssMax, w.fdsMax));
        }
        Window first = Window.of(samples, from, from + 60_000);
        Window last = Window.of(samples, to - 60_000, to + 1);
        long errors = (long) LoadRun.field(done, "errors");
        boolean heapFlat = last.heapMean <= first.heapMean * 1.15 + 4096;
        boolean threadsFlat = last.threadsMax <= first.threadsMax + 8;
        boolean fdsFlat = last.fdsMax <= first.fdsMax + 32;
        b.append(String.format(Locale.ROOT, "%nFirst minute: heap after GC mean %.0f KiB, threads max %d, fds max %d. "
            + "Last minute: heap after GC mean %.0f KiB, threads max %d, fds max %d.%n%n", first.heapMean, first.threadsMax,
            first.fdsMax, last.heapMean, last.threadsMax, last.fdsMax));
        b.append("Flat means: last minute's heap-after-GC mean within 15 % + 4 MiB of the first's, at most 8 more threads and "
            + "32 more file descriptors.\n\n");
        if (heapFlat && threadsFlat && fdsFlat && errors == 0)
            b.append("**Verdict: flat**, and no request failed.\n");
        else
            b.append("**Verdict: NOT flat or not clean**: heap ").append(heapFlat ? "flat" : "GREW").append(", threads ")
                .append(threadsFlat ? "flat" : "GREW").append(", fds ").append(fdsFlat ? "flat" : "GREW").append(", ")
                .append(errors).append(" failed requests.\n");
        b.append("\n## Samples\n\n| t (s) | heap after GC (KiB) | threads | RSS (KiB) | fds |\n|---|---|---|---|---|\n");
        for (JvmSampler.Sample s : samples)
            b.append(String.format(Locale.ROOT, "| %.0f | %d | %d | %d | %d |%n", (s.atMillis() - from) / 1000.0, s.heapAfterGcKiB(),
                s.threads(), s.rssKiB(), s.fds()));
        return b.toString();
    }

    /** The samples of one stretch of time, summarised. */
    private record Window(double heapMean, long heapMin, long heapMax, int threadsMin, int threadsMax, long rssMax, int fdsMax)
    {
        static Window of(List<JvmSampler.Sample> all, long from, long to)
        {
            List<JvmSampler.Sample> in = all.stream().filter(s -> s.atMillis() >= from && s.atMillis() < to && s.heapAfterGcKiB() >= 0)
                .toList();
            if (in.isEmpty())
                return new Window(0, 0, 0, 0, 0, 0, 0);
            return new Window(in.stream().mapToLong(JvmSampler.Sample::heapAfterGcKiB).average().orElse(0),
                in.stream().mapToLong(JvmSampler.Sample::heapAfterGcKiB).min().orElse(0),
                in.stream().mapToLong(JvmSampler.Sample::heapAfterGcKiB).max().orElse(0),
                in.stream().mapToInt(JvmSampler.Sample::threads).min().orElse(0),
                in.stream().mapToInt(JvmSampler.Sample::threads).max().orElse(0),
                in.stream().mapToLong(JvmSampler.Sample::rssKiB).max().orElse(0),
                in.stream().mapToInt(JvmSampler.Sample::fds).max().orElse(0));
        }

        String heap()
        {
            return heapMin + "-" + heapMax;
        }

        String threads()
        {
            return threadsMin + "-" + threadsMax;
        }
    }

    private static String loadAverage()
    {
        try
        {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        }
        catch (IOException e)
        {
            return "unknown";
        }
    }

    private static void say(String line)
    {
        System.err.println("[soak " + Instant.now() + "] " + line);
    }

    private static void sleep(long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
