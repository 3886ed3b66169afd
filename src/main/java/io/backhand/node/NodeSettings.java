package io.backhand.node;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.backhand.cluster.AcceptStats;
import io.backhand.cluster.Cidr;
import io.backhand.cluster.Destination;
import io.backhand.cluster.Endpoints;
import io.backhand.cluster.PeerDirectory;
import io.backhand.cluster.PeerDiscovery;
import io.backhand.cluster.StatsSettings;
import io.backhand.cluster.TransportSettings;
import io.backhand.config.ConfigException;
import io.backhand.config.ContextParams;
import io.backhand.config.Settings;

/**
 * This node's server-wide settings, read from {@link Settings} and checked as a whole: every problem is
 * reported with the parameter, where its value came from, and what was expected.
 */
public record NodeSettings(
    String nodeName,
    String hostname,
    StatsSettings stats,
    AcceptStats statusAccess,
    boolean selfRedirect,
    boolean connectionPools,
    Path stateDir,
    Integer arriba,
    int contactPort,
    String statusPath,
    String logLevel,
    boolean admin,
    AcceptStats adminAccess,
    Duration slowStart,
    Duration leaveGrace)
{
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_FRESHNESS = Duration.ofMinutes(5);

    public static NodeSettings read(Settings s, File containerTempDir)
    {
        String hostname = localHostname();
        String nodeName = s.string(ContextParams.NODE_NAME, hostname);
        // The byte limit is the wire format's: 100 letters of some scripts take more than 255 bytes of UTF-8.
        if (!nodeName.matches("[\\p{L}\\p{N}._:@-]{1,100}") || nodeName.getBytes(StandardCharsets.UTF_8).length > 255)
            throw s.value(ContextParams.NODE_NAME).invalid("a name of up to 100 letters, digits and . _ : @ - "
                + "(at most 255 bytes of UTF-8)");

        NetworkInterface iface = null;
        Settings.Value ifaceValue = s.value(ContextParams.INTERFACE);
        if (ifaceValue != null)
        {
            try
            {
                iface = NetworkInterface.getByName(ifaceValue.text());
            }
            catch (SocketException e)
            {
                iface = null;
            }
            if (iface == null)
                throw ifaceValue.invalid("the name of a network interface of this host, such as lo or eth1");
        }

        List<Destination> destinations = new ArrayList<>();
        for (Settings.Value line : s.lines(ContextParams.MULTICAST_STATS))
        {
            try
            {
                destinations.add(Destination.parse(line.text()));
            }
            catch (IllegalArgumentException e)
            {
                throw new ConfigException(line.name() + " (" + line.origin() + "): " + e.getMessage());
            }
        }

        List<InetSocketAddress> peers = new ArrayList<>();
        for (Settings.Value v : s.list(ContextParams.PEERS))
        {
            try
            {
                InetSocketAddress a = PeerDirectory.entry(v.text()); // membership: a name that does not resolve yet is kept
                peers.add(a);
            }
            catch (IllegalArgumentException e)
            {
                throw new ConfigException(v.name() + " (" + v.origin() + "): " + e.getMessage() + "; expected host:port entries");
            }
        }

        Set<Integer> listen = new LinkedHashSet<>();
        for (Destination d : destinations)
            listen.add(d.target().getPort());
        Settings.Value listenValue = s.value(ContextParams.LISTEN);
        if (listenValue != null)
        {
            for (Settings.Value v : s.list(ContextParams.LISTEN))
            {
                try
                {
                    Endpoints.HostPort hp = Endpoints.split(v.text().contains(":") || v.text().startsWith("[") ? v.text() : ":" + v.text());
                    if (hp.port() <= 0)
                        throw new IllegalArgumentException("no port");
                    listen.add(hp.port());
                }
                catch (IllegalArgumentException e)
                {
                    throw v.invalid("UDP ports to listen on, such as 4445");
                }
            }
        }
        else if (!peers.isEmpty())
        {
            Set<Integer> peerPorts = new LinkedHashSet<>();
            peers.forEach(p -> peerPorts.add(p.getPort()));
            if (peerPorts.size() > 1)
                throw new ConfigException(ContextParams.PEERS + ": the peers use several ports " + peerPorts
                    + ", so set " + ContextParams.LISTEN + " to the port this node listens on");
            listen.addAll(peerPorts);
        }

        List<Cidr> accept = cidrs(s, ContextParams.ACCEPT_STATS);
        AcceptStats acceptStats = new AcceptStats(accept);

        List<Cidr> status = cidrs(s, ContextParams.STATUS_ACCESS);
        if (s.value(ContextParams.STATUS_ACCESS) == null)
        {
            status = new ArrayList<>(accept);
            status.add(Cidr.parse("127.0.0.0/8"));
            status.add(Cidr.parse("::1"));
        }

        Duration interval = s.duration(ContextParams.ANNOUNCE_INTERVAL, DEFAULT_INTERVAL, Duration.ofMillis(10), Duration.ofMinutes(1));
        Duration forgetDefault = Duration.ofNanos(Math.max(Duration.ofSeconds(30).toNanos(), interval.toNanos() * 10));
        Duration forget = s.duration(ContextParams.FORGET_AFTER, forgetDefault, interval.multipliedBy(2), Duration.ofHours(1));

        byte[] secret = secret(s);

        Path stateDir = stateDir(s, containerTempDir);

        Integer arriba = null;
        if (s.value(ContextParams.ARRIBA) != null)
            arriba = s.integer(ContextParams.ARRIBA, 0, 1, Integer.MAX_VALUE);
        int contactPort = s.integer(ContextParams.CONTACT_PORT, 0, 1, 65535);

        String statusPath = s.string(ContextParams.STATUS_PATH, "/backhand");
        if (!statusPath.equals("/") && !statusPath.matches("(/[A-Za-z0-9._~-]+)+"))
            throw s.value(ContextParams.STATUS_PATH).invalid("a path such as /backhand");
        if (statusPath.equals("/"))
            statusPath = "";

        // membership: how backhand.peers follow the cluster while it runs
        PeerDiscovery discovery = new PeerDiscovery(
            s.duration(ContextParams.PEERS_REFRESH, PeerDiscovery.DEFAULT_REFRESH, Duration.ofMillis(100), Duration.ofHours(1)),
            s.integer(ContextParams.LEARN_PEERS, PeerDiscovery.DEFAULT_LEARN_MAX, 0, 10_000));
        TransportSettings transport = new TransportSettings(destinations, peers, new ArrayList<>(listen), iface, discovery,
            null);
        StatsSettings stats = new StatsSettings(transport, acceptStats, secret, interval, forget, DEFAULT_FRESHNESS);
        return new NodeSettings(nodeName, hostname, stats, new AcceptStats(status),
            s.onOff(ContextParams.SELF_REDIRECT, false), s.onOff(ContextParams.CONNECTION_POOLS, true), stateDir, arriba,
            contactPort, statusPath, s.string(ContextParams.LOG_LEVEL, ""), s.onOff(ContextParams.ADMIN, false),
            adminAccess(s), s.duration(ContextParams.SLOW_START, Duration.ZERO, Duration.ZERO, Duration.ofHours(1)),
            s.duration(ContextParams.LEAVE_GRACE, Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10)));
    }

    /** backhand.adminAccess: loopback by default; it may narrow loopback but never open admin to the network. */
    private static AcceptStats adminAccess(Settings settings)
    {
        List<Cidr> ranges = new ArrayList<>();
        for (Settings.Value v : settings.list(ContextParams.ADMIN_ACCESS))
        {
            Cidr c;
            try
            {
                c = Cidr.parse(v.text());
            }
            catch (IllegalArgumentException e)
            {
                throw v.invalid("loopback address ranges such as 127.0.0.1/32 or ::1");
            }
            if (!c.isLoopback())
                throw v.invalid("loopback address ranges only (admin from elsewhere needs the shared secret)");
            ranges.add(c);
        }
        if (ranges.isEmpty())
        {
            ranges.add(Cidr.parse("127.0.0.0/8"));
            ranges.add(Cidr.parse("::1"));
        }
        return new AcceptStats(ranges);
    }

    private static List<Cidr> cidrs(Settings s, String name)
    {
        List<Cidr> out = new ArrayList<>();
        for (Settings.Value v : s.list(name))
        {
            try
            {
                out.add(Cidr.parse(v.text()));
            }
            catch (IllegalArgumentException e)
            {
                throw v.invalid("address ranges such as 10.58.4.0/24 or fd00::/64, separated by spaces or commas");
            }
        }
        return out;
    }

    private static byte[] secret(Settings s)
    {
        Settings.Value text = s.value(ContextParams.SECRET);
        Settings.Value file = s.value(ContextParams.SECRET_FILE);
        if (text != null && file != null)
            throw new ConfigException(ContextParams.SECRET + " (" + text.origin() + ") and " + ContextParams.SECRET_FILE
                + " (" + file.origin() + ") are both set; set only one");
        if (text != null)
        {
            if (text.text().length() < 16)
                throw text.invalid("a shared secret of at least 16 characters");
            return text.text().getBytes(StandardCharsets.UTF_8);
        }
        if (file != null)
        {
            try
            {
                String content = Files.readString(Path.of(file.text()), StandardCharsets.UTF_8).strip();
                if (content.length() < 16)
                    throw file.invalid("a readable file holding a shared secret of at least 16 characters (it holds "
                        + content.length() + ")");
                return content.getBytes(StandardCharsets.UTF_8);
            }
            catch (IOException e)
            {
                throw file.invalid("a readable file holding the shared secret (" + e.getMessage() + ")");
            }
        }
        return null;
    }

    private static Path stateDir(Settings s, File containerTempDir)
    {
        Settings.Value v = s.value(ContextParams.STATE_DIR);
        Path dir = v != null ? Path.of(v.text())
            : (containerTempDir != null ? containerTempDir.toPath() : Path.of(System.getProperty("java.io.tmpdir"))).resolve("backhand");
        try
        {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", ".tmp");
            Files.delete(probe);
        }
        catch (IOException | RuntimeException e)
        {
            String msg = "a writable directory (" + e.getMessage() + ")";
            if (v != null)
                throw v.invalid(msg);
            throw new ConfigException(ContextParams.STATE_DIR + " (default " + dir + "): not " + msg);
        }
        return dir;
    }

    static String localHostname()
    {
        String env = System.getenv("HOSTNAME");
        try
        {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank())
                return name;
        }
        catch (UnknownHostException e)
        {
            // fall through
        }
        return env != null && !env.isBlank() ? env : "localhost";
    }
}
