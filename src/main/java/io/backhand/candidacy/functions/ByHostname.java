package io.backhand.candidacy.functions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;

/** {@code byHostname regex}: keeps servers whose announced hostname matches (anywhere, as POSIX regexec does). */
public final class ByHostname implements CandidacyFunction
{
    private final Pattern pattern;
    /** One matcher per thread, reset per hostname, so that filtering allocates nothing per request. */
    private final ThreadLocal<Matcher> matchers;

    public ByHostname(Pattern pattern)
    {
        this.pattern = pattern;
        this.matchers = ThreadLocal.withInitial(() -> pattern.matcher(""));
    }

    public Pattern pattern()
    {
        return pattern;
    }

    public static ByHostname create(Arguments a) throws ChainException
    {
        a.exactly(1, "byHostname regex");
        try
        {
            return new ByHostname(Pattern.compile(a.word(0)));
        }
        catch (PatternSyntaxException e)
        {
            throw new ChainException(a.line(), a.word(0), "byHostname expects a regular expression: "
                + e.getDescription() + " near index " + e.getIndex());
        }
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        Matcher m = matchers.get();
        for (int i = c.size() - 1; i >= 0; i--)
        {
            if (!m.reset(c.get(i).stats().hostname()).find())
                c.remove(i);
        }
        m.reset("");
    }
}
