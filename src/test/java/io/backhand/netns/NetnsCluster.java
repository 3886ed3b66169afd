package io.backhand.netns;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.backhand.it.JettyProcess;

/**
 * A Backhand cluster of separate hosts on one machine: a dedicated balancer, application nodes, optionally a
 * rogue host outside AcceptStats and an impostor inside it with the wrong key, and a client host, each in its
 * own network namespace on a {@link VirtualLan}. Every Backhand host is a stock jetty-home process with the
 * built WAR, configured by system properties in its {@code start.d/backhand.ini} as an operator would:
 *
 * <ul>
 * <li>balancer: the WAR at the root, its filter balancing every request;</li>
 * <li>application nodes (and the two intruders): the WAR at {@code /backhand} (status map at {@code /backhand/})
 * beside the {@link RecorderServlet} application at the root;</li>
 * <li>announcements to one multicast group on {@code eth1} with TTL 1, advertising the host's own address;
 * AcceptStats a /28 that holds the legitimate hosts (and the impostor) but not the client or the rogue.</li>
 * </ul>
 *
 * <p>Closing it removes every process and namespace (see {@link VirtualLan#close()}).</p>
 */
public final class NetnsCluster implements AutoCloseable
{
    public static final int HTTP_PORT = 8080;
    public static final int STATS_PORT = 4445;
    public static final String BALANCER = "balancer";
    public static final String ROGUE = "rogue";
    public static final String IMPOSTOR = "impostor";
    /**
     * JVM options for a JVM that should cost the shared machine little: the C1 compiler only and a serial
     * collector, so that seven JVMs starting at once leave CPU for the requests being timed.
     */
    public static final List<String> LIGHT_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * @param appNodes          how many application nodes
     * @param intruders         also run the rogue (right key, outside AcceptStats) and the impostor (inside, wrong key)
     * @param secret            the cluster's backhand.secret, or null for unsigned announcements
     * @param forgetAfter       backhand.forgetAfter of every node, or null for the product's default
     * @param jvmOptions        extra JVM options of every host's Jetty (not Backhand settings: those are in start.d)
     */
    public record Options(int appNodes, boolean intruders, String secret, Duration forgetAfter, List<String> jvmOptions)
    {
    }

    /** One Backhand host. {@code legitimate} ones belong in every map; the intruders in none. */
    public record Node(String name, Host host, JettyProcess jetty, Path record, boolean legitimate)
    {
        public URI status()
        {
            return URI.create("http://" + host.address() + ":" + HTTP_PORT + "/backhand/?format=json");
        }
    }

    private final VirtualLan lan;
    private final Path work;
    private final Options options;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Long> startedAt = new LinkedHashMap<>();
    private final String group;
    private Host client;
    private ProbeClient probe;

    private NetnsCluster(VirtualLan lan, Path work, Options options)
    {
        this.lan = lan;
        this.work = work;
        this.options = options;
        this.group = "239.255." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(1, 255)
            + ":" + STATS_PORT;
    }

    /**
     * Builds the LAN, writes every host's configuration and starts the probe on the client host, but starts no
     * Jetty yet: call {@link #launch()}, after setting up whatever must watch the start.
     */
    public static NetnsCluster create(Path work, Options options) throws IOException
    {
        Files.createDirectories(work);
        VirtualLan lan = VirtualLan.create(Subnet.choose());
        NetnsCluster cluster = new NetnsCluster(lan, work, options);
        try
        {
            cluster.build();
            return cluster;
        }
        catch (IOException | RuntimeException | Error e)
        {
            cluster.close();
            throw e;
        }
    }

    private void build() throws IOException
    {
        add(BALANCER, lan.addHost(BALANCER, 2), true, options.secret());
        for (int i = 1; i <= options.appNodes(); i++)
            add("app" + i, lan.addHost("app" + i, 2 + i), true, options.secret());
        if (options.intruders())
        {
            // Inside AcceptStats (.0/28), but signing with a key nobody else has.
            add(IMPOSTOR, lan.addHost(IMPOSTOR, 14), false, "not-the-cluster-key-" + Long.toHexString(System.nanoTime()));
            // The right key, but an address no node accepts announcements from.
            add(ROGUE, lan.addHost(ROGUE, 200), false, options.secret());
        }
        client = lan.addHost("client", 100);
        // The probe does little but must answer promptly: no C2 compiler threads competing for the CPU.
        List<String> probeJava = new ArrayList<>(javaCommand());
        probeJava.addAll(1, LIGHT_JVM);
        probe = new ProbeClient(client, probeJava, work.resolve("probe.log"));
    }

