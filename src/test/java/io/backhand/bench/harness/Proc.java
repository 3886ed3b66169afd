package io.backhand.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the harness: optionally pinned to CPUs with taskset, its standard error (and, for
 * processes that do not talk to us, its standard output) in a log file, its standard output readable line by
 * line. {@link #close()} ends it and everything it started, by its own process handle only.
 */
final class Proc implements AutoCloseable
{
    private static final String EOF = "\u0000eof";
    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final PrintWriter stdin;
    private final Path log;
    private final boolean talks;

    private Proc(String name, Process process, Path log, boolean talks)
    {
        this.name = name;
        this.talks = talks;
        this.process = process;
        this.log = log;
        this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        if (talks)
        {
            Thread reader = new Thread(() ->
            {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = r.readLine()) != null)
                        lines.add(line);
                }
                catch (IOException e)
                {
                    // the process ended
                }
                lines.add(EOF);
            }, "proc-" + name);
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * @param cpus  taskset CPU list such as "1", or null to let the kernel place it
     * @param talks whether we read its standard output (otherwise it goes to the log too)
     */
    static Proc start(String name, String cpus, List<String> command, Path logDir, boolean talks) throws IOException
    {
        List<String> cmd = new ArrayList<>();
        if (cpus != null)
        {
            cmd.add("taskset");
            cmd.add("-c");
            cmd.add(cpus);
        }
        cmd.addAll(command);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (!talks)
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new Proc(name, pb.start(), log, talks);
    }

    String name()
    {
        return name;
    }

    long pid()
    {
        return process.pid();
    }

    void send(String line)
    {
        stdin.println(line);
    }

    /** The next line of output starting with {@code prefix} (other lines are skipped), without the prefix. */
    String await(String prefix, Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null)
                throw new IllegalStateException(name + " did not answer " + prefix.strip() + " within " + timeout + "; see " + log);
            if (line.equals(EOF))
                throw new IllegalStateException(name + " ended before answering " + prefix.strip() + "; see " + log);
            if (line.startsWith("FAILED"))
                throw new IllegalStateException(name + ": " + line);
            if (line.startsWith(prefix))
                return line.substring(prefix.length());
        }
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    Path log()
    {
        return log;
    }

    @Override
    public void close()
    {
        // Our own processes stop at the end of their input; a peer is told to stop by SIGTERM.
        stdin.close();
        try
        {
            // Taken first: a parent that exits takes the list of its children with it, and a child that outlives it
            // (Jetty's own JVM, when start.jar runs it with --exec) would go on using its files after we return.
            List<ProcessHandle> children = process.descendants().toList();
            if (!talks || !process.waitFor(5, TimeUnit.SECONDS))
            {
                children.forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS))
                {
                    children.forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            for (ProcessHandle child : children)
            {
                try
                {
                    child.onExit().get(5, TimeUnit.SECONDS);
                }
                catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e)
                {
                    child.destroyForcibly();
                }
            }
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
