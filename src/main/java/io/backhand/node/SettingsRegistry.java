package io.backhand.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.backhand.cluster.Cidr;
import io.backhand.cluster.Destination;
import io.backhand.cluster.Endpoints;
import io.backhand.cluster.PeerDirectory;
import io.backhand.cluster.PeerDiscovery;
import io.backhand.config.Setting;
import io.backhand.config.Setting.Scope;
import io.backhand.config.Settings;
import io.backhand.config.ValueType;

/**
 * Every setting of Backhand, each described once: the server-wide context-params (read into
 * {@link NodeSettings}) and the init-params of a Backhand filter (read into {@link FilterSetup}). The
 * unknown-name checks and docs/configuration.md's quick index are held against this list.
 *
 * <p>To add a setting: one entry here, in the section its docs entry goes, a field where it is read
 * ({@link NodeSettings} or {@link FilterSetup}), and its entry and quick-index row in docs/configuration.md
 * (SettingsDocTest says what is missing).</p>
 */
public final class SettingsRegistry
{
    private static final List<Setting<?>> ALL = new ArrayList<>();

    private static final String RANGES = "address ranges such as 10.58.4.0/24 or fd00::/64, separated by spaces or commas";
    static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1"));

    // 2.1 The stats plane

    public static final Setting<List<Destination>> MULTICAST_STATS = add(context("backhand.multicastStats",
        ValueType.linesOf(ValueType.explainedBy(Destination::parse, null)))
        .byDefault(List.of()).documentedDefault("none").documentedIn("2.1"));
    public static final Setting<List<Cidr>> ACCEPT_STATS = add(context("backhand.acceptStats",
        ValueType.listOf(ValueType.parsedBy(Cidr::parse, RANGES)))
        .byDefault(List.of()).documentedDefault("none (fail closed)").documentedIn("2.1"));
    /** Null: the same ranges as {@link #ACCEPT_STATS}. */
    public static final Setting<List<Cidr>> MEMBER_ADDRESSES = add(context("backhand.memberAddresses",
        ValueType.listOf(ValueType.parsedBy(Cidr::parse, RANGES)))
        .documentedDefault("the AcceptStats ranges").documentedIn("2.1"));
    /** Null: the stats plane picks an interface and says which. */
    public static final Setting<NetworkInterface> INTERFACE = add(context("backhand.interface", SettingsRegistry::networkInterface)
        .documentedDefault("first multicast interface").documentedIn("2.1"));
    public static final Setting<List<InetSocketAddress>> PEERS = add(context("backhand.peers",
        ValueType.listOf(ValueType.explainedBy(PeerDirectory::entry, "host:port entries")))
        .byDefault(List.of()).documentedDefault("none").documentedIn("2.1"));
    /** How often names in {@link #PEERS} are resolved again (and peer lists sent). */
    public static final Setting<Duration> PEERS_REFRESH = add(context("backhand.peersRefresh",
        ValueType.duration(Duration.ofMillis(100), Duration.ofHours(1)))
        .byDefault(PeerDiscovery.DEFAULT_REFRESH).documentedIn("2.1"));
    /** 0: learn no peers. Learning needs a secret as well. */
    public static final Setting<Integer> LEARN_PEERS = add(context("backhand.learnPeers", ValueType.wholeNumber(0, 10_000))
        .byDefault(PeerDiscovery.DEFAULT_LEARN_MAX).documentedIn("2.1"));
    /** No default value: the ports of the destinations and peers, worked out in {@link NodeSettings}. */
    public static final Setting<List<Integer>> LISTEN = add(context("backhand.listen",
        ValueType.listOf(ValueType.parsedBy(SettingsRegistry::port, "UDP ports to listen on, such as 4445")))
        .documentedDefault("the destinations' and peers' ports").documentedIn("2.1"));
    public static final Setting<Duration> ANNOUNCE_INTERVAL = add(context("backhand.announceInterval",
        ValueType.duration(Duration.ofMillis(10), Duration.ofMinutes(1)))
        .byDefault(Duration.ofSeconds(1)).documentedIn("2.1"));
    /** Its lower bound and default depend on the announce interval: see {@link NodeSettings}. */
    public static final Setting<Duration> FORGET_AFTER = add(context("backhand.forgetAfter",
        ValueType.duration(Duration.ofMillis(20), Duration.ofHours(1)).describedAs("two announce intervals to 60m"))
        .documentedDefault("30 s or 10 intervals").documentedIn("2.1"));

