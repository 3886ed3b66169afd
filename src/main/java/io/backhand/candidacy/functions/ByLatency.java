package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.Member;

/**
 * {@code byLatency}: cheapest first by the response time this node itself observed, as a peak EWMA (Finagle's
 * balancer) multiplied by one plus the requests it has in flight there. Unlike announced figures it needs no
 * announcement to react: a server that slows down is avoided within a request or two. A server not yet
 * measured costs nothing, so that it gets tried.
 */
public final class ByLatency implements CandidacyFunction
{
    public static ByLatency create(Arguments a) throws ChainException
    {
        a.atMost(0, "byLatency");
        return new ByLatency();
    }

    static double cost(Member m)
    {
        return m.ledger().ewma().nanos() * (m.ledger().inFlight() + 1);
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double[] keys = c.keys();
        for (int i = 0; i < c.size(); i++)
            keys[i] = cost(c.get(i));
        c.sortByKeys();
    }
}
