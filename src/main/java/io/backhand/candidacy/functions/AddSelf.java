package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;

/**
 * {@code addSelf}: adds this node at the end if an earlier function removed it, as the last resort. It also
 * lifts {@code removeSelf}'s ban on serving locally: {@code removeSelf; byLoad; addSelf} means "prefer the
 * others, but serve here rather than answer 503".
 */
public final class AddSelf implements CandidacyFunction
{
    public static AddSelf create(Arguments a) throws ChainException
    {
        a.atMost(0, "addSelf");
        return new AddSelf();
    }

    @Override
    public LocalServing localServing()
    {
        return LocalServing.ALLOWED;
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        if (c.indexOfSelf() < 0)
            c.add(ctx.self());
    }
}
