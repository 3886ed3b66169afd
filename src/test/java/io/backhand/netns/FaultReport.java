package io.backhand.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each fault did to the clients, written as markdown (target/netns-report.md): per fault, the client
 * errors, the latency around it against the quiet baseline, and how long until every map was right again; then
 * a second-by-second timeline around it.
 */
public final class FaultReport
{
    /**
     * One fault.
     *
     * @param startMillis     when it was done (kill, link down, link up)
     * @param mapsRightMillis when the last observing map was right again
     * @param perObserver     when each observing map was right again
     */
    public record Fault(String name, String what, long startMillis, long mapsRightMillis, Map<String, Long> perObserver)
    {
        long mapsRightAfter()
        {
            return mapsRightMillis - startMillis;
        }
    }

    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<String> checks = new ArrayList<>();
    private long baselineFrom;
    private long baselineTo;

    public synchronized void fact(String name, String value)
    {
        facts.put(name, value);
    }

    public synchronized void fault(Fault f)
    {
        faults.add(f);
    }

    public synchronized void check(String line)
    {
        checks.add(line);
    }

    public synchronized void baseline(long from, long to)
    {
        baselineFrom = from;
        baselineTo = to;
    }

    public synchronized List<Fault> faults()
    {
        return List.copyOf(faults);
    }

    public synchronized String markdown(LoadResults results)
    {
        StringBuilder b = new StringBuilder("# Network-namespace cluster: what each fault did to the clients\n\n");
        b.append("Run of ").append(Instant.now()).append(".\n\n");
        facts.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        if (results != null)
        {
            LoadResults.Latency base = LoadResults.Latency.of(results.startedBetween(baselineFrom, baselineTo));
            b.append(String.format(Locale.ROOT, "%n## Faults%n%nBaseline (%.1f s before the first fault): %d requests, p50 %.1f ms, "
                    + "p99 %.1f ms, max %.1f ms.%n%n", (baselineTo - baselineFrom) / 1000.0, base.count(), base.p50(), base.p99(),
                base.max()));
            b.append("Window of a fault: requests started from 1 s before it to 2 s after its maps were right again.\n\n");
            b.append("| fault | what was done | maps right after | requests | failed GET | failed POST | p99 | max |\n");
            b.append("|---|---|---|---|---|---|---|---|\n");
            for (Fault f : faults)
            {
                List<LoadResults.Line> w = window(results, f);
                LoadResults.Latency l = LoadResults.Latency.of(w);
                long getErr = w.stream().filter(x -> x.method().equals("GET") && !x.ok()).count();
                long postErr = w.stream().filter(x -> x.method().equals("POST") && !x.ok()).count();
                b.append(String.format(Locale.ROOT, "| %s | %s | %.2f s | %d | %d | %d | %.1f ms | %.1f ms |%n", f.name(), f.what(),
                    f.mapsRightAfter() / 1000.0, l.count(), getErr, postErr, l.p99(), l.max()));
            }
            for (Fault f : faults)
            {
                b.append("\n### ").append(f.name()).append("\n\n");
                b.append("Maps right again, per observing node (s after the fault): ");
                List<String> per = new ArrayList<>();
                f.perObserver().forEach((o, t) -> per.add(String.format(Locale.ROOT, "%s %.2f", o, (t - f.startMillis()) / 1000.0)));
                b.append(String.join(", ", per)).append(".\n\n");
                List<LoadResults.Line> w = window(results, f);
                List<String> errs = w.stream().filter(x -> !x.ok()).map(x -> String.format(Locale.ROOT, "%s at %+.2f s: %s",
                    x.method(), (x.startMillis() - f.startMillis()) / 1000.0, x.status() == 0 ? x.error() : "HTTP " + x.status()))
                    .limit(20).toList();
                if (!errs.isEmpty())
                {
                    b.append("Failed requests (first 20):\n\n");
                    errs.forEach(e -> b.append("- ").append(e).append('\n'));
                    b.append('\n');
                }
                b.append("| second | requests | failed | p99 | max |\n|---|---|---|---|---|\n");
                long from = f.startMillis() - 2000;
                long to = Math.max(f.mapsRightMillis() + 3000, f.startMillis() + 5000);
                for (long s = from; s < to; s += 1000)
                {
                    List<LoadResults.Line> sec = results.startedBetween(s, s + 1000);
                    LoadResults.Latency l = LoadResults.Latency.of(sec);
                    b.append(String.format(Locale.ROOT, "| %+d | %d | %d | %.1f ms | %.1f ms |%n", (s - f.startMillis()) / 1000,
                        l.count(), sec.stream().filter(x -> !x.ok()).count(), l.p99(), l.max()));
                }
            }
        }
        if (!checks.isEmpty())
        {
            b.append("\n## Checks\n\n");
            checks.forEach(c -> b.append("- ").append(c).append('\n'));
        }
        return b.toString();
    }

    static List<LoadResults.Line> window(LoadResults results, Fault f)
    {
        return results.startedBetween(f.startMillis() - 1000, f.mapsRightMillis() + 2000);
    }

    public void write(Path file, LoadResults results) throws IOException
    {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown(results));
    }
}
