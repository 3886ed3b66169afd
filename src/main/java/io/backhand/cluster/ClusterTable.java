package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;

/**
 * The mutable table of what this node has heard, owned by the stats plane, and the publisher of the
 * immutable {@link ClusterView} snapshots that the request path reads with one volatile read. Writers are
 * the listener thread and the announcer thread; the lock is never taken on the request path.
 *
 * <p>Members are keyed by node name: a node that restarts (a newer start time) or moves to another contact
 * address replaces its own entry at once. A node that comes back under another name leaves its old entry to
 * age out: stale after byAge's limit, gone after {@code forgetAfter}. Without a secret, "at once" holds only
 * for announcements from the source the name was heard from; see {@link Admission}.</p>
 *
 * <p>Publishing is coalesced: announcements taken in within {@code publishGap} of the last snapshot wait for
 * the next one, so that a thousand members announcing once a second cost tens of snapshots a second rather
 * than a thousand. A member's in-flight correction restarts when the snapshot showing its new announcement
 * is published, never before, so the request path always adds the requests sent since the figures it sees.</p>
 */
public final class ClusterTable
{
    /** What became of an offered announcement. */
    public enum Offer
    {
        ACCEPTED, OWN, NAME_CLASH, LEFT, REPLAYED, FULL, CONTACT_OUTSIDE, NAME_HELD, NEW_NAMES_LIMITED
    }

    /** Far beyond any real cluster (mod_backhand allowed 256); it bounds what a flood of new names can cost. */
    static final int MAX_PEERS = 10_000;
    private static final int MAX_REMEMBERED = 2 * MAX_PEERS;

    private record Seen(long startedAtMillis, long sequence, long acceptedAtNanos)
    {
    }

