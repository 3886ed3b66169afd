package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;

/**
 * {@code byLoad [bias]}: least loaded first, by load normalised for speed ({@code load * maxArriba / arriba})
 * so that a slow box's load counts for more. {@code bias} (0..1) is taken off this node's load, so the node
 * that received the request keeps it unless another is clearly better.
 */
public final class ByLoad implements CandidacyFunction
{
    private final double bias;

    public ByLoad(double bias)
    {
        this.bias = bias;
    }

    public static ByLoad create(Arguments a) throws ChainException
    {
        a.atMost(1, "byLoad [bias]");
        return new ByLoad(a.number(0, 0, 0, 1, "the bias in favour of this node"));
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double[] keys = c.keys();
        for (int i = 0; i < c.size(); i++)
        {
            var m = c.get(i);
            keys[i] = ctx.normalisedLoad(m) - (m.isSelf() ? bias : 0);
        }
        c.sortByKeys();
    }
}
