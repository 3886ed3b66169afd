package io.backhand.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** The per-request lines a {@link LoadClient} wrote, and the figures the report needs from them. */
public record LoadResults(List<LoadResults.Line> lines)
{
    public record Line(long seq, String method, String id, long startMillis, long micros, int status, String servedBy,
                       String sha256, String error)
    {
        public boolean ok()
        {
            return status / 100 == 2;
        }

        public long endMillis()
        {
            return startMillis + micros / 1000;
        }

        @Override
        public String toString()
        {
            return method + " " + id + " at " + startMillis + " -> " + status + " in " + micros / 1000 + " ms from " + servedBy
                + ("-".equals(error) ? "" : " (" + error + ")");
        }
    }

    public static LoadResults read(Path file) throws IOException
    {
        List<Line> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            String[] w = l.split("\t", -1);
            if (w.length != 9)
                throw new IOException("bad line in " + file + ": " + l);
            out.add(new Line(Long.parseLong(w[0]), w[1], w[2], Long.parseLong(w[3]), Long.parseLong(w[4]), Integer.parseInt(w[5]),
                w[6], w[7], w[8]));
        }
        return new LoadResults(List.copyOf(out));
    }

    public List<Line> where(Predicate<Line> p)
    {
        return lines.stream().filter(p).toList();
    }

    /** Requests that started in [from, to). */
    public List<Line> startedBetween(long fromMillis, long toMillis)
    {
        return where(l -> l.startMillis() >= fromMillis && l.startMillis() < toMillis);
    }

    /** Latency percentiles of some requests, in milliseconds. */
    public record Latency(int count, double p50, double p99, double max)
    {
        public static Latency of(List<Line> some)
        {
            if (some.isEmpty())
                return new Latency(0, 0, 0, 0);
            long[] us = some.stream().mapToLong(Line::micros).toArray();
            Arrays.sort(us);
            return new Latency(us.length, pick(us, 0.50) / 1000.0, pick(us, 0.99) / 1000.0, us[us.length - 1] / 1000.0);
        }

        private static long pick(long[] sorted, double q)
        {
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }
}
