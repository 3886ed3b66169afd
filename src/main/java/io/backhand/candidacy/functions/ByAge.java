package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;

/** {@code byAge [secs=20]}: drops servers not heard from within {@code secs} seconds. This node is never stale. */
public final class ByAge implements CandidacyFunction
{
    public static final double DEFAULT_SECONDS = 20;
    private final long maxAgeNanos;

    public ByAge(double seconds)
    {
        this.maxAgeNanos = (long) (seconds * 1e9);
    }

    public static ByAge create(Arguments a) throws ChainException
    {
        a.atMost(1, "byAge [seconds]");
        return new ByAge(a.number(0, DEFAULT_SECONDS, 0.001, 86400, "the largest age in seconds"));
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        long now = ctx.nowNanos();
        for (int i = c.size() - 1; i >= 0; i--)
        {
            var m = c.get(i);
            if (!m.isSelf() && now - m.heardAtNanos() > maxAgeNanos)
                c.remove(i);
        }
    }
}
