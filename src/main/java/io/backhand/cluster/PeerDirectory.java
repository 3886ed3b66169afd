package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where unicast announcements go, kept current while the node runs, so that adding or removing a node needs
 * no restart anywhere:
 *
 * <ul>
 * <li><b>resolved</b>: the backhand.peers entries, each host name resolved again every refresh to all its
 *     addresses (one name with many records, such as a Kubernetes headless Service, lists every node). An
 *     address that is no longer in the answer is no longer sent to; a lookup that fails keeps the name's last
 *     answer, so that a DNS outage does not cut the cluster apart;</li>
 * <li><b>learned</b>, only with a secret: every peer in the cluster view, at its contact address, and every
 *     address a peer introduced in a signed peer list. A seed list of one or two names is then enough: a new
 *     node announces to the seeds, the seeds hear it and tell the others in their next peer list, and the
 *     others start announcing to it. A learned peer is dropped when the cluster table forgets it; an introduced
 *     address that never answers expires after forgetAfter.</li>
 * </ul>
 *
 * <p>Why only with a secret: a learned address becomes a destination, and without a signature anyone who can
 * send from inside AcceptStats could make every node send its figures wherever it likes (inside AcceptStats),
 * or fill the list with addresses nobody listens on. With a secret, only holders of the key are believed.
 * Even then a learned address must lie inside AcceptStats (a node never sends where it would not believe an
 * answer from), must not be multicast, broadcast or a wildcard, and at most {@code learnMax} are kept.</p>
 *
 * <p>A learned peer is sent to on the seeds' port: nodes that find each other this way are assumed to listen
 * where the seeds do, which is the rule of backhand.peers anyway (one port unless backhand.listen says
 * otherwise). With seeds on several ports, nothing is learned.</p>
 *
 * <p>Threads: the resolver thread publishes resolved lists; the announcer calls {@link #destinations} and
 * {@link #sendPeerLists}; the listener calls {@link #heardPeerList}. Lookups never run on the announcer, since
 * a slow DNS server would delay the announcements and make this node look stale.</p>
 */
public final class PeerDirectory implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.net");
    private static final long WARNING_EVERY_NANOS = 60_000_000_000L;

    /** The JDK's resolver: every A and AAAA record of the name, as the JVM's DNS cache holds them. */
    public static final Function<String, List<InetAddress>> SYSTEM_RESOLVER = host ->
    {
        try
        {
            return Arrays.asList(InetAddress.getAllByName(host));
        }
        catch (UnknownHostException e)
        {
            throw new IllegalStateException("'" + host + "' does not resolve", e);
        }
    };

    private final List<InetSocketAddress> entries;
    private final Function<String, List<InetAddress>> resolver;
    private final AcceptStats acceptStats;
    private final PeerDiscovery discovery;
    private final int learnPort;
    private final long introducedLifeNanos;
    private final long freshnessMillis;
    private final PeerListCodec listOut;
    private final PeerListCodec listIn;
    private final boolean signed;
    /** The last good answer per host name; guarded by itself (the starting thread, then the resolver thread). */
    private final Map<String, List<InetAddress>> answers = new LinkedHashMap<>();
    private volatile List<InetSocketAddress> resolved;
    /** Introduced address to when it was last introduced; guarded by itself. */
    private final Map<InetSocketAddress, Long> introduced = new LinkedHashMap<>();
    private ScheduledExecutorService refresher;
    /** Announcer thread only. */
    private long nextListNanos = System.nanoTime();
    private Set<InetSocketAddress> lastListed = Set.of();
    private long lastWarningNanos = System.nanoTime() - WARNING_EVERY_NANOS - 1;

    /**
     * @param forgetAfterNanos how long an introduced address that never announces stays a destination
     * @param freshnessMillis  how far a peer list's send time may be from this node's clock
     * @param resolver         host name to addresses; {@link #SYSTEM_RESOLVER} outside tests
     */
    public PeerDirectory(TransportSettings transport, AcceptStats acceptStats, byte[] secret, long forgetAfterNanos,
                         long freshnessMillis, Function<String, List<InetAddress>> resolver)
    {
        this.entries = transport.peers();
        this.resolver = resolver;
        this.acceptStats = acceptStats;
        this.discovery = transport.discovery();
        this.introducedLifeNanos = forgetAfterNanos;
        this.freshnessMillis = freshnessMillis;
        Set<Integer> ports = new LinkedHashSet<>();
        entries.forEach(e -> ports.add(e.getPort()));
        boolean learning = secret != null && discovery.learnMax() > 0 && ports.size() == 1;
        if (secret != null && discovery.learnMax() > 0 && ports.size() > 1)
            LOG.warn("backhand.peers use several ports {}, so no peer is learned: a learned peer is sent to on the "
                + "seeds' one port", ports);
        this.signed = secret != null;
        this.learnPort = learning ? ports.iterator().next() : 0;
        this.listOut = learning ? new PeerListCodec(secret) : null;
        this.listIn = learning ? new PeerListCodec(secret) : null;
        List<InetSocketAddress> initial = new ArrayList<>();
        for (InetSocketAddress e : entries)
        {
            if (!e.isUnresolved())
                initial.add(e);
        }
        this.resolved = List.copyOf(initial);
    }

    /**
     * One backhand.peers entry, {@code host:port}: a literal address as it is, a host name looked up once now.
     * A name that does not resolve yet is kept, unresolved, with a warning rather than an error: it is looked up
     * again every refresh, and the first node of a Kubernetes headless Service starts before the name lists it.
     * A missing or bad port is an error (IllegalArgumentException).
     */
    public static InetSocketAddress entry(String text)
    {
        Endpoints.HostPort hp = Endpoints.split(text);
        if (hp.port() <= 0)
            throw new IllegalArgumentException("'" + text + "' needs a port, as in host:4445");
        if (Endpoints.isLiteral(hp.host()))
            return new InetSocketAddress(Endpoints.address(hp.host()), hp.port());
        try
        {
            return new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
        }
        catch (UnknownHostException e)
        {
            LOG.warn("backhand.peers: '{}' does not resolve yet; it is looked up again every backhand.peersRefresh", hp.host());
            return InetSocketAddress.createUnresolved(hp.host(), hp.port());
        }
    }

    /** Whether peers are learned from the cluster view and from peer lists (a secret, one port, learnMax > 0). */
    public boolean learns()
    {
        return learnPort > 0;
    }

    /**
     * Resolves every entry now, then again every refresh on a thread of its own while any entry is a name.
     * The first lookup runs on the caller, so that the first announcement already reaches every address.
     */
    public synchronized void start(String nodeName)
    {
        refresh();
        if (!entries.isEmpty())
            LOG.info("backhand.peers: host names looked up every {} ms; {}", discovery.refresh().toMillis(),
                learns() ? "up to " + discovery.learnMax() + " more peers learned on port " + learnPort
                    : signed && discovery.learnMax() > 0 ? "no peer learned (the peers use several ports)"
                    : signed ? "no peer learned (backhand.learnPeers is 0)" : "no peer learned (no backhand.secret)");
        if (refresher != null || entries.stream().noneMatch(PeerDirectory::isName))
            return;
        refresher = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, "backhand-resolver-" + nodeName);
            t.setDaemon(true);
            return t;
        });
        long every = discovery.refresh().toNanos();
        refresher.scheduleWithFixedDelay(this::refreshSafely, every, every, TimeUnit.NANOSECONDS);
    }

    private static boolean isName(InetSocketAddress entry)
    {
        return entry.isUnresolved() || !Endpoints.isLiteral(entry.getHostString());
    }

    private void refreshSafely()
    {
        try
        {
            refresh();
        }
        catch (RuntimeException e)
        {
            // The executor would drop the task for good: one odd answer must not freeze the peers.
            LOG.warn("Resolving backhand.peers failed", e);
        }
    }

    /**
     * Resolves every name again and publishes the result; returns it. Locks only the answers, so that closing
     * the node never waits for a slow DNS server.
     */
    public List<InetSocketAddress> refresh()
    {
        synchronized (answers)
        {
            return refreshLocked();
        }
    }

    private List<InetSocketAddress> refreshLocked()
    {
        Set<InetSocketAddress> out = new LinkedHashSet<>();
        for (InetSocketAddress e : entries)
        {
            if (!isName(e))
            {
                out.add(e);
                continue;
            }
            String host = e.getHostString();
            List<InetAddress> answer;
            try
            {
                answer = List.copyOf(resolver.apply(host));
                answers.put(host, answer);
            }
            catch (RuntimeException failure)
            {
                answer = answers.get(host);
                if (answer == null)
                    answer = e.isUnresolved() ? List.of() : List.of(e.getAddress());
                warn("Could not resolve {} ({}); sending to its last known addresses {}", host, failure.getMessage(), answer);
            }
            for (InetAddress a : answer)
                out.add(new InetSocketAddress(a, e.getPort()));
        }
        List<InetSocketAddress> now = List.copyOf(out);
        if (!now.equals(resolved))
            LOG.info("backhand.peers now resolve to {}", now);
        resolved = now;
        return now;
    }

    private void warn(String format, Object... args)
    {
        long now = System.nanoTime();
        if (now - lastWarningNanos > WARNING_EVERY_NANOS)
        {
            lastWarningNanos = now;
            LOG.warn(format + " (logged at most once a minute)", args);
        }
        else
        {
            LOG.debug(format, args);
        }
    }

    /** The addresses the entries resolved to at the last refresh. */
    public List<InetSocketAddress> resolved()
    {
        return resolved;
    }

    /**
     * Every address to announce to now: the resolved ones, then (when learning) the peers of {@code view}
     * and the addresses introduced by peer lists, at most learnMax of these, each address once.
     */
    public List<InetSocketAddress> destinations(ClusterView view, long nowNanos)
    {
        Set<InetSocketAddress> out = new LinkedHashSet<>(resolved);
        if (learnPort > 0)
        {
            int room = discovery.learnMax();
            for (InetSocketAddress a : learnedFrom(view))
            {
                if (room == 0)
                    break;
                if (out.add(a))
                    room--;
            }
            synchronized (introduced)
            {
                for (Iterator<Map.Entry<InetSocketAddress, Long>> it = introduced.entrySet().iterator(); it.hasNext(); )
                {
                    Map.Entry<InetSocketAddress, Long> e = it.next();
                    if (nowNanos - e.getValue() > introducedLifeNanos)
                        it.remove();
                    else if (room > 0 && out.add(e.getKey()))
                        room--;
                }
            }
        }
        return List.copyOf(out);
    }

    /** The peers of the view that may be learned, at the seeds' port, in the view's order (by name). */
    private List<InetSocketAddress> learnedFrom(ClusterView view)
    {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Member m : view.members())
        {
            InetAddress a = m.contact().getAddress();
            if (!m.isSelf() && learnable(a))
                out.add(new InetSocketAddress(a, learnPort));
        }
        return out;
    }

    /**
     * Only addresses this node would believe an announcement from, and only ones a unicast datagram can go
     * to: a trusted node that names 10.255.255.1 or a multicast group still gets no traffic sent there.
     */
    boolean learnable(InetAddress a)
    {
        if (a == null || a.isMulticastAddress() || a.isAnyLocalAddress() || !acceptStats.accepts(a))
            return false;
        byte[] b = a.getAddress();
        return !(b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xFF);
    }

    /**
     * Sends this node's peer list to every destination every refresh, and at once when the peers it hears have
     * changed, so that a node that joined through one seed is known to all within an announce interval or so.
     * Each destination gets the list without its own address. Announcer thread only.
     */
    public void sendPeerLists(ClusterView view, List<InetSocketAddress> destinations, long nowNanos, long nowMillis,
                              BiConsumer<InetSocketAddress, byte[]> send)
    {
        if (learnPort == 0)
            return;
        Set<InetSocketAddress> listed = new LinkedHashSet<>(learnedFrom(view));
        if (listed.size() > discovery.learnMax())
            listed = new LinkedHashSet<>(new ArrayList<>(listed).subList(0, discovery.learnMax()));
        if (nowNanos - nextListNanos < 0 && listed.equals(lastListed))
            return;
        lastListed = listed;
        nextListNanos = nowNanos + discovery.refresh().toNanos();
        if (listed.isEmpty())
            return;
        for (InetSocketAddress to : destinations)
        {
            List<InetSocketAddress> others = new ArrayList<>(listed);
            others.remove(to);
            for (byte[] packet : listOut.encode(others, nowMillis))
                send.accept(to, packet);
        }
    }

    /**
     * Takes in a peer list from a source inside AcceptStats. Returns null when it was taken in or ignored, else
     * why it was dropped. A node without a secret drops every list as signed when it should not be (the two
     * configurations disagree); a node with a secret that does not learn ignores lists. Listener thread only.
     */
    public DropReason heardPeerList(byte[] packet, int length, long nowNanos, long nowMillis)
    {
        if (listIn == null)
            return signed ? null : DropReason.UNEXPECTED_SIGNATURE;
        PeerListCodec.Decoded d = listIn.decode(packet, length, nowMillis, freshnessMillis);
        if (!d.ok())
            return d.drop();
        synchronized (introduced)
        {
            for (InetSocketAddress a : d.peers())
            {
                if (!learnable(a.getAddress()))
                    continue;
                if (introduced.containsKey(a) || introduced.size() < discovery.learnMax())
                    introduced.put(a, nowNanos);
            }
        }
        return null;
    }

    @Override
    public synchronized void close()
    {
        if (refresher != null)
            refresher.shutdownNow();
    }
}
