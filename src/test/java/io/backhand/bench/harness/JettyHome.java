package io.backhand.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.backhand.bench.backend.Backlog;
import org.eclipse.jetty.util.Jetty;

/**
 * A stock jetty-home (the one the pom unpacks for the integration tests; bench/run makes sure it is there, and the
 * WAR too) and the servers the harness runs in it, each on a jetty-base of its own under the run folder.
 * {@code java -jar start.jar}, as operators start it, with the JVM options of our embedded balancers.
 */
final class JettyHome
{
    static final String HOST = "127.0.0.1";

    private JettyHome()
    {
    }

    static Path home()
    {
        return Path.of(System.getProperty("bench.jettyHome", "target/jetty-home/jetty-home-" + Jetty.VERSION)).toAbsolutePath();
    }

    static Path war()
    {
        return Path.of(System.getProperty("bench.war", "target/backhand.war")).toAbsolutePath();
    }

    /** The project's jetty-base, as shipped. */
    static Path shippedBase()
    {
        return Path.of(System.getProperty("bench.jettyBase", "jetty-base")).toAbsolutePath();
    }

    static void requireBuilt()
    {
        for (Path p : List.of(home().resolve("start.jar"), war(), shippedBase()))
        {
            if (!Files.exists(p))
                throw new IllegalStateException(p + " is missing: bench/run builds the WAR and unpacks jetty-home "
                    + "(mvn -DskipTests package dependency:unpack@unpack-jetty-home)");
        }
    }

    /**
     * A fresh directory for one server's jetty-base under the run folder, named {@code name}, or {@code name-2} and
     * so on when a scenario before started a server of that name: its base stays for reading, and the server's
     * log, named as its base, is its own.
     */
    static Path newBase(Env env, String name) throws IOException
    {
        Path base = env.out.resolve("jetty").resolve(name);
        for (int n = 2; Files.exists(base); n++)
            base = env.out.resolve("jetty").resolve(name + "-" + n);
        Files.createDirectories(base.resolve("environments"));
        Files.createDirectories(base.resolve("start.d"));
        Files.createDirectories(base.resolve("webapps"));
        return base;
    }

    /**
     * The lines that make a server listen on loopback at {@code port}, with the listen backlog every contender
     * gets (see {@link Backlog}). start.jar reads start.d's files in name order and the last value wins, so a file
     * named after http.ini overrides its port.
     */
    static List<String> listenLines(int port)
    {
        return List.of("jetty.http.host=" + HOST, "jetty.http.port=" + port, "jetty.http.acceptQueueSize=" + Backlog.SIZE);
    }


    /** Starts jetty-home on {@code base}, pinned to {@code cpus}, without waiting for it; its log is named as the base. */
    static Proc launch(Env env, String cpus, Path base) throws IOException
    {
        String name = base.getFileName().toString();
        // Jetty unpacks WARs under the temp dir: kept inside the base, so that closing the server can remove it.
        Path tmp = Files.createDirectories(base.resolve("tmp"));
        List<String> cmd = new ArrayList<>(env.jvm(name, true));
        cmd.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-jar", home().resolve("start.jar").toString(),
            "jetty.home=" + home(), "jetty.base=" + base));
        return Proc.start(name, cpus, cmd, env.logs, false);
    }

    /**
     * Waits until the server has started, and makes sure it listens where it was told and nowhere else: a
     * property start.jar gave to an environment instead of the server would leave it on 0.0.0.0:8080.
     */
    static void awaitStarted(Proc proc, int port) throws Exception
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        String log = "";
        while (System.nanoTime() < deadline)
        {
            log = Files.exists(proc.log()) ? Files.readString(proc.log()) : "";
            if (log.contains("Started oejs.Server"))
                break;
            if (!proc.isAlive())
                throw new IllegalStateException(proc.name() + " stopped while starting; see " + proc.log());
            Thread.sleep(100);
        }
        if (!log.contains("Started oejs.Server"))
            throw new IllegalStateException(proc.name() + " did not start within 180 s; see " + proc.log());
        List<String> connectors = log.lines().filter(l -> l.contains("Started oejs.ServerConnector")).toList();
        if (connectors.size() != 1 || !connectors.get(0).contains("{" + HOST + ":" + port + "}"))
            throw new IllegalStateException(proc.name() + " listens elsewhere than " + HOST + ":" + port + ": " + connectors);
        if (log.contains("Failed startup") || log.contains("a=UNAVAILABLE"))
            throw new IllegalStateException(proc.name() + " started with a failed context; see " + proc.log());
    }

    /** Removes what a stopped server leaves that is bulky and no configuration: its WARs' copies and its temp dir. */
    static void trim(Path base)
    {
        try
        {
            try (Stream<Path> wars = Files.list(base.resolve("webapps")))
            {
                for (Path w : (Iterable<Path>) wars.filter(w -> w.toString().endsWith(".war"))::iterator)
                    Files.deleteIfExists(w);
            }
            delete(base.resolve("tmp"));
        }
        catch (IOException | java.io.UncheckedIOException e)
        {
            // Only disk space is at stake: a run must not fail over a file its server was still removing.
            System.err.println("Could not trim " + base + ": " + e);
        }
    }

    private static void delete(Path dir) throws IOException
    {
        if (!Files.exists(dir))
            return;
        try (Stream<Path> files = Files.walk(dir))
        {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
                Files.deleteIfExists(p);
        }
    }
}
