package io.backhand.example;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.Member;

/**
 * The worked example of docs/plugins.md: {@code byRack regex} prefers the servers in this node's rack, so that
 * traffic stays behind one top-of-rack switch while the rack has room. A server's rack is the first group of
 * {@code regex} found in its announced hostname (or, failing that, in its node name): with
 * {@code ^(r[0-9]+)-}, {@code r12-web3} is in rack {@code r12}.
 *
 * <p>It only reorders: servers of this rack move to the front, each group keeping its order, so that it
 * composes with the rankings around it. Put it after a ranking to mean "the best of my rack, else the best
 * elsewhere". When this node's own rack cannot be read, nothing changes.</p>
 *
 * <p>As every candidacy function must be, it is pure and thread-safe: the only state is the immutable pattern.</p>
 */
public final class ByRack implements CandidacyFunction
{
    private final Pattern rack;

    /**
     * The constructor {@code BackhandFromClass io.backhand.example.ByRack regex} calls.
     *
     * @throws IllegalArgumentException when {@code regex} is not a regular expression with a group
     */
    public ByRack(String regex)
    {
        try
        {
            rack = Pattern.compile(regex);
        }
        catch (PatternSyntaxException e)
        {
            throw new IllegalArgumentException("byRack expects a regular expression whose first group is the rack, "
                + "such as ^(r[0-9]+)-: " + e.getDescription() + " near index " + e.getIndex());
        }
        if (rack.matcher("").groupCount() < 1)
            throw new IllegalArgumentException("byRack expects a regular expression with a group that captures the "
                + "rack, such as ^(r[0-9]+)-");
    }

    /** The rack of {@code m}, or null when neither its hostname nor its name says. */
    String rackOf(Member m)
    {
        Matcher byHost = rack.matcher(m.stats().hostname());
        if (byHost.find() && byHost.group(1) != null)
            return byHost.group(1);
        Matcher byName = rack.matcher(m.name());
        return byName.find() ? byName.group(1) : null;
    }

    @Override
    public void apply(Candidates candidates, RequestView request, DecisionContext context)
    {
        String mine = rackOf(context.self());
        if (mine == null)
            return;
        // Key 0 for this rack, 1 elsewhere; the stable sort keeps each group's order from earlier functions.
        double[] keys = candidates.keys();
        for (int i = 0; i < candidates.size(); i++)
            keys[i] = mine.equals(rackOf(candidates.get(i))) ? 0 : 1;
        candidates.sortByKeys();
    }
}