    // 2.2 This node

    /** Null: the host name. The byte limit is the wire format's: 100 letters of some scripts take more than 255 bytes. */
    public static final Setting<String> NODE_NAME = add(context("backhand.nodeName", SettingsRegistry::nodeName)
        .documentedDefault("host name").documentedIn("2.2"));
    /** 0: the port of Jetty's HTTP connector, found when the node starts. */
    public static final Setting<Integer> CONTACT_PORT = add(context("backhand.contactPort", ValueType.wholeNumber(1, 65535))
        .byDefault(0).documentedDefault("the HTTP connector's port").documentedIn("2.2"));
    /** Null: backhand/ under the container's temporary directory; {@link NodeSettings} checks it is writable. */
    public static final Setting<Path> STATE_DIR = add(context("backhand.stateDir", ValueType.parsedBy(Path::of, "a directory"))
        .documentedDefault("webapp temp dir").documentedIn("2.2"));
    /** Null: measured by {@link io.backhand.stats.Arriba}. */
    public static final Setting<Integer> ARRIBA = add(context("backhand.arriba", ValueType.wholeNumber(1, Integer.MAX_VALUE))
        .documentedDefault("measured").documentedIn("2.2"));

    // 2.3 Proxying

    public static final Setting<Boolean> SELF_REDIRECT = add(context("backhand.selfRedirect", ValueType.onOff())
        .byDefault(false).documentedIn("2.3"));
    public static final Setting<Boolean> CONNECTION_POOLS = add(context("backhand.connectionPools", ValueType.onOff())
        .byDefault(true).documentedIn("2.3"));
    public static final Setting<Duration> SLOW_START = add(context("backhand.slowStart",
        ValueType.duration(Duration.ZERO, Duration.ofHours(1)))
        .byDefault(Duration.ZERO).documentedDefault("`0s` (off)").documentedIn("2.3"));
    public static final Setting<Duration> LEAVE_GRACE = add(context("backhand.leaveGrace",
        ValueType.duration(Duration.ZERO, Duration.ofMinutes(10)))
        .byDefault(Duration.ofSeconds(10)).documentedIn("2.3"));
    /** Empty: the JVM's default trust store. */
    public static final Setting<List<java.security.cert.Certificate>> PROXY_TRUST = add(context("backhand.proxyTrust",
        ProxyTls::certificates).byDefault(List.of()).documentedDefault("the JVM's trust store").documentedIn("2.3"));
    public static final Setting<Boolean> PROXY_VERIFY_HOST = add(context("backhand.proxyVerifyHost", ValueType.onOff())
        .byDefault(true).documentedIn("2.3"));

    // 2.4 Security

    public static final Setting<String> SECRET = add(context("backhand.secret",
        ValueType.matching("(?s).{16,}", "a shared secret of at least 16 characters"))
        .documentedIn("2.4").anchoredAt("backhandsecret-backhandsecretfile"));
    /** Parsed into the file's content, stripped. */
    public static final Setting<String> SECRET_FILE = add(context("backhand.secretFile", SettingsRegistry::secretFile)
        .documentedIn("2.4").anchoredAt("backhandsecret-backhandsecretfile"));
    /** Null: {@link #ACCEPT_STATS} and loopback. */
    public static final Setting<List<Cidr>> STATUS_ACCESS = add(context("backhand.statusAccess",
        ValueType.listOf(ValueType.parsedBy(Cidr::parse, RANGES)))
        .documentedDefault("AcceptStats + loopback").documentedIn("2.4"));
    public static final Setting<Boolean> ADMIN = add(context("backhand.admin", ValueType.onOff())
        .byDefault(false).documentedIn("2.4"));
    public static final Setting<List<Cidr>> ADMIN_ACCESS = add(context("backhand.adminAccess",
        ValueType.listOf(SettingsRegistry::loopbackRange))
        .byDefault(LOOPBACK).documentedDefault("loopback").documentedIn("2.4"));

