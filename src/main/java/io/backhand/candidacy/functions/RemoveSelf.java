package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;

/**
 * {@code removeSelf}: removes this node, for a dedicated balancer. A chain with it never serves locally:
 * when nothing is left the answer is 503 with Retry-After rather than the balancer's own content.
 */
public final class RemoveSelf implements CandidacyFunction
{
    public static RemoveSelf create(Arguments a) throws ChainException
    {
        a.atMost(0, "removeSelf");
        return new RemoveSelf();
    }

    @Override
    public LocalServing localServing()
    {
        return LocalServing.FORBIDDEN;
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        int i = c.indexOfSelf();
        if (i >= 0)
            c.remove(i);
    }
}
