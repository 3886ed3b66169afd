package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.Redirect;
import io.backhand.candidacy.RequestView;

/** {@code HTTPRedirectToIP}: answer with a redirect to the winner's advertised address instead of proxying. */
public final class HTTPRedirectToIP implements CandidacyFunction
{
    public static HTTPRedirectToIP create(Arguments a) throws ChainException
    {
        a.atMost(0, "HTTPRedirectToIP");
        return new HTTPRedirectToIP();
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        c.redirect(Redirect.TO_IP);
    }
}
