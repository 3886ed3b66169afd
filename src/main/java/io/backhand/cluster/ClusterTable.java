package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;

/**
 * The mutable table of what this node has heard, owned by the stats plane, and the publisher of the
 * immutable {@link ClusterView} snapshots that the request path reads. Writers are the listener thread and
 * the announcer thread; the lock is never taken on the request path.
 */
public final class ClusterTable
{
    /** What became of an offered announcement. */
    public enum Offer
    {
        ACCEPTED, OWN, LEFT, REPLAYED
    }

    private static final int MAX_REMEMBERED = 10_000;

    private record Entry(ServerStats stats, InetSocketAddress contact, InetAddress source, long heardAtNanos,
                         PeerLedger ledger)
    {
    }

    private record Seen(long startedAtMillis, long sequence)
    {
    }

    private final String selfName;
    private final long forgetAfterNanos;
    private final long freshnessMillis;
    private final String loneReason;
    private final PeerLedger selfLedger = new PeerLedger();
    private final Map<String, Entry> peers = new HashMap<>();
    /** Highest (incarnation, sequence) seen per name, kept after a peer is forgotten so old packets stay old. */
    private final Map<String, Seen> seen = new LinkedHashMap<>(16, 0.75f, true)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest)
        {
            return size() > MAX_REMEMBERED;
        }
    };
    private Member self;
    private int highWater1000 = 1000;
    private boolean dirty = true;
    private volatile ClusterView view;

    /**
     * @param forgetAfterNanos how long a silent peer stays in the view (marked stale) before it is dropped
     * @param freshnessMillis  with a secret, announcements whose send time is further than this from our
     *                         clock are replays; 0 disables the check (no secret)
     * @param loneReason       shown when no peer can ever be accepted, or null
     */
    public ClusterTable(ServerStats selfStats, InetSocketAddress selfContact, long forgetAfterNanos,
                        long freshnessMillis, String loneReason, long nowNanos)
    {
        this.selfName = selfStats.name();
        this.forgetAfterNanos = forgetAfterNanos;
        this.freshnessMillis = freshnessMillis;
        this.loneReason = loneReason;
        this.self = new Member(selfStats, selfContact, null, nowNanos, true, selfLedger);
        this.view = build(nowNanos);
    }

    public ClusterView view()
    {
        return view;
    }

    public PeerLedger selfLedger()
    {
        return selfLedger;
    }

    public synchronized int highWater1000()
    {
        return highWater1000;
    }

    /** Takes in one decoded announcement from {@code source}; call {@link #publish} after a batch. */
    public synchronized Offer offer(ServerStats s, InetAddress source, long nowNanos, long nowMillis)
    {
        if (s.name().equals(selfName))
            return Offer.OWN;
        Seen last = seen.get(s.name());
        if (last != null && (s.startedAtMillis() < last.startedAtMillis()
            || (s.startedAtMillis() == last.startedAtMillis() && s.sequence() <= last.sequence())))
            return Offer.REPLAYED;
        if (freshnessMillis > 0 && Math.abs(s.sentAtMillis() - nowMillis) > freshnessMillis)
            return Offer.REPLAYED;
        seen.put(s.name(), new Seen(s.startedAtMillis(), s.sequence()));
        Entry old = peers.get(s.name());
        dirty = true;
        if (s.state() == NodeState.LEAVING)
        {
            if (old != null)
            {
                old.ledger().markDown(nowNanos);
                peers.remove(s.name());
            }
            return Offer.LEFT;
        }
        InetSocketAddress contact = new InetSocketAddress(s.contactAddress() != null ? s.contactAddress() : source,
            s.contactPort());
        PeerLedger ledger = old != null ? old.ledger() : new PeerLedger();
        ledger.announcementArrived(nowNanos);
        peers.put(s.name(), new Entry(s, contact, source, nowNanos, ledger));
        highWater1000 = Math.max(highWater1000, s.loadHighWater1000());
        return Offer.ACCEPTED;
    }

    /** This node's own newest figures; self is never heard over the network and never stale. */
    public synchronized void updateSelf(ServerStats s, InetSocketAddress contact, long nowNanos)
    {
        selfLedger.announcementArrived(nowNanos);
        self = new Member(s, contact, null, nowNanos, true, selfLedger);
        dirty = true;
    }

    /** Forgets silent peers and, if anything changed, publishes a new snapshot. */
    public synchronized ClusterView publish(long nowNanos)
    {
        for (Iterator<Entry> it = peers.values().iterator(); it.hasNext(); )
        {
            Entry e = it.next();
            if (nowNanos - e.heardAtNanos() > forgetAfterNanos)
            {
                it.remove();
                dirty = true;
            }
        }
        if (dirty)
        {
            view = build(nowNanos);
            dirty = false;
        }
        return view;
    }

    private ClusterView build(long nowNanos)
    {
        List<Member> members = new ArrayList<>(peers.size() + 1);
        members.add(self);
        for (Entry e : peers.values())
            members.add(new Member(e.stats(), e.contact(), e.source(), e.heardAtNanos(), false, e.ledger()));
        members.sort(Comparator.comparing(Member::name));
        int maxArriba = 1;
        for (Member m : members)
            maxArriba = Math.max(maxArriba, m.stats().arriba());
        for (Member m : members)
        {
            double normalised = m.stats().load() * maxArriba / Math.max(1, m.stats().arriba());
            highWater1000 = Math.max(highWater1000, powerOfTwoAtLeast(normalised) * 1000);
        }
        return new ClusterView(members, self, nowNanos, maxArriba, highWater1000, peers.isEmpty() ? loneReason : null);
    }

    /** mod_backhand rounds the high-water mark up to a power of two, so it moves rarely and in big steps. */
    static int powerOfTwoAtLeast(double load)
    {
        int p = 1;
        while (p < load && p < (1 << 20))
            p <<= 1;
        return p;
    }
}
