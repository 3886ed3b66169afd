package io.backhand.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Linux figures from /proc: loadavg, the idle delta of /proc/stat, and MemAvailable from meminfo. */
final class ProcHostFigures implements HostFigures
{
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final Path STAT = Path.of("/proc/stat");
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private long lastIdle = -1;
    private long lastTotal = -1;
    private int lastCpuIdle1000 = 1000;

    static boolean available()
    {
        return Files.isReadable(LOADAVG) && Files.isReadable(STAT) && Files.isReadable(MEMINFO);
    }

    @Override
    public HostSample sample()
    {
        int cpus = Runtime.getRuntime().availableProcessors();
        try
        {
            List<String> meminfo = Files.readAllLines(MEMINFO);
            return new HostSample(readLoad1000(), readCpuIdle1000(), cpus, parseMeminfo(meminfo, "MemTotal:"),
                memAvailable(meminfo));
        }
        catch (IOException | RuntimeException e)
        {
            // /proc vanishing mid-run (containers, chroots) must not stop the announcements.
            return new MXBeanHostFigures().sample();
        }
    }

    private static int readLoad1000() throws IOException
    {
        String text = Files.readString(LOADAVG);
        return parseLoad1000(text);
    }

    static int parseLoad1000(String loadavg)
    {
        String first = loadavg.strip().split("\\s+")[0];
        return (int) Math.round(Double.parseDouble(first) * 1000);
    }

    private int readCpuIdle1000() throws IOException
    {
        try (var lines = Files.lines(STAT))
        {
            String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
            return cpuIdle1000(parseCpuLine(cpu));
        }
    }

    /**
     * The idle share since the previous call. The first call has no previous counters and reports the share
     * since boot, which is a fair guess, where 100% idle would invite a herd to a node that just started.
     */
    int cpuIdle1000(long[] idleTotal)
    {
        long idle = idleTotal[0];
        long total = idleTotal[1];
        long idleBefore = lastTotal < 0 ? 0 : lastIdle;
        long totalBefore = lastTotal < 0 ? 0 : lastTotal;
        if (total > totalBefore)
            lastCpuIdle1000 = (int) Math.max(0, Math.min(1000, (idle - idleBefore) * 1000 / (total - totalBefore)));
        lastIdle = idle;
        lastTotal = total;
        return lastCpuIdle1000;
    }

    /** Returns {idle + iowait, total} in jiffies from the aggregate "cpu" line of /proc/stat. */
    static long[] parseCpuLine(String line)
    {
        String[] f = line.strip().split("\\s+");
        long total = 0;
        // user nice system idle iowait irq softirq steal; guest times are already inside user and nice.
        int fields = Math.min(f.length - 1, 8);
        for (int i = 1; i <= fields; i++)
            total += Long.parseLong(f[i]);
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {idle, total};
    }

    /** MemAvailable (kernels since 3.14) counts reclaimable cache; MemFree alone would call a busy cache full. */
    static long memAvailable(List<String> meminfo)
    {
        long available = parseMeminfo(meminfo, "MemAvailable:");
        return available >= 0 ? available : parseMeminfo(meminfo, "MemFree:");
    }

    static long parseMeminfo(List<String> lines, String key)
    {
        for (String l : lines)
        {
            if (l.startsWith(key))
            {
                String[] f = l.substring(key.length()).strip().split("\\s+");
                long v = Long.parseLong(f[0]);
                return f.length > 1 && f[1].equalsIgnoreCase("kB") ? v * 1024 : v;
            }
        }
        return -1;
    }
}
