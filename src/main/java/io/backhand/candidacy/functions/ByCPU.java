package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.Member;

/**
 * {@code byCPU}: most idle CPU first. With interpreted figures, each request sent since the announcement
 * is assumed to keep one CPU busy, so a burst does not all go to the box that was idle a second ago.
 */
public final class ByCPU implements CandidacyFunction
{
    public static ByCPU create(Arguments a) throws ChainException
    {
        a.atMost(0, "byCPU");
        return new ByCPU();
    }

    static double idle(Member m, DecisionContext ctx)
    {
        double idle = m.stats().cpuIdle1000() / 1000.0;
        if (ctx.interpreted())
            idle -= (double) m.ledger().sentSinceAnnouncement() / Math.max(1, m.stats().cpuCount());
        return Math.max(0, idle);
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double[] keys = c.keys();
        for (int i = 0; i < c.size(); i++)
            keys[i] = -idle(c.get(i), ctx);
        c.sortByKeys();
    }
}
