package io.backhand.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs wrk (closed loop: a fixed number of connections, each sending again when answered) and reads its
 * throughput and latency percentiles, to compare with the Java generator run the same way on the same target.
 */
final class WrkCrossCheck
{
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PCT = Pattern.compile("^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

    record WrkResult(double throughput, Map<String, Double> percentilesMillis, String raw)
    {
    }

    static WrkResult run(Env env, String cpus, String uri, int connections, int seconds) throws IOException, InterruptedException
    {
        List<String> cmd = new ArrayList<>();
        if (cpus != null)
            cmd.addAll(List.of("taskset", "-c", cpus));
        cmd.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", uri));
        Path out = env.logs.resolve("wrk-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (p.waitFor() != 0)
            throw new IllegalStateException("wrk failed; see " + out);
        return parse(Files.readString(out));
    }

    static WrkResult parse(String text)
    {
        Matcher m = RPS.matcher(text);
        double rps = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        Map<String, Double> pct = new LinkedHashMap<>();
        Matcher p = PCT.matcher(text);
        while (p.find())
        {
            double v = Double.parseDouble(p.group(2));
            double ms = switch (p.group(3))
            {
                case "us" -> v / 1000;
                case "s" -> v * 1000;
                default -> v;
            };
            pct.put("p" + p.group(1), ms);
        }
        return new WrkResult(rps, pct, text);
    }
}
