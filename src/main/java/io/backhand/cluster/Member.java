package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;

/**
 * One server as this node sees it at one instant: its newest announcement, where and when it was heard,
 * and this node's own ledger of traffic to it. Immutable except for the shared ledger.
 */
public final class Member
{
    private final ServerStats stats;
    private final InetSocketAddress contact;
    private final InetAddress source;
    private final long heardAtNanos;
    private final boolean self;
    private final PeerLedger ledger;
    /** Built on first use: a member lives for one announcement, and the proxy asks for it on every request. */
    private URI origin;

    public Member(ServerStats stats, InetSocketAddress contact, InetAddress source, long heardAtNanos, boolean self,
                  PeerLedger ledger)
    {
        this.stats = stats;
        this.contact = contact;
        this.source = source;
        this.heardAtNanos = heardAtNanos;
        this.self = self;
        this.ledger = ledger;
    }

    public ServerStats stats()
    {
        return stats;
    }

    public String name()
    {
        return stats.name();
    }

    /** Where requests for this server go. */
    public InetSocketAddress contact()
    {
        return contact;
    }

    /**
     * The URL origin requests for this server go to: {@code http://host:port}, or {@code https://} when it
     * announces that its contact port speaks TLS; an IPv6 address in brackets, without a zone.
     */
    public URI origin()
    {
        URI o = origin;
        if (o == null)
            origin = o = URI.create((stats.secure() ? "https://" : "http://")
                + Endpoints.format(contact.getAddress(), contact.getPort()));
        return o;
    }

    /** The address its announcement came from; null for this node itself. */
    public InetAddress source()
    {
        return source;
    }

    public long heardAtNanos()
    {
        return heardAtNanos;
    }

    /** Seconds since this server was last heard from; always 0 for this node, which is never stale. */
    public double ageSeconds(long nowNanos)
    {
        return self ? 0 : Math.max(0, nowNanos - heardAtNanos) / 1e9;
    }

    public boolean isSelf()
    {
        return self;
    }

    public PeerLedger ledger()
    {
        return ledger;
    }

    public NodeState state()
    {
        return stats.state();
    }

    /**
     * Busy workers as this node should believe them now: the announced figure, less the requests of this node
     * that were running there when it was announced, plus this node's requests running there now. The other
     * senders' share is taken from the announcement (the best this node can know of it); its own share is
     * known exactly and fresh. A burst therefore does not all land on the server that looked idle a second ago,
     * and requests this node sent that have ended since are not counted for a whole interval. With one balancer
     * this is its own exact count, as least-connections balancers keep.
     */
    public int interpretedBusy()
    {
        return Math.max(0, stats.busyWorkers() - ledger.inFlightAtAnnouncement()) + ledger.inFlight();
    }

    /**
     * Load average as announced, raised by the requests sent since: each running request adds one runnable
     * task, spread over the server's CPUs.
     */
    public double interpretedLoad()
    {
        return stats.load() + (double) ledger.sentSinceAnnouncement() / Math.max(1, stats.cpuCount());
    }

    @Override
    public String toString()
    {
        return stats.name() + "@" + Endpoints.format(contact.getAddress(), contact.getPort()) + (self ? " (self)" : "");
    }
}