    private final String selfName;
    private final long selfStartedAtMillis;
    private final long forgetAfterNanos;
    /**
     * How long the newest (incarnation, sequence) of a name is binding. Without a secret, until the member
     * is forgotten: ordering is all it protects, and a node restarted with its clock set back must not be
     * shut out for good. With a secret, also twice the freshness window: by then any recorded datagram is
     * too old to pass the freshness check, whatever the two clocks said.
     */
    private final long seenExpiryNanos;
    private final long freshnessMillis;
    private final long publishGapNanos;
    private final String loneReason;
    private final Admission admission;
    private final PeerLedger selfLedger = new PeerLedger();
    /** Sorted by name, so that a snapshot is one pass with no sort. */
    private final TreeMap<String, Member> peers = new TreeMap<>();
    /**
     * Highest (incarnation, sequence) accepted per name, kept after a peer is forgotten so that old packets
     * stay old, until {@link #seenExpiryNanos} after it was accepted.
     */
    private final Map<String, Seen> seen = new LinkedHashMap<>(16, 0.75f, true)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest)
        {
            return size() > MAX_REMEMBERED;
        }
    };
    /** Members whose announcement is taken in but not yet published. */
    private final List<Member> arrived = new ArrayList<>();
    private final LoadHighWater highWater = new LoadHighWater();
    private Member self;
    private boolean dirty = true;
    private long lastPublishNanos;
    private volatile ClusterView view;

    /**
     * @param forgetAfterNanos how long a silent peer stays in the view (marked stale) before it is dropped
     * @param freshnessMillis  with a secret, announcements whose send time is further than this from our
     *                         clock are replays; 0 disables the check (no secret)
     * @param publishGapNanos  the shortest time between two snapshots made because announcements arrived
     * @param loneReason       shown when no peer can ever be accepted, or null
     */
    public ClusterTable(ServerStats selfStats, InetSocketAddress selfContact, long forgetAfterNanos,
                        long freshnessMillis, long publishGapNanos, String loneReason, long nowNanos)
    {
        this(selfStats, selfContact, forgetAfterNanos, freshnessMillis, publishGapNanos, loneReason, Admission.OPEN,
            nowNanos);
    }

    /** @param admission what an announcement must satisfy beyond order and freshness to make a member */
    public ClusterTable(ServerStats selfStats, InetSocketAddress selfContact, long forgetAfterNanos,
                        long freshnessMillis, long publishGapNanos, String loneReason, Admission admission,
                        long nowNanos)
    {
        this.admission = admission;
        this.selfName = selfStats.name();
        this.selfStartedAtMillis = selfStats.startedAtMillis();
        this.forgetAfterNanos = forgetAfterNanos;
        this.seenExpiryNanos = forgetAfterNanos + 2 * freshnessMillis * 1_000_000L;
        this.freshnessMillis = freshnessMillis;
        this.publishGapNanos = publishGapNanos;
        this.loneReason = loneReason;
        this.self = new Member(selfStats, selfContact, null, nowNanos, true, selfLedger);
        this.view = build(nowNanos);
        this.lastPublishNanos = nowNanos - publishGapNanos;
    }

    public ClusterView view()
    {
        return view;
    }

    public PeerLedger selfLedger()
    {
        return selfLedger;
    }

    /** The load high-water mark this node has observed itself: what it announces. */
    public synchronized int ownHighWater1000(long nowNanos)
    {
        return highWater.mark1000(nowNanos);
    }

    /** Takes in one decoded announcement from {@code source}; call {@link #publish} after a batch. */
    public synchronized Offer offer(ServerStats s, InetAddress source, long nowNanos, long nowMillis)
    {
        if (s.name().equals(selfName))
            return s.startedAtMillis() == selfStartedAtMillis ? Offer.OWN : Offer.NAME_CLASH;
        Seen last = seen.get(s.name());
        if (last != null && nowNanos - last.acceptedAtNanos() > seenExpiryNanos)
            last = null;
        if (last != null && (s.startedAtMillis() < last.startedAtMillis()
            || (s.startedAtMillis() == last.startedAtMillis() && s.sequence() <= last.sequence())))
            return Offer.REPLAYED;
        if (freshnessMillis > 0 && Math.abs(s.sentAtMillis() - nowMillis) > freshnessMillis)
            return Offer.REPLAYED;
        InetAddress contactAddress = s.contactAddress() != null ? s.contactAddress() : source;
        if (admission.memberAddresses() != null && !admission.memberAddresses().accepts(contactAddress))
            return Offer.CONTACT_OUTSIDE;
        Member old = peers.get(s.name());
        // A newer start time or sequence is no proof of identity without a signature: only the source the name
        // was heard from may speak for it, until it falls silent (a restart elsewhere waits that long).
        if (old != null && admission.holdNamesNanos() > 0 && !source.equals(old.source())
            && nowNanos - old.heardAtNanos() <= admission.holdNamesNanos())
            return Offer.NAME_HELD;
        if (old == null && s.state() != NodeState.LEAVING && peers.size() >= MAX_PEERS)
            return Offer.FULL;
        if (old == null && s.state() != NodeState.LEAVING && admission.newNames() != null
            && !admission.newNames().take(source, nowNanos))
            return Offer.NEW_NAMES_LIMITED;
        seen.put(s.name(), new Seen(s.startedAtMillis(), s.sequence(), nowNanos));
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
        InetSocketAddress contact = new InetSocketAddress(contactAddress, s.contactPort());
        Member m = new Member(s, contact, source, nowNanos, false, old != null ? old.ledger() : new PeerLedger());
        peers.put(s.name(), m);
        arrived.add(m);
        return Offer.ACCEPTED;
    }

    /** This node's own newest figures; self is never heard over the network and never stale. */
    public synchronized void updateSelf(ServerStats s, InetSocketAddress contact, long nowNanos)
    {
        self = new Member(s, contact, null, nowNanos, true, selfLedger);
        arrived.add(self);
        dirty = true;
    }

    /**
     * Publishes a new snapshot if something changed and the last one is at least {@code publishGap} old;
     * otherwise leaves the work for a later call (see {@link #nanosUntilDue}).
     */
    public synchronized ClusterView publish(long nowNanos)
    {
        if (nowNanos - lastPublishNanos < publishGapNanos)
            return view;
        return publishNow(nowNanos);
    }

    /** Forgets silent peers and, if anything changed, publishes a new snapshot now. */
    public synchronized ClusterView publishNow(long nowNanos)
    {
        lastPublishNanos = nowNanos;
        for (Iterator<Member> it = peers.values().iterator(); it.hasNext(); )
        {
            if (nowNanos - it.next().heardAtNanos() > forgetAfterNanos)
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

    /** -1 when nothing waits to be published, else how long until {@link #publish} will publish it. */
    public synchronized long nanosUntilDue(long nowNanos)
    {
        if (!dirty)
            return -1;
        return Math.max(0, publishGapNanos - (nowNanos - lastPublishNanos));
    }

    private ClusterView build(long nowNanos)
    {
        for (Member m : arrived)
            m.ledger().announcementArrived(m.heardAtNanos());
        arrived.clear();
        Member[] members = new Member[peers.size() + 1];
        int n = 0;
        boolean selfPlaced = false;
        int maxArriba = self.stats().arriba();
        int announcedMark = 0;
        for (Member m : peers.values())
        {
            if (!selfPlaced && m.name().compareTo(selfName) > 0)
            {
                members[n++] = self;
                selfPlaced = true;
            }
            members[n++] = m;
            maxArriba = Math.max(maxArriba, m.stats().arriba());
            announcedMark = Math.max(announcedMark, m.stats().loadHighWater1000());
        }
        if (!selfPlaced)
            members[n] = self;
        maxArriba = Math.max(1, maxArriba);
        for (Member m : members)
            highWater.observe(LoadHighWater.normalise(m.stats().load1000(), m.stats().arriba(), maxArriba), nowNanos);
        int mark = Math.max(highWater.mark1000(nowNanos), announcedMark);
        return new ClusterView(Arrays.asList(members), self, nowNanos, maxArriba, mark,
            peers.isEmpty() ? loneReason : null);
    }
}
