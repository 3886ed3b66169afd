package io.backhand.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples one JVM from outside, the way an operator would look at a server: the heap in use right after a full
 * GC ({@code jcmd GC.run}, then {@code GC.heap_info}), the thread count and resident memory from
 * {@code /proc/<pid>/status}, and the open file descriptors. A leak shows as a heap-after-GC, a thread count
 * or a descriptor count that keeps climbing at a steady load.
 */
public final class JvmSampler implements AutoCloseable
{
    /** One sample; {@code heapAfterGcKiB} is -1 when jcmd could not attach. */
    public record Sample(long atMillis, long heapAfterGcKiB, int threads, long rssKiB, int fds)
    {
    }

    private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private final long pid;
    private final long periodMillis;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    public JvmSampler(long pid, long periodMillis)
    {
        this.pid = pid;
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::run, "jvm-sampler-" + pid);
        thread.setDaemon(true);
    }

    public JvmSampler start()
    {
        thread.start();
        return this;
    }

    private void run()
    {
        while (running)
        {
            long start = System.currentTimeMillis();
            samples.add(sample());
            long rest = periodMillis - (System.currentTimeMillis() - start);
            try
            {
                if (rest > 0)
                    Thread.sleep(rest);
            }
            catch (InterruptedException e)
            {
                return;
            }
        }
    }

    public Sample sample()
    {
        long heap = -1;
        if (Shell.run("jcmd", Long.toString(pid), "GC.run").ok())
        {
            Matcher m = USED.matcher(Shell.run("jcmd", Long.toString(pid), "GC.heap_info").out());
            if (m.find())
                heap = Long.parseLong(m.group(1));
        }
        int threads = -1;
        long rss = -1;
        try
        {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("Threads:"))
                    threads = Integer.parseInt(line.substring(8).strip());
                if (line.startsWith("VmRSS:"))
                    rss = Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
            }
        }
        catch (Exception e)
        {
            // The process is gone; the sample says so with -1.
        }
        int fds = -1;
        try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd")))
        {
            fds = (int) list.count();
        }
        catch (Exception e)
        {
            // as above
        }
        return new Sample(System.currentTimeMillis(), heap, threads, rss, fds);
    }

    public List<Sample> samples()
    {
        synchronized (samples)
        {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
    }
}
