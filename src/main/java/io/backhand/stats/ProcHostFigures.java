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
            return new HostSample(readLoad1000(), readCpuIdle1000(), cpus, meminfo("MemTotal:"), memAvailable());
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
            long[] idleTotal = parseCpuLine(cpu);
            long idle = idleTotal[0];
            long total = idleTotal[1];
            if (lastTotal >= 0 && total > lastTotal)
                lastCpuIdle1000 = (int) Math.max(0, Math.min(1000, (idle - lastIdle) * 1000 / (total - lastTotal)));
            lastIdle = idle;
            lastTotal = total;
            return lastCpuIdle1000;
        }
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

    private static long memAvailable() throws IOException
    {
        long available = meminfo("MemAvailable:");
        return available >= 0 ? available : meminfo("MemFree:");
    }

    private static long meminfo(String key) throws IOException
    {
        List<String> lines = Files.readAllLines(MEMINFO);
        return parseMeminfo(lines, key);
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
