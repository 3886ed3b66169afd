package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.Member;

/**
 * Lowest figure first, with an optional bias taken off this node's figure so that the node that received the
 * request keeps it unless another is clearly better: the rule byLoad and byBusyChildren share, each with its
 * own figure and its own range for the bias.
 */
abstract class BiasedOrder implements CandidacyFunction
{
    private final double bias;

    BiasedOrder(double bias)
    {
        this.bias = bias;
    }

    /** The directive's one optional argument, the bias: 0 when absent, at most {@code max}. */
    static double bias(Arguments a, String usage, double max, String what) throws ChainException
    {
        a.atMost(1, usage);
        return a.number(0, 0, 0, max, what);
    }

    /** The figure to order by; lower is better. */
    abstract double figure(Member m, DecisionContext ctx);

    @Override
    public final void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double[] keys = c.keys();
        for (int i = 0; i < c.size(); i++)
        {
            Member m = c.get(i);
            keys[i] = figure(m, ctx) - (m.isSelf() ? bias : 0);
        }
        c.sortByKeys();
    }
}
