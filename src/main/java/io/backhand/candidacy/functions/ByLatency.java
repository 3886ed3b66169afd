package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.Member;

/**
 * {@code byLatency}: cheapest first, where a server's cost is the response time this node itself observed
 * there, as a peak EWMA (Finagle's balancer: a slower response takes over at once, faster ones blend in over
 * ten seconds, and the estimate decays while the server gets no traffic), multiplied by one plus the requests
 * this node has in flight there. It needs no announcement to react: a server that slows down is avoided
 * within a request or two, and the in-flight factor spreads a burst the way the interpreted figures do.
 *
 * <p>A server not yet measured is priced a hair below the best measured one (or at 1 ns when none is): it is
 * tried next, even when requests come one at a time, but once a request is in flight there the in-flight
 * factor doubles its price, so it does not receive every request until its first answer comes back.</p>
 */
public final class ByLatency implements CandidacyFunction
{
    public static ByLatency create(Arguments a) throws ChainException
    {
        a.atMost(0, "byLatency");
        return new ByLatency();
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double prior = MeasuredLatency.observe(c, ctx, true);
        double[] keys = c.keys();
        for (int i = 0; i < c.size(); i++)
        {
            Member m = c.get(i);
            double e = keys[i] > 0 ? keys[i] : prior;
            keys[i] = e * (m.ledger().inFlight() + 1);
        }
        c.sortByKeys();
    }
}
