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
 * {@code byExtrapolatedDelay}: shortest expected delay first, {@code latency x (busy + 1) / workers} as in
 * {@code byExpectedDelay}, except that the other senders are not taken to stand still between announcements: they
 * are taken to do what this node does. Across the view, the announced busy workers over this node's requests
 * running there when they were announced say how many senders' worth of traffic there is ({@code k}, at least 1);
 * each server's busy count is then its announced figure plus {@code k} times the change in this node's requests
 * running there since, and never less than those. A server that looked idle when it announced fills up, in every
 * balancer's view, as fast as all of them together fill it, so balancers sharing one stale announcement do not
 * all crowd it; with one sender, {@code k} is 1 and the figure is the interpreted busy count.
 */
public final class ByExtrapolatedDelay implements CandidacyFunction
{
    public static ByExtrapolatedDelay create(Arguments a) throws ChainException
    {
        a.atMost(0, "byExtrapolatedDelay");
        return new ByExtrapolatedDelay();
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
            double share = senders > 0 ? busy(m, senders) / senders : ctx.busy(m);
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

    /** The announced busy count, moved by {@code senders} times what this node's own count moved since. */
    static double busy(Member m, double senders)
    {
        PeerLedger l = m.ledger();
        int now = l.inFlight();
        return Math.max(now, m.stats().busyWorkers() + senders * (now - l.inFlightAtAnnouncement()));
    }
}
