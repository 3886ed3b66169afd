package io.backhand.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.backhand.stats.LocalSampler;
import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stats plane of one node: samples itself and announces every interval, listens for peers, and
 * publishes {@link ClusterView} snapshots. It owns two threads (announcer and listener) and their sockets,
 * from {@link #start()} to {@link #close()}.
 */
public final class StatsService implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.net");
    private static final long MAX_PUBLISH_GAP_NANOS = 20_000_000L;
    /** Datagrams read from one socket before the listener looks at the others and at publishing again. */
    private static final int MAX_BATCH = 256;
    /** A member that missed this many announcements is stale, as the status page shows it. */
    static final int STALE_AFTER_ANNOUNCEMENTS = 3;

    private final StatsSettings settings;
    private final LocalSampler sampler;
    private final DropCounters drops = new DropCounters();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<NodeState> state;
    private final ClusterTable table;
    private StatsTransport transport;
    /** where unicast announcements go, re-resolved and learned while the node runs */
    private final Function<String, List<InetAddress>> resolver;
    private PeerDirectory peerDirectory;
    private StatsCodec announceCodec;
    private ScheduledExecutorService announcer;
    private Thread listener;
    private Selector selector;
    private volatile boolean running;

    /**
     * @param state this node's state, shared with the sampler that announces it
     */
    public StatsService(StatsSettings settings, LocalSampler sampler, AtomicReference<NodeState> state)
    {
        this(settings, sampler, state, PeerDirectory.SYSTEM_RESOLVER);
    }

    /** with the host name resolver the peers are looked up with (tests give their own) */
    public StatsService(StatsSettings settings, LocalSampler sampler, AtomicReference<NodeState> state,
                        Function<String, List<InetAddress>> resolver)
    {
        this.resolver = resolver;
        this.settings = settings;
        this.state = state;
        this.sampler = sampler;
        long now = System.nanoTime();
        ServerStats first = sampler.sample(System.currentTimeMillis(), 1000);
        String lone = settings.acceptStats().isEmpty()
            ? "backhand.acceptStats is empty, so no announcement is believed and this node knows only itself"
            : settings.transport().isEmpty() ? "backhand.multicastStats and backhand.peers are empty: nothing is announced or heard" : null;
        long freshness = settings.secret() == null ? 0 : settings.freshness().toMillis();
        Admission admission = Admission.of(settings.memberAddresses(), settings.secret() != null,
            STALE_AFTER_ANNOUNCEMENTS * settings.interval().toNanos());
        this.table = new ClusterTable(first, selfContact(first), settings.forgetAfter().toNanos(), freshness,
            publishGapNanos(settings.interval()), lone, admission, now);
    }

    /**
     * Snapshots follow announcements within 20 ms (a fiftieth of the default interval, far below what a
     * one-second-old figure is worth), or a tenth of a shorter interval.
     */
    static long publishGapNanos(Duration interval)
    {
        return Math.min(MAX_PUBLISH_GAP_NANOS, interval.toNanos() / 10);
    }

    public synchronized void start() throws IOException
    {
        if (running)
            return;
        transport = new StatsTransport(settings.transport());
       
        peerDirectory = new PeerDirectory(settings.transport(), settings.acceptStats(), settings.secret(),
            settings.forgetAfter().toNanos(), settings.freshness().toMillis(), resolver);
        peerDirectory.start(sampler.identity().name());
        announceCodec = new StatsCodec(settings.secret());
        selector = Selector.open();
        for (DatagramChannel ch : transport.receivers())
            ch.register(selector, SelectionKey.OP_READ);
        running = true;
        listener = new Thread(this::listen, "backhand-listener-" + sampler.identity().name());
        listener.setDaemon(true);
        listener.start();
        announcer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, "backhand-announcer-" + sampler.identity().name());
            t.setDaemon(true);
            return t;
        });
        long intervalNanos = settings.interval().toNanos();
        announcer.scheduleAtFixedRate(this::announceSafely, 0, intervalNanos, TimeUnit.NANOSECONDS);
        String exposure = Exposure.warning(settings);
        if (exposure != null)
            LOG.warn(exposure);
        LOG.info("Backhand stats plane of {} started: announcing every {} ms to {} and {} peer(s), listening on {}",
            sampler.identity().name(), settings.interval().toMillis(), settings.transport().destinations().stream()
                .map(Destination::text).toList(), settings.transport().peers().size(), settings.transport().listenPorts());
    }

    public ClusterView view()
    {
        return table.view();
    }

    public ClusterTable table()
    {
        return table;
    }

    /** every address unicast announcements go to now, as the next announcement will see it */
    public List<InetSocketAddress> peerDestinations()
    {
        return peerDirectory == null ? List.of() : peerDirectory.destinations(table.view(), System.nanoTime());
    }

    public DropCounters drops()
    {
        return drops;
    }

    public StatsSettings settings()
    {
        return settings;
    }

    public LocalSampler sampler()
    {
        return sampler;
    }

    public NodeState state()
    {
        return state.get();
    }

    /** Changes this node's announced state and announces it at once rather than at the next tick. */
    public void setState(NodeState newState)
    {
        state.set(newState);
        if (running)
            announcer.execute(this::announceSafely);
    }

    private InetSocketAddress selfContact(ServerStats s)
    {
        InetAddress a = s.contactAddress();
        for (Destination d : settings.transport().destinations())
        {
            if (a == null && d.advertise() != null)
                a = d.advertise();
        }
        return new InetSocketAddress(a != null ? a : InetAddress.getLoopbackAddress(), s.contactPort());
    }

    private void announceSafely()
    {
        try
        {
            announce();
        }
        catch (RuntimeException e)
        {
            // One bad sample must not end the announcements for good (the executor would drop the task).
            LOG.warn("Announcement failed", e);
        }
    }

    private void announce()
    {
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        ServerStats s = sampler.sample(nowMillis, table.ownHighWater1000(nowNanos));
        table.updateSelf(s, selfContact(s), nowNanos);
        table.publishNow(nowNanos);
        if (s.contactPort() == 0)
            return; // the connectors are not started yet: nobody could reach us
        sendEverywhere(s);
    }

    /**
     * One round: every datagram carries the same sequence, so that a copy captured on its way to one receiver
     * and re-sent to another is never newer than the copy that receiver had of its own. Each names its contact
     * address, so that the signature covers where requests will go.
     */
    private void sendEverywhere(ServerStats s)
    {
        ServerStats round = s.toBuilder().sequence(sequence.incrementAndGet()).build();
        var destinations = settings.transport().destinations();
        for (int i = 0; i < destinations.size(); i++)
        {
            Destination d = destinations.get(i);
            ServerStats.Builder b = round.toBuilder();
            if (d.advertise() != null)
                b.contactAddress(d.advertise()).contactPort(d.advertisePort() > 0 ? d.advertisePort() : s.contactPort());
            else if (s.contactAddress() == null)
                b.contactAddress(transport.sourceFor(i));
            transport.send(i, announceCodec.encode(b.build()));
        }
        // The peers as resolved and learned now, not as they were at start.
        long nowNanos = System.nanoTime();
        List<InetSocketAddress> peers = peerDirectory.destinations(table.view(), nowNanos);
        InetAddress lastContact = null;
        byte[] packet = null;
        for (InetSocketAddress peer : peers)
        {
            InetAddress contact = s.contactAddress() != null ? s.contactAddress() : transport.sourceForPeer(peer);
            if (packet == null || !Objects.equals(contact, lastContact))
            {
                packet = announceCodec.encode(round.toBuilder().contactAddress(contact).build());
                lastContact = contact;
            }
            transport.sendToPeer(peer, packet);
        }
        if (s.state() != NodeState.LEAVING)
            peerDirectory.sendPeerLists(table.view(), peers, nowNanos, System.currentTimeMillis(), transport::sendToPeer);
    }

    private void listen()
    {
        StatsCodec codec = new StatsCodec(settings.secret());
        byte[] packet = new byte[65536];
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        while (running)
        {
            try
            {
                long due = table.nanosUntilDue(System.nanoTime());
                // A snapshot that waits for its publish gap decides how long to sleep; select(0) would block.
                selector.select(due < 0 ? 250 : Math.max(1, (due + 999_999) / 1_000_000));
                long nowNanos = System.nanoTime();
                long nowMillis = System.currentTimeMillis();
                for (SelectionKey key : selector.selectedKeys())
                {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    for (int i = 0; i < MAX_BATCH; i++)
                    {
                        buffer.clear();
                        InetSocketAddress from = (InetSocketAddress) ch.receive(buffer);
                        if (from == null)
                            break;
                        if (settings.acceptStats().accepts(from.getAddress()))
                            receiveAccepted(codec, packet, buffer.position(), from.getAddress(), nowNanos, nowMillis);
                        else if (!transport.isOwnEcho(from))
                            drops.drop(DropReason.FOREIGN, from.getAddress());
                        // else: this node hearing its own multicast from outside AcceptStats, no foreign packet
                    }
                }
                selector.selectedKeys().clear();
                table.publish(System.nanoTime());
            }
            catch (ClosedSelectorException e)
            {
                return;
            }
            catch (IOException | RuntimeException e)
            {
                if (running)
                    LOG.warn("Stats listener error; continuing", e);
            }
        }
    }

    /** Handles one datagram; public for tests and benchmarks that feed the decoder without sockets. */
    public void receive(StatsCodec codec, byte[] packet, int length, InetAddress source)
    {
        receive(codec, packet, length, source, System.nanoTime(), System.currentTimeMillis());
    }

    /**
     * Handles one datagram heard at the given instant. The caller publishes afterwards with
     * {@code table().publish(nowNanos)}, as the listener does after each batch.
     */
    public void receive(StatsCodec codec, byte[] packet, int length, InetAddress source, long nowNanos, long nowMillis)
    {
        if (!settings.acceptStats().accepts(source))
        {
            drops.drop(DropReason.FOREIGN, source);
            return;
        }
        receiveAccepted(codec, packet, length, source, nowNanos, nowMillis);
    }

    private void receiveAccepted(StatsCodec codec, byte[] packet, int length, InetAddress source, long nowNanos, long nowMillis)
    {
        if (PeerListCodec.isPeerList(packet, length))
        {
            DropReason dropped = peerDirectory == null ? DropReason.UNEXPECTED_SIGNATURE
                : peerDirectory.heardPeerList(packet, length, nowNanos, nowMillis);
            if (dropped != null)
                drops.drop(dropped, source);
            return;
        }
        StatsCodec.Decoded d = codec.decode(packet, length);
        if (!d.ok())
        {
            drops.drop(d.drop(), source);
            return;
        }
        if (d.signed() && d.stats().contactAddress() == null)
        {
            // The source would be the contact, and the signature does not cover it: a copy re-sent from
            // another address would send requests there.
            drops.drop(DropReason.UNNAMED_CONTACT, source);
            return;
        }
        switch (table.offer(d.stats(), source, nowNanos, nowMillis))
        {
            case REPLAYED -> drops.drop(DropReason.REPLAYED, source);
            case NAME_CLASH -> drops.drop(DropReason.NAME_CLASH, source);
            case FULL -> drops.drop(DropReason.TABLE_FULL, source);
            case CONTACT_OUTSIDE -> drops.drop(DropReason.CONTACT_OUTSIDE, source);
            case NAME_HELD -> drops.drop(DropReason.NAME_HELD, source);
            case NEW_NAMES_LIMITED -> drops.drop(DropReason.NEW_NAMES_LIMITED, source);
            case ACCEPTED, LEFT -> drops.accepted();
            case OWN -> { }
        }
    }

    /**
     * Stops both threads and closes the sockets without a word to the peers: what a crash or a cut cable
     * looks like from the cluster. Peers forget this node only when byAge says it is stale. For tests.
     */
    public synchronized void silence()
    {
        if (!running)
            return;
        stopThreads();
    }

    /** Announces that this node is leaving, so peers drop it at once, then stops both threads. */
    @Override
    public synchronized void close()
    {
        if (!running)
            return;
        try
        {
            announcer.submit(() ->
            {
                ServerStats s = sampler.sample(System.currentTimeMillis(), table.ownHighWater1000(System.nanoTime()));
                if (s.contactPort() != 0)
                    sendEverywhere(s.withState(NodeState.LEAVING));
            }).get(2, TimeUnit.SECONDS);
        }
        catch (Exception e)
        {
            LOG.debug("Could not announce leaving", e);
        }
        stopThreads();
    }

    private void stopThreads()
    {
        running = false;
        announcer.shutdownNow();
        try
        {
            selector.close();
        }
        catch (IOException e)
        {
            LOG.debug("close", e);
        }
        try
        {
            listener.join(2000);
            announcer.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        transport.close();
        peerDirectory.close();
    }
}
