package io.backhand.bench.harness;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What every part of a run shares: where its files go, how to start one of our JVMs, the two multicast groups
 * (one per balancer that may run at once; each pinned to {@code lo} with TTL 0), and whether the balancer
 * JVM records a JFR profile.
 */
final class Env
{
    final Path out;
    final Path logs;
    final boolean quick;
    final boolean profile;
    /** Every group the backends announce to: one per balancer of ours that may run at once. */
    final List<String> groups;
    private final boolean[] leased;
    /**
     * Balancers of ours that may run at once, besides the other builds (one each): scenario 5 runs four of one
     * kind; scenario 1 runs ours embedded and deployed side by side.
     */
    static final int GROUPS = 4;
    /** Label fragments from --contenders: only contenders whose label contains one of them run (empty: all). */
    List<String> only = List.of();
    /** How many times each balancing trial runs (--repeats; 1 with --quick). */
    int repeats = 3;
    /** Warm-up and measured window of an ordinary balancing trial (--warmup-seconds, --measure-seconds). */
    long warmupMillis = 5_000;
    long measureMillis = 30_000;
    /** Requests that warm a balancer JVM before it is measured (--jvm-warmup). */
    long jvmWarmupRequests = 200_000;
    /** Scenario 2's loads, as fractions of capacity (--loads). */
    List<Double> loads = List.of(0.5, 0.7, 0.85);
    /** Set once the load agent runs: a JVM balancer is warmed through it before it is measured. */
    Agent agent;
    /** Other builds of ours to run beside this one (--compare-build LABEL=DIR), each as "backhand LABEL". */
    List<BackhandContender> otherBuilds = List.of();
    private final String classpath = System.getProperty("java.class.path");
    /** The classes directory of this build on that class path, which an other build's replaces. */
    private final Path classes = Path.of(System.getProperty("bench.classes", "target/classes")).toAbsolutePath().normalize();
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** @param otherBuilds how many other builds run beside this one (--compare-build), each needing a group of its own */
    Env(Path out, boolean quick, boolean profile, int otherBuilds) throws IOException
    {
        this.out = out;
        this.logs = out.resolve("logs");
        this.quick = quick;
        this.profile = profile;
        Files.createDirectories(logs);
        List<String> g = new ArrayList<>();
        for (int i = 0; i < GROUPS + otherBuilds; i++)
        {
            int b = ThreadLocalRandom.current().nextInt(1, 254);
            g.add("239.255." + b + "." + (10 + i) + ":" + freeUdpPort() + ",0");
        }
        this.groups = List.copyOf(g);
        this.leased = new boolean[groups.size()];
    }

    /**
     * The indexes of {@code count} groups that no running balancer of ours hears on, held until {@link #release}:
     * two of ours on one group would hear, and pick, each other. A balancer's name is "lb" and its group's index
     * plus one, unique among those running.
     */
    synchronized List<Integer> leaseGroups(int count)
    {
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < leased.length && taken.size() < count; i++)
        {
            if (!leased[i])
                taken.add(i);
        }
        if (taken.size() < count)
            throw new IllegalStateException("no multicast group left for " + count + " more balancer(s) of ours: " + groups.size() + " in all");
        taken.forEach(i -> leased[i] = true);
        return taken;
    }

    synchronized void release(List<Integer> indexes)
    {
        indexes.forEach(i -> leased[i] = false);
    }

    /**
     * The java executable and the JVM options every balancer JVM of ours gets, embedded or in a jetty-home alike,
     * so that the two differ in how Backhand is deployed and in nothing else.
     */
    List<String> jvm(String name, boolean profiled) throws IOException
    {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx1g", "-XX:+UseG1GC"));
        if (profiled && profile)
        {
            Files.createDirectories(out.resolve("jfr"));
            cmd.add("-XX:StartFlightRecording=filename=" + out.resolve("jfr").resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
        }
        return cmd;
    }

    /**
     * The command that runs one of our main classes in its own JVM, on this JVM's classpath, or on it with
     * {@code otherClasses} in place of this build's classes directory.
     */
    List<String> javaCommand(String name, String mainClass, List<String> args, boolean profiled, Path otherClasses) throws IOException
    {
        List<String> cmd = jvm(name, profiled);
        cmd.addAll(List.of("-Dorg.eclipse.jetty.LEVEL=WARN", "-Dbackhand.LEVEL=WARN"));
        cmd.addAll(List.of("-cp", otherClasses == null ? classpath : classpathWith(otherClasses), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    Proc startJava(String name, String cpus, String mainClass, List<String> args, boolean profiled) throws IOException
    {
        return startJava(name, cpus, mainClass, args, profiled, null);
    }

    Proc startJava(String name, String cpus, String mainClass, List<String> args, boolean profiled, Path otherClasses) throws IOException
    {
        return Proc.start(name, cpus, javaCommand(name, mainClass, args, profiled, otherClasses), logs, true);
    }

    /**
     * This JVM's class path with another build's classes directory in place of this build's: the harness (test
     * classes) and the dependencies stay this build's, the code under test is the other one.
     */
    private String classpathWith(Path otherClasses)
    {
        List<String> entries = new ArrayList<>();
        boolean replaced = false;
        for (String e : classpath.split(File.pathSeparator))
        {
            if (!e.isEmpty() && Path.of(e).toAbsolutePath().normalize().equals(classes))
            {
                entries.add(otherClasses.toString());
                replaced = true;
            }
            else
                entries.add(e);
        }
        if (!replaced)
            throw new IllegalStateException("this build's classes " + classes + " are not on the class path " + classpath
                + " (bench/run puts them there; set -Dbench.classes otherwise)");
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Sends closed-loop traffic through a freshly started JVM balancer until its JIT has compiled the request
     * path (C2 compiles a method after some ten thousand calls: counted in requests, not seconds, because on a
     * busy machine a few seconds may be only a few thousand requests). 40,000 was not enough: scenario 1's CPU per
     * request still fell by half over the next three rounds, as C2 went on compiling the deeper paths. A
     * balancer in production has long been warm, and nginx, HAProxy and httpd need no warming. Nothing of it is
     * measured.
     */
    void warmJvm(String entry) throws Exception
    {
        if (agent == null)
            return;
        long target = quick ? 2_000 : jvmWarmupRequests;
        long deadline = System.nanoTime() + (quick ? 3_000_000_000L : 120_000_000_000L);
        long done = 0;
        while (done < target && System.nanoTime() < deadline)
        {
            var results = agent.run(new io.backhand.bench.load.LoadSpec("jit warm-up", true, 0, quick ? 1_000 : 5_000, 10_000, 1,
                List.of(io.backhand.bench.load.StreamSpec.closed("warm", List.of(entry + "small"), 16))));
            done += results.stream().mapToLong(io.backhand.bench.load.StreamResult::ok).sum();
        }
    }

    /** The contenders that --contenders lets through; "direct", the baseline, always runs. */
    List<Contender> select(List<Contender> all)
    {
        if (only.isEmpty())
            return all;
        return all.stream().filter(c -> c.label().equals("direct") || only.stream().anyMatch(o -> c.label().contains(o))).toList();
    }

    static int freeTcpPort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    static void awaitPort(String what, int port, Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            try (Socket s = new Socket())
            {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            }
            catch (IOException e)
            {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(what + " did not open port " + port + " within " + timeout);
    }

    /** Sets the CPUs of every thread of a running process (taskset -a -p). */
    static void pin(long pid, String cpus) throws IOException, InterruptedException
    {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0)
            throw new IllegalStateException("taskset could not pin process " + pid + " to CPUs " + cpus);
    }
}
