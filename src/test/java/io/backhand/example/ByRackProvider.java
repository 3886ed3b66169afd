package io.backhand.example;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.CandidacyProvider;

/**
 * Makes {@link ByRack} available by name, {@code byRack ^(r[0-9]+)-}, to every chain of a webapp whose
 * class path holds this jar. The jar lists this class in
 * {@code META-INF/services/io.backhand.candidacy.CandidacyProvider}.
 */
public final class ByRackProvider implements CandidacyProvider
{
    @Override
    public String directive()
    {
        return "byRack";
    }

    @Override
    public CandidacyFunction create(Arguments arguments)
    {
        if (arguments.count() != 1)
            throw new IllegalArgumentException("byRack expects one argument, a regular expression whose first group "
                + "is the rack, such as ^(r[0-9]+)-" + (arguments.count() == 0 ? "" : "; got " + arguments.count()));
        return new ByRack(arguments.words().get(0));
    }
}
