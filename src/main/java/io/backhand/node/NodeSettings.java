package io.backhand.node;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import io.backhand.cluster.PeerDiscovery;
import io.backhand.cluster.StatsSettings;
import io.backhand.cluster.TransportSettings;
import io.backhand.config.ConfigException;
import io.backhand.config.Settings;
import io.backhand.config.ValueType;

import static io.backhand.node.SettingsRegistry.*;

/**
 * This node's server-wide settings, read from {@link Settings} as {@link SettingsRegistry} describes them
 * (name, type, range and default); what is left here are the defaults worked out from other settings or
 * the host, and the checks that span settings.
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
    Duration leaveGrace,
    ProxyTls proxyTls)
{
    public static final Duration DEFAULT_FRESHNESS = Duration.ofMinutes(5);

    public static NodeSettings read(Settings s, File containerTempDir)
    {
        String hostname = localHostname();
        List<Destination> destinations = MULTICAST_STATS.read(s);
        List<InetSocketAddress> peers = PEERS.read(s);
        // How backhand.peers follow the cluster while it runs: names resolved again, peers learned.
        PeerDiscovery discovery = new PeerDiscovery(PEERS_REFRESH.read(s), LEARN_PEERS.read(s));
        TransportSettings transport = new TransportSettings(destinations, peers, listenPorts(s, destinations, peers),
            INTERFACE.read(s), discovery, null);
        List<Cidr> accept = ACCEPT_STATS.read(s);
        AcceptStats acceptStats = new AcceptStats(accept);
        AcceptStats memberAddresses = MEMBER_ADDRESSES.isSet(s) ? new AcceptStats(MEMBER_ADDRESSES.read(s)) : acceptStats;
        Duration interval = ANNOUNCE_INTERVAL.read(s);
        // A peer is forgotten no sooner than two of its announcements can have gone missing.
        Duration forget = FORGET_AFTER.within(ValueType.duration(interval.multipliedBy(2), Duration.ofHours(1)))
            .read(s, max(Duration.ofSeconds(30), interval.multipliedBy(10)));
        StatsSettings stats = new StatsSettings(transport, acceptStats, secret(s), interval, forget, DEFAULT_FRESHNESS,
            memberAddresses);

        List<Cidr> statusAccess = new ArrayList<>(accept);
        statusAccess.addAll(LOOPBACK);
        String statusPath = STATUS_PATH.read(s);
        return new NodeSettings(NODE_NAME.read(s, hostname), hostname, stats, new AcceptStats(STATUS_ACCESS.read(s, statusAccess)),
            SELF_REDIRECT.read(s), CONNECTION_POOLS.read(s), stateDir(s, containerTempDir), ARRIBA.read(s), CONTACT_PORT.read(s),
            statusPath.equals("/") ? "" : statusPath, LOG_LEVEL.isSet(s) ? LOG_LEVEL.raw(s).text() : "", ADMIN.read(s),
            new AcceptStats(ADMIN_ACCESS.read(s)), SLOW_START.read(s), LEAVE_GRACE.read(s), ProxyTls.read(s));
    }

    private static Duration max(Duration a, Duration b)
    {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** backhand.listen, else the destinations' ports and the peers' one port. */
    private static List<Integer> listenPorts(Settings s, List<Destination> destinations, List<InetSocketAddress> peers)
    {
        Set<Integer> listen = new LinkedHashSet<>();
        for (Destination d : destinations)
            listen.add(d.target().getPort());
        if (LISTEN.isSet(s))
            listen.addAll(LISTEN.read(s));
        else if (!peers.isEmpty())
        {
            Set<Integer> peerPorts = new LinkedHashSet<>();
            peers.forEach(p -> peerPorts.add(p.getPort()));
            if (peerPorts.size() > 1)
                throw new ConfigException(PEERS.name() + ": the peers use several ports " + peerPorts
                    + ", so set " + LISTEN.name() + " to the port this node listens on");
            listen.addAll(peerPorts);
        }
        return new ArrayList<>(listen);
    }

    private static byte[] secret(Settings s)
    {
        // A secret that is set but blank would otherwise count as unset, and the node would sign nothing.
        s.refuseBlank(SECRET.name(), "a shared secret of at least 16 characters");
        s.refuseBlank(SECRET_FILE.name(), "the path of a file holding the shared secret");
        Settings.Value text = SECRET.raw(s);
        Settings.Value file = SECRET_FILE.raw(s);
        if (text != null && file != null)
            throw new ConfigException(SECRET.name() + " (" + text.origin() + ") and " + SECRET_FILE.name()
                + " (" + file.origin() + ") are both set; set only one");
        String secret = text != null ? SECRET.read(s) : SECRET_FILE.read(s);
        return secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    private static Path stateDir(Settings s, File containerTempDir)
    {
        Settings.Value v = STATE_DIR.raw(s);
        Path dir = STATE_DIR.read(s, (containerTempDir != null ? containerTempDir.toPath()
            : Path.of(System.getProperty("java.io.tmpdir"))).resolve("backhand"));
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
            throw new ConfigException(STATE_DIR.name() + " (default " + dir + "): not " + msg);
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
