package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;

/** {@code byRandom}: shuffles the candidates. */
public final class ByRandom implements CandidacyFunction
{
    public static ByRandom create(Arguments a) throws ChainException
    {
        a.atMost(0, "byRandom");
        return new ByRandom();
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        c.shuffle(ctx.random());
    }
}
