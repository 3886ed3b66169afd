package io.backhand.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.backhand.testing.Net;
import io.backhand.testing.Wait;

/**
 * A stock jetty-home started as its own process on a copy of the project's jetty-base, with the built WAR
 * dropped into webapps/ and per-node settings written into start.d exactly as an operator would.
 *
 * <p>By default the node listens on loopback at a free port. A {@link Placement} puts it elsewhere: on a given
 * address and port, launched through a command prefix (such as {@code ip netns exec <ns>}, for a host of a
 * network-namespace cluster), with its log in a given file.</p>
 */
public final class JettyProcess implements AutoCloseable
{
    public static final Path JETTY_HOME = Path.of(required("it.jettyHome"));
    public static final Path WAR = Path.of(required("it.war"));
    public static final Path JETTY_BASE_TEMPLATE = Path.of(required("it.jettyBase"));

    /**
     * Where and how the process runs.
     *
     * @param host          the address Jetty listens on
     * @param port          its HTTP port
     * @param commandPrefix words put before {@code java}, for example {@code ip netns exec ns1}; may be empty
     * @param log           the file that receives the process's output
     * @param jvmOptions    extra JVM options, such as {@code -Xlog:gc}
     * @param startTimeout  how long to wait for "Started oejs.Server"
     */
    public record Placement(String host, int port, List<String> commandPrefix, Path log, List<String> jvmOptions,
                            Duration startTimeout)
    {
        public Placement
        {
            commandPrefix = List.copyOf(commandPrefix);
            jvmOptions = List.copyOf(jvmOptions);
        }

        static Placement loopback(String name)
        {
            int port = Net.freeTcpPort();
            return new Placement("127.0.0.1", port, List.of(), Path.of("target", "it-logs", name + "-" + port + ".log"),
                List.of(), Duration.ofSeconds(60));
        }
    }

    private final String name;
    private final Path base;
    private final Placement placement;
    private Process process;

    private static String required(String property)
    {
        String v = System.getProperty(property);
        if (v == null)
            throw new IllegalStateException(property + " is not set: run the integration tests with mvn verify");
        return v;
    }

    /** A node's start.d settings on loopback: its context path and name, multicast pinned to lo, loopback believed. */
    public static List<String> backhandIni(String contextPath, String node, String multicast, String... extra)
    {
        List<String> lines = new ArrayList<>(List.of(
            "-Dbackhand.contextPath=" + contextPath,
            "-Dbackhand.nodeName=" + node,
            "-Dbackhand.multicastStats=" + multicast,
            "-Dbackhand.interface=lo",
            "-Dbackhand.acceptStats=127.0.0.0/8"));
        lines.addAll(List.of(extra));
        return lines;
    }

    /** A node on loopback at a free port. */
    public JettyProcess(String name, Path workDir) throws IOException
    {
        this(name, workDir, Placement.loopback(name));
    }

    public JettyProcess(String name, Path workDir, Placement placement) throws IOException
    {
        this.name = name;
        this.base = workDir.resolve(name);
        this.placement = placement;
        io.backhand.testing.Trees.copy(JETTY_BASE_TEMPLATE, base);
        Files.copy(WAR, base.resolve("webapps/backhand.war"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(placement.log().toAbsolutePath().getParent());
        // Only the given address: the node never listens on, nor sends to, anything else.
        writeIni("http.ini", List.of("--module=http", "--module=ee10-deploy", "--module=statistics",
            "jetty.http.host=" + placement.host(), "jetty.http.port=" + placement.port()));
    }


    public JettyProcess writeIni(String file, List<String> lines) throws IOException
    {
        Files.write(base.resolve("start.d").resolve(file), lines);
        return this;
    }

    /** A static application at the root context, beside the WAR. */
    public JettyProcess withStaticRoot(String indexHtml) throws IOException
    {
        Path root = Files.createDirectories(base.resolve("webapps/ROOT"));
        Files.writeString(root.resolve("index.html"), indexHtml);
        return this;
    }

    /** The jetty-base of this node, for adding webapps of its own. */
    public Path base()
    {
        return base;
    }

    public String name()
    {
        return name;
    }

    public JettyProcess start() throws IOException
    {
        launch();
        awaitStarted();
        return this;
    }

    /** Starts the process without waiting for Jetty, so that several nodes can start at once. */
    public JettyProcess launch() throws IOException
    {
        List<String> cmd = new ArrayList<>(placement.commandPrefix());
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        // Jetty unpacks the WAR under the temp dir and removes it only on a clean stop; kept inside the base, a
        // node killed with SIGKILL leaves nothing behind in /tmp.
        Path tmp = Files.createDirectories(base.resolve("tmp"));
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.addAll(placement.jvmOptions());
        cmd.addAll(List.of("-jar", JETTY_HOME.resolve("start.jar").toString(),
            "jetty.home=" + JETTY_HOME, "jetty.base=" + base));
        process = new ProcessBuilder(cmd).directory(base.toFile()).redirectErrorStream(true)
            .redirectOutput(placement.log().toFile()).start();
        return this;
    }

    public JettyProcess awaitStarted()
    {
        Wait.until(placement.startTimeout(), name + " to start (log: " + placement.log() + ")", this::started);
        return this;
    }

    private boolean started()
    {
        if (!process.isAlive())
            throw new AssertionError(name + " exited with " + process.exitValue() + "; log:\n" + logText());
        return logText().contains("Started oejs.Server");
    }

    public String logText()
    {
        try
        {
            return Files.readString(placement.log());
        }
        catch (IOException e)
        {
            return "";
        }
    }

    public Path log()
    {
        return placement.log();
    }

    public URI uri()
    {
        return URI.create("http://" + placement.host() + ":" + placement.port() + "/");
    }

    public int port()
    {
        return placement.port();
    }

    /** The JVM's process id (the launch prefix {@code ip netns exec} execs java, it does not fork it). */
    public long pid()
    {
        return process.pid();
    }

    public boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    /** SIGKILL to the JVM and anything it started: a crash, with no chance to say goodbye. */
    public void kill()
    {
        if (process == null)
            return;
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes the bulky parts of the base (the WAR's copy, the unpacked webapps), keeping its configuration. */
    public void trim() throws IOException
    {
        Files.deleteIfExists(base.resolve("webapps/backhand.war"));
        Path tmp = base.resolve("tmp");
        if (!Files.exists(tmp))
            return;
        try (Stream<Path> files = Files.walk(tmp))
        {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
                Files.deleteIfExists(p);
        }
    }

    @Override
    public void close()
    {
        if (process == null)
            return;
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