    // 2.5 Logging and the status page

    /** Logging category to level; empty leaves the logging configuration alone. */
    public static final Setting<Map<String, String>> LOG_LEVEL = add(context("backhand.logLevel", LogLevels::parse)
        .byDefault(Map.of()).documentedDefault("logging configuration").documentedIn("2.5"));
    public static final Setting<String> STATUS_PATH = add(context("backhand.statusPath",
        ValueType.matching("/|(/[A-Za-z0-9._~-]+)+", "a path such as /backhand"))
        .byDefault("/backhand").documentedIn("2.5"));
    /** Read by jetty-base/webapps/backhand.xml to place the WAR, not by the WAR itself; known so that it is not refused. */
    public static final Setting<String> CONTEXT_PATH = add(Setting.of("backhand.contextPath", Scope.SYSTEM_PROPERTY,
        ValueType.text()).byDefault("/").documentedIn("2.5"));

    // 3 Filter init-params

    public static final Setting<String> CANDIDACY = add(initParam("candidacy", ValueType.text())
        .byDefault("byAge 6; byLatency").documentedIn("3"));
    public static final Setting<Integer> RETRIES = add(initParam("retries", ValueType.wholeNumber(0, 16))
        .byDefault(2).documentedIn("3"));
    public static final Setting<Integer> RETRY_AFTER = add(initParam("retryAfter", ValueType.wholeNumber(1, 3600))
        .byDefault(5).documentedIn("3"));
    /** {@code raw} exists only to demonstrate the herd it causes. */
    public static final Setting<String> FIGURES = add(initParam("figures", ValueType.oneOf("interpreted", "raw"))
        .byDefault("interpreted").documentedIn("3"));
    /** Null: the node's {@link #CONNECTION_POOLS}. */
    public static final Setting<Boolean> FILTER_CONNECTION_POOLS = add(initParam("connectionPools", ValueType.onOff())
        .documentedDefault("`backhand.connectionPools`").documentedIn("3"));
    /** Memory is held per request while its body arrives: the bound keeps a flood of large bodies from taking it all. */
    public static final Setting<Long> REQUEST_BUFFER = add(initParam("requestBuffer", ValueType.size(0, 16L << 20))
        .byDefault(64L << 10).documentedIn("3"));
    public static final Setting<Duration> REQUEST_BODY_TIMEOUT = add(initParam("requestBodyTimeout",
        ValueType.duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
        .byDefault(Duration.ofSeconds(30)).documentedIn("3"));

    // 3 Jetty's own proxy servlet parameters, passed through under Jetty's names. Where Backhand's default
    // differs from Jetty's: no total timeout, because a total cuts off long uploads and downloads that are
    // making progress (idleTimeout catches a backend that stopped); a short connect timeout, because a
    // candidate that cannot be reached in 3 s is better skipped for the next. Null: Jetty's default.

    public static final Setting<Integer> CONNECT_TIMEOUT = add(jetty("connectTimeout", 1, 600_000, 3000));
    public static final Setting<Integer> TIMEOUT = add(jetty("timeout", 0, 86_400_000, 0)
        .documentedDefault("`0` (none)"));
    public static final Setting<Integer> IDLE_TIMEOUT = add(jetty("idleTimeout", 1, 86_400_000, 30_000));
    public static final Setting<Integer> MAX_CONNECTIONS = add(jetty("maxConnections", 1, 100_000, 256));
    public static final Setting<Integer> MAX_THREADS = add(jetty("maxThreads", 2, 10_000, null)
        .documentedDefault("the server's thread pool"));
    public static final Setting<Integer> SELECTORS = add(jetty("selectors", 1, 64, null)
        .documentedDefault("one per two cores (at least 1)"));
    public static final Setting<Integer> REQUEST_BUFFER_SIZE = add(jetty("requestBufferSize", 512, 16 << 20, null));
    public static final Setting<Integer> RESPONSE_BUFFER_SIZE = add(jetty("responseBufferSize", 512, 16 << 20, null));
    public static final Setting<Integer> MAX_REQUEST_HEADERS_SIZE = add(jetty("maxRequestHeadersSize", 1024, 1 << 20, null));
    public static final Setting<Integer> MAX_RESPONSE_HEADERS_SIZE = add(jetty("maxResponseHeadersSize", 1024, 1 << 20, null));

    private SettingsRegistry()
    {
    }

    /** Every setting, in the order of docs/configuration.md. */
    public static List<Setting<?>> all()
    {
        return Collections.unmodifiableList(ALL);
    }

    /** The names a {@code backhand.*} context-param or system property may have. */
    public static Set<String> serverWideNames()
    {
        return names(Scope.CONTEXT_PARAM, Scope.SYSTEM_PROPERTY);
    }

    public static Set<String> initParamNames()
    {
        return names(Scope.INIT_PARAM);
    }

    /** The init-params handed to Jetty's proxy servlet as they are. */
    public static List<Setting<Integer>> jettyProxyParams()
    {
        return List.of(CONNECT_TIMEOUT, TIMEOUT, IDLE_TIMEOUT, MAX_CONNECTIONS, MAX_THREADS, SELECTORS,
            REQUEST_BUFFER_SIZE, RESPONSE_BUFFER_SIZE, MAX_REQUEST_HEADERS_SIZE, MAX_RESPONSE_HEADERS_SIZE);
    }

    private static Set<String> names(Scope... scopes)
    {
        Set<String> out = new TreeSet<>();
        for (Setting<?> s : ALL)
        {
            if (List.of(scopes).contains(s.scope()))
                out.add(s.name());
        }
        return Collections.unmodifiableSet(out);
    }

    private static <T> Setting<T> add(Setting<T> setting)
    {
        ALL.add(setting);
        return setting;
    }

    private static <T> Setting<T> context(String name, ValueType<T> type)
    {
        return Setting.of(name, Scope.CONTEXT_PARAM, type);
    }

    private static <T> Setting<T> initParam(String name, ValueType<T> type)
    {
        return Setting.of(name, Scope.INIT_PARAM, type);
    }

    /** A whole-number init-param of Jetty's proxy servlet with Backhand's default, null for Jetty's. */
    private static Setting<Integer> jetty(String name, int min, int max, Integer defaultValue)
    {
        Setting<Integer> s = initParam(name, ValueType.wholeNumber(min, max));
        s = defaultValue == null ? s.documentedDefault("Jetty HttpClient's") : s.byDefault(defaultValue);
        return s.documentedIn("3").anchoredAt("jetty-proxy-settings");
    }

    private static String nodeName(Settings.Value v)
    {
        if (!v.text().matches("[\\p{L}\\p{N}._:@-]{1,100}") || v.text().getBytes(StandardCharsets.UTF_8).length > 255)
            throw v.invalid("a name of up to 100 letters, digits and . _ : @ - (at most 255 bytes of UTF-8)");
        return v.text();
    }

    private static int port(String text)
    {
        Endpoints.HostPort hp = Endpoints.split(text.contains(":") || text.startsWith("[") ? text : ":" + text);
        if (hp.port() <= 0)
            throw new IllegalArgumentException("no port");
        return hp.port();
    }

    private static NetworkInterface networkInterface(Settings.Value v)
    {
        NetworkInterface iface;
        try
        {
            iface = NetworkInterface.getByName(v.text());
        }
        catch (SocketException e)
        {
            iface = null;
        }
        if (iface == null)
            throw v.invalid("the name of a network interface of this host, such as lo or eth1");
        return iface;
    }

    private static String secretFile(Settings.Value v)
    {
        try
        {
            String content = Files.readString(Path.of(v.text()), StandardCharsets.UTF_8).strip();
            if (content.isEmpty())
                throw v.invalid("a file holding the shared secret, and it is empty (an empty secret would sign nothing)");
            if (content.length() < 16)
                throw v.invalid("a readable file holding a shared secret of at least 16 characters (it holds "
                    + content.length() + ")");
            return content;
        }
        catch (IOException e)
        {
            throw v.invalid("a readable file holding the shared secret (" + e.getMessage() + ")");
        }
    }

    /** backhand.adminAccess may narrow loopback but never open admin to the network. */
    private static Cidr loopbackRange(Settings.Value v)
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
        return c;
    }
}
