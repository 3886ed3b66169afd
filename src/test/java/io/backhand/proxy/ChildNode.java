package io.backhand.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.backhand.testing.Wait;

/**
 * Embedded nodes in a JVM of their own, started from the test's classpath: for a heap small enough to
 * prove that bodies stream, and for a node that can be killed outright (SIGKILL), which is what a crash
 * looks like to the rest of the cluster.
 */
final class ChildNode implements AutoCloseable
{
    private static final Pattern READY = Pattern.compile("(?m)^READY (\\S+) (\\d+)$");
    private static final Pattern PEAK = Pattern.compile("PEAK_HEAP (\\d+)");
    /** A line of its own: Jetty's log lines mention {STARTED} too. */
    private static final Pattern STARTED = Pattern.compile("(?m)^STARTED$");

    private final String label;
    private final Process process;
    private final Path log;
    private final Map<String, Integer> ports = new HashMap<>();

    private ChildNode(String label, Process process, Path log)
    {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    /**
     * @param properties what {@link ChildNodeMain} reads: {@code nodes}, and per node {@code chain},
     *                   {@code param.*} and {@code filter.*}
     * @param jvmOptions for example {@code -Xmx128m}
     */
    static ChildNode start(String label, Map<String, String> properties, List<String> jvmOptions) throws IOException
    {
        Path dir = Files.createDirectories(Path.of("target", "child-nodes"));
        Path spec = Files.createTempFile(dir, label + "-", ".properties");
        Properties p = new Properties();
        p.putAll(properties);
        try (Writer w = Files.newBufferedWriter(spec, StandardCharsets.UTF_8))
        {
            p.store(w, "nodes for " + label);
        }
        Path log = dir.resolve(spec.getFileName().toString().replace(".properties", ".log"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildNodeMain.class.getName(), spec.toString()));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildNode child = new ChildNode(label, process, log);
        try
        {
            Wait.until(Duration.ofSeconds(60), label + " to start (log: " + log + ")", child::started);
        }
        catch (AssertionError e)
        {
            child.kill();
            throw e;
        }
        Matcher m = READY.matcher(child.logText());
        while (m.find())
            child.ports.put(m.group(1), Integer.parseInt(m.group(2)));
        return child;
    }

    private boolean started()
    {
        if (!process.isAlive())
            throw new AssertionError(label + " exited with " + process.exitValue() + ":\n" + logText());
        return STARTED.matcher(logText()).find();
    }

    String logText()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (IOException e)
        {
            return "";
        }
    }

    int port(String node)
    {
        Integer p = ports.get(node);
        if (p == null)
            throw new IllegalArgumentException("no node " + node + " in " + label + ": " + ports);
        return p;
    }

    long pid()
    {
        return process.pid();
    }

    /** SIGKILL: no announcement that it leaves, no graceful close of a single connection. */
    void kill()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /** Stops the nodes and returns the child's heap high-water mark in bytes, or -1 if it had died. */
    long stop()
    {
        if (!process.isAlive())
            return -1;
        try
        {
            OutputStream in = process.getOutputStream();
            in.write("stop\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            if (!process.waitFor(20, TimeUnit.SECONDS))
                kill();
        }
        catch (IOException e)
        {
            kill();
        }
        catch (InterruptedException e)
        {
            kill();
            Thread.currentThread().interrupt();
        }
        Matcher m = PEAK.matcher(logText());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public void close()
    {
        stop();
    }
}
