package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.cluster.Member;

/**
 * {@code byBusyChildren [bias]}: fewest busy workers first (requests in flight on the whole server, plus
 * those this node sent since the server's last announcement). {@code bias} workers are taken off this
 * node's count.
 */
public final class ByBusyChildren extends BiasedOrder
{
    public ByBusyChildren(double bias)
    {
        super(bias);
    }

    public static ByBusyChildren create(Arguments a) throws ChainException
    {
        return new ByBusyChildren(bias(a, "byBusyChildren [bias]", 1_000_000, "the bias in favour of this node, in workers"));
    }

    @Override
    double figure(Member m, DecisionContext ctx)
    {
        return ctx.busy(m);
    }
}
