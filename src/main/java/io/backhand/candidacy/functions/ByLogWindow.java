package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;

/**
 * {@code byLogWindow}: keeps the first {@code floor(log2 n) + 1} candidates. After {@code byRandom} this is a
 * random sample of logarithmic size, so that the ranking that follows chooses well among a few without all
 * balancers piling onto the single best-looking server.
 */
public final class ByLogWindow implements CandidacyFunction
{
    public static ByLogWindow create(Arguments a) throws ChainException
    {
        a.atMost(0, "byLogWindow");
        return new ByLogWindow();
    }

    public static int window(int n)
    {
        return n <= 0 ? 0 : 32 - Integer.numberOfLeadingZeros(n);
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        c.truncate(window(c.size()));
    }
}