    /** Starts every host's Jetty at once and waits until all of them have started. */
    public NetnsCluster launch() throws IOException
    {
        try
        {
            for (Node n : nodes.values())
                n.jetty().launch();
            awaitStarted();
            return this;
        }
        catch (IOException | RuntimeException | Error e)
        {
            close();
            throw e;
        }
    }

    private void add(String name, Host host, boolean legitimate, String secret) throws IOException
    {
        Subnet net = lan.subnet();
        Path logs = Files.createDirectories(work.resolve("logs"));
        JettyProcess jetty = new JettyProcess(name, work.resolve("bases"), new JettyProcess.Placement(host.address(), HTTP_PORT,
            host.exec(), logs.resolve(name + ".log"), options.jvmOptions(), Duration.ofSeconds(180)));
        List<String> ini = new ArrayList<>();
        ini.add("# " + name + " at " + host.address() + " (namespace " + host.namespace() + ")");
        if (name.equals(BALANCER))
        {
            ini.add("-Dbackhand.contextPath=/");
        }
        else
        {
            ini.add("-Dbackhand.contextPath=/backhand");
            ini.add("-Dbackhand.statusPath=/");
        }
        ini.add("-Dbackhand.nodeName=" + name);
        ini.add("-Dbackhand.multicastStats=" + host.address() + " " + group + ",1");
        ini.add("-Dbackhand.interface=" + host.iface());
        ini.add("-Dbackhand.acceptStats=" + acceptStats());
        ini.add("-Dbackhand.statusAccess=" + acceptStats() + "," + net.host(100) + "/32");
        if (options.forgetAfter() != null)
            ini.add("-Dbackhand.forgetAfter=" + options.forgetAfter().toMillis() + "ms");
        if (secret != null)
            ini.add("-Dbackhand.secret=" + secret);
        jetty.writeIni("backhand.ini", ini);
        Path record = null;
        if (!name.equals(BALANCER))
        {
            record = Files.createDirectories(work.resolve("records")).resolve(name + ".log");
            Files.writeString(record, "");
            RecorderWebapp.install(jetty.base(), name, record);
        }
        nodes.put(name, new Node(name, host, jetty, record, legitimate));
    }

    /** The legitimate hosts' range: .0 to .15 of the subnet. */
    public String acceptStats()
    {
        return lan.subnet().cidr(0, 28);
    }

    private void awaitStarted()
    {
        long deadline = System.currentTimeMillis() + 180_000;
        while (startedAt.size() < nodes.size())
        {
            for (Node n : nodes.values())
            {
                if (startedAt.containsKey(n.name()))
                    continue;
                if (!n.jetty().isAlive())
                    throw new AssertionError(n.name() + " exited during start-up; log:\n" + n.jetty().logText());
                if (n.jetty().logText().contains("Started oejs.Server"))
                    startedAt.put(n.name(), System.currentTimeMillis());
            }
            if (System.currentTimeMillis() > deadline)
                throw new AssertionError("not started within 180 s: "
                    + nodes.keySet().stream().filter(k -> !startedAt.containsKey(k)).toList());
            try
            {
                Thread.sleep(20);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted during start-up");
            }
        }
    }

    /** {@code java -cp <the test classpath>}, for programs run on the client host. */
    public static List<String> javaCommand()
    {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", cp);
    }

    /** Starts a {@link LoadClient} on the client host against the balancer. */
    public LoadRun startLoad(String label, List<String> args) throws IOException
    {
        List<String> all = new ArrayList<>(List.of("--target", "http://" + node(BALANCER).host().address() + ":" + HTTP_PORT));
        all.addAll(args);
        return new LoadRun(client, javaCommand(), all, work.resolve(label + "-results.tsv"), work.resolve(label + "-client.log"));
    }

    public Node node(String name)
    {
        Node n = nodes.get(name);
        if (n == null)
            throw new IllegalArgumentException("no node " + name);
        return n;
    }

    public List<Node> nodes()
    {
        return List.copyOf(nodes.values());
    }

    public List<Node> legitimate()
    {
        return nodes.values().stream().filter(Node::legitimate).toList();
    }

    public Map<String, Long> startedAt()
    {
        return Map.copyOf(startedAt);
    }

    public Host client()
    {
        return client;
    }

    public ProbeClient probe()
    {
        return probe;
    }

    public VirtualLan lan()
    {
        return lan;
    }

    public Path work()
    {
        return work;
    }

    public String group()
    {
        return group;
    }

    @Override
    public void close()
    {
        if (probe != null)
            probe.close();
        lan.close();
        // Logs, records and configuration stay for whoever reads the run; the copies of the WAR go.
        for (Node n : nodes.values())
        {
            try
            {
                n.jetty().trim();
            }
            catch (IOException e)
            {
                System.err.println("could not trim " + n.jetty().base() + ": " + e);
            }
        }
    }
}
