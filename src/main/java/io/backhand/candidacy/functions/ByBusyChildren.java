package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;

/**
 * {@code byBusyChildren [bias]}: fewest busy workers first (requests in flight on the whole server, plus
 * those this node sent since the server's last announcement). {@code bias} workers are taken off this
 * node's count.
 */
public final class ByBusyChildren implements CandidacyFunction
{
    private final double bias;

    public ByBusyChildren(double bias)
    {
        this.bias = bias;
    }

    public static ByBusyChildren create(Arguments a) throws ChainException
    {
        a.atMost(1, "byBusyChildren [bias]");
        return new ByBusyChildren(a.number(0, 0, 0, 1_000_000, "the bias in favour of this node, in workers"));
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double[] keys = c.keys();
        for (int i = 0; i < c.size(); i++)
        {
            var m = c.get(i);
            keys[i] = ctx.busy(m) - (m.isSelf() ? bias : 0);
        }
        c.sortByKeys();
    }
}
