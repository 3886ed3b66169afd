package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.cluster.Member;

/**
 * {@code byLoad [bias]}: least loaded first, by load normalised for speed ({@code load * maxArriba / arriba})
 * so that a slow box's load counts for more. {@code bias} (0..1) is taken off this node's load, so the node
 * that received the request keeps it unless another is clearly better.
 */
public final class ByLoad extends BiasedOrder
{
    public ByLoad(double bias)
    {
        super(bias);
    }

    public static ByLoad create(Arguments a) throws ChainException
    {
        return new ByLoad(bias(a, "byLoad [bias]", 1, "the bias in favour of this node"));
    }

    @Override
    double figure(Member m, DecisionContext ctx)
    {
        return ctx.normalisedLoad(m);
    }
}
