package io.backhand.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time (user + system) used by processes and their descendants, from /proc. On a machine shared with other
 * work, throughput and latency swing with what the neighbours do, but the CPU a proxy spends per request
 * hardly does: it is the steadiest measure of a proxy's cost that such a machine can give.
 */
final class CpuMeter
{
    private static final double TICK_MICROS = 1e6 / 100; // USER_HZ is 100 on Linux

    private CpuMeter()
    {
    }

    /** CPU microseconds used so far by these processes and all their descendants alive now. */
    static double micros(List<Long> pids)
    {
        List<Long> all = new ArrayList<>();
        for (long pid : pids)
        {
            all.add(pid);
            ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
        }
        double total = 0;
        for (long pid : all)
            total += ticks(pid) * TICK_MICROS;
        return total;
    }

    private static long ticks(long pid)
    {
        try
        {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may hold spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        catch (IOException | RuntimeException e)
        {
            return 0; // the process ended in between
        }
    }
}
