package io.backhand.candidacy.functions;

import java.util.List;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;

/**
 * {@code byExtrapolatedDelay [fade]}: shortest expected delay first, as {@code byExpectedDelay}, except that the
 * other senders are not taken to stand still between announcements: they are taken to do what this node does.
 * Across the view, the announced busy workers over this node's requests running there when they were announced
 * say how many senders' worth of traffic there is ({@code k}, at least 1, and 1 when this node had none running).
 * A server's busy count is {@code k} times this node's requests running there now, plus what its announcement
 * said beyond {@code k} times this node's requests then (load from direct clients, an uneven split), that last
 * part fading by a factor e every {@code fade} seconds of the announcement's age when a fade is given; never less
 * than this node's own. The cost is {@code latency x (busy / k + 1) / workers}: the queue in this node's units
 * plus the request, which is one of {@code k} placed at about the same moment. A server that looked idle when it
 * announced thus fills up, in every balancer's view, as fast as all of them together fill it, and balancers
 * sharing one stale announcement do not all crowd it; with one sender and no fade the order is
 * {@code byExpectedDelay}'s.
 */
public final class ByExtrapolatedDelay implements CandidacyFunction
{
    /** Nanoseconds over which the announcement's word on the other senders fades; infinite: it does not. */
    private final double fadeNanos;

    public ByExtrapolatedDelay(double fadeSeconds)
    {
        this.fadeNanos = fadeSeconds * 1e9;
    }

    public static ByExtrapolatedDelay create(Arguments a) throws ChainException
    {
        a.atMost(1, "byExtrapolatedDelay [fade]");
        return new ByExtrapolatedDelay(a.number(0, Double.POSITIVE_INFINITY, 0.001, 86400,
            "the seconds over which an announcement's word on the other senders fades"));
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double prior = MeasuredLatency.observe(c, ctx, false);
        double senders = ctx.interpreted() ? senders(ctx.view()) : 0;
        double[] keys = c.keys();
        int maxArriba = Math.max(1, ctx.view().maxArriba());
        for (int i = 0; i < c.size(); i++)
        {
            Member m = c.get(i);
            double latency = keys[i] > 0 ? keys[i] : prior * maxArriba / Math.max(1, m.stats().arriba());
            // In this node's own units: its share of the queue, plus the request being placed.
            double share = senders > 0 ? busy(m, senders, weight(m, ctx)) / senders : ctx.busy(m);
            keys[i] = latency * (share + 1) / Math.max(1, m.stats().totalWorkers());
        }
        c.sortByKeys();
    }

    /**
     * How many senders' worth of requests the peers are running, as this node's share of them says: announced busy
     * workers over this node's requests that were running there when announced. 1 when this node had none there.
     */
    static double senders(ClusterView view)
    {
        List<Member> members = view.members();
        long announced = 0;
        long own = 0;
        for (int i = 0; i < members.size(); i++)
        {
            Member m = members.get(i);
            if (m.isSelf())
                continue;
            announced += m.stats().busyWorkers();
            own += m.ledger().inFlightAtAnnouncement();
        }
        return own == 0 ? 1 : Math.max(1, (double) announced / own);
    }

    private double weight(Member m, DecisionContext ctx)
    {
        return fadeNanos == Double.POSITIVE_INFINITY ? 1 : Math.exp(-Math.max(0, ctx.nowNanos() - m.heardAtNanos()) / fadeNanos);
    }

    /** The announced busy count, moved by {@code senders} times what this node's own count moved since. */
    static double busy(Member m, double senders)
    {
        return busy(m, senders, 1);
    }

    /**
     * {@code senders} times this node's own count now, plus what the announcement said beyond {@code senders} times
     * this node's own count then, weighted by {@code weight}: with weight 1, the announced busy count moved by
     * {@code senders} times what this node's own count moved since.
     */
    static double busy(Member m, double senders, double weight)
    {
        PeerLedger l = m.ledger();
        int now = l.inFlight();
        return Math.max(now, senders * now + weight * (m.stats().busyWorkers() - senders * l.inFlightAtAnnouncement()));
    }
}
