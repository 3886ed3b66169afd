package io.backhand.candidacy.functions;

import java.util.IllegalFormatException;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.Redirect;
import io.backhand.candidacy.RequestView;

/**
 * {@code HTTPRedirectToName [format]}: answer with a redirect to a host name built from the winner's
 * hostname, for example {@code %s.example.com}; the default is the hostname itself.
 */
public final class HTTPRedirectToName implements CandidacyFunction
{
    private final Redirect redirect;

    public HTTPRedirectToName(String format)
    {
        this.redirect = Redirect.toName(format);
    }

    public static HTTPRedirectToName create(Arguments a) throws ChainException
    {
        a.atMost(1, "HTTPRedirectToName [format]");
        String format = a.count() == 0 ? "%s" : a.word(0);
        String host;
        try
        {
            host = String.format(format, "web1");
        }
        catch (IllegalFormatException e)
        {
            throw new ChainException(a.line(), format, "HTTPRedirectToName expects a format with at most one %s, "
                + "such as %s.example.com");
        }
        if (!format.contains("%s") || !host.matches("[A-Za-z0-9.-]+(:\\d+)?"))
            throw new ChainException(a.line(), format, "HTTPRedirectToName expects a host name format with one %s, "
                + "such as %s.example.com");
        return new HTTPRedirectToName(format);
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        c.redirect(redirect);
    }
}
