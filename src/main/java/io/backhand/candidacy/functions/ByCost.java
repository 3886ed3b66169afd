package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.Member;

/**
 * {@code byCost}: the opportunity-cost model of Amir, Awerbuch, Barak, Borgstrom and Keren, as mod_backhand
 * used it. Each resource costs {@code n^u}, where {@code u} is its utilisation (speed-normalised load over the
 * cluster's high-water mark for CPU, memory in use over total memory) and {@code n} the number of servers.
 * The costs are summed; cheapest first. Exponential cost makes a nearly full resource very expensive, which
 * is what keeps a server out of swap.
 */
public final class ByCost implements CandidacyFunction
{
    public static ByCost create(Arguments a) throws ChainException
    {
        a.atMost(0, "byCost");
        return new ByCost();
    }

    static double cost(Member m, DecisionContext ctx)
    {
        double n = Math.max(2, ctx.view().size());
        double hwm = Math.max(1, ctx.view().loadHighWater1000() / 1000.0);
        double cpu = Math.min(1, ctx.normalisedLoad(m) / hwm);
        long total = m.stats().memTotalBytes();
        double mem = total <= 0 ? 0 : Math.min(1, (double) (total - m.stats().memFreeBytes()) / total);
        return Math.pow(n, cpu) + Math.pow(n, mem);
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double[] keys = c.keys();
        for (int i = 0; i < c.size(); i++)
            keys[i] = cost(c.get(i), ctx);
        c.sortByKeys();
    }
}
