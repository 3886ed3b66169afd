package io.backhand.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.backhand.testing.Net;
import io.backhand.testing.Wait;

/**
 * A stock jetty-home started as its own process on a copy of the project's jetty-base, with the built WAR
 * dropped into webapps/ and per-node settings written into start.d exactly as an operator would.
 */
final class JettyProcess implements AutoCloseable
{
    static final Path JETTY_HOME = Path.of(required("it.jettyHome"));
    static final Path WAR = Path.of(required("it.war"));
    static final Path JETTY_BASE_TEMPLATE = Path.of(required("it.jettyBase"));

    private final String name;
    private final Path base;
    private final int port;
    private final Path log;
    private Process process;

    private static String required(String property)
    {
        String v = System.getProperty(property);
        if (v == null)
            throw new IllegalStateException(property + " is not set: run the integration tests with mvn verify");
        return v;
    }

    JettyProcess(String name, Path workDir) throws IOException
    {
        this.name = name;
        this.base = workDir.resolve(name);
        this.port = Net.freeTcpPort();
        this.log = Path.of("target", "it-logs", name + "-" + port + ".log");
        copyTree(JETTY_BASE_TEMPLATE, base);
        Files.copy(WAR, base.resolve("webapps/backhand.war"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(log.getParent());
        // Only loopback: the node never listens on, nor sends to, anything else.
        writeIni("http.ini", List.of("--module=http", "--module=ee10-deploy", "--module=statistics",
            "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
    }

    private static void copyTree(Path from, Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (Path p : (Iterable<Path>) files::iterator)
            {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                    Files.createDirectories(target);
                else
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    JettyProcess writeIni(String file, List<String> lines) throws IOException
    {
        Files.write(base.resolve("start.d").resolve(file), lines);
        return this;
    }

    /** A static application at the root context, beside the WAR. */
    JettyProcess withStaticRoot(String indexHtml) throws IOException
    {
        Path root = Files.createDirectories(base.resolve("webapps/ROOT"));
        Files.writeString(root.resolve("index.html"), indexHtml);
        return this;
    }

    JettyProcess start() throws IOException
    {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-jar", JETTY_HOME.resolve("start.jar").toString(),
            "jetty.home=" + JETTY_HOME, "jetty.base=" + base));
        process = new ProcessBuilder(cmd).directory(base.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        Wait.until(Duration.ofSeconds(60), name + " to start (log: " + log + ")", this::started);
        return this;
    }

    private boolean started()
    {
        if (!process.isAlive())
            throw new AssertionError(name + " exited with " + process.exitValue() + "; log:\n" + logText());
        return logText().contains("Started oejs.Server");
    }

    String logText()
    {
        try
        {
            return Files.readString(log);
        }
        catch (IOException e)
        {
            return "";
        }
    }

    URI uri()
    {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    int port()
    {
        return port;
    }

    @Override
    public void close()
    {
        if (process == null)
            return;
        process.destroy();
        try
        {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
