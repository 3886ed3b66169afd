package io.backhand.candidacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.backhand.cluster.Member;

/**
 * Why a request went where it went: the candidates as the chain started, the candidates after each function
 * (with the figure the function sorted them by, when it sorted), and the outcome. Made only for a decision
 * someone asked to see or one sampled for the status page, never for the others, which run the chain as
 * they always did ({@link Chain#decide}); {@link Chain#explain} fills it.
 *
 * <p>A figure is the sort key the function wrote for that candidate ({@link Candidates#keys()}), in the
 * function's own units: normalised load for {@code byLoad}, busy workers for {@code byBusyChildren}, and so on.
 * Functions that only filter or shuffle write none, and their candidates carry no figure.</p>
 */
public final class DecisionTrace
{
    /** One candidate after one step; {@code figure} is NaN when the step ranked nothing. */
    public record Candidate(String server, double figure)
    {
        public boolean hasFigure()
        {
            return !Double.isNaN(figure);
        }
    }

    /** The candidates left after one function, in order of preference. */
    public record Step(String function, List<Candidate> candidates)
    {
    }

    private final List<Step> steps = new ArrayList<>();
    private String outcome = "";
    private String winner;

    /** The list the chain starts from, before any function. */
    void start(Candidates c)
    {
        steps.add(new Step("start", snapshot(c, false)));
    }

    void after(String function, Candidates c)
    {
        steps.add(new Step(function, snapshot(c, true)));
    }

    void decided(Decision d)
    {
        outcome = d.kind().name().toLowerCase(Locale.ROOT);
        Member target = d.target();
        winner = target == null ? null : target.name();
    }

    private static List<Candidate> snapshot(Candidates c, boolean figures)
    {
        double[] keys = c.keys();
        List<Candidate> out = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++)
            out.add(new Candidate(c.get(i).name(), figures ? keys[i] : Double.NaN));
        return List.copyOf(out);
    }

    /** The start list first, then one step per function of the chain. */
    public List<Step> steps()
    {
        return List.copyOf(steps);
    }

    /** local, declined, proxy, redirect or unavailable: the {@link Decision.Kind} in lower case. */
    public String outcome()
    {
        return outcome;
    }

    /** The server chosen, or null when none was (declined, unavailable). */
    public String winner()
    {
        return winner;
    }

    /**
     * The trace on one line, for a response header: {@code start: a b c; byAge 6: a b; byLoad: b=0.12 a=0.5;
     * -> proxy b}. Only printable ASCII, so that no server name can break the header.
     */
    public String line()
    {
        StringBuilder b = new StringBuilder();
        for (Step s : steps)
        {
            b.append(printable(s.function(), true)).append(':');
            for (Candidate c : s.candidates())
            {
                b.append(' ').append(printable(c.server(), false));
                if (c.hasFigure())
                    b.append('=').append(figure(c.figure()));
            }
            if (s.candidates().isEmpty())
                b.append(" (none)");
            b.append("; ");
        }
        b.append("-> ").append(outcome);
        if (winner != null)
            b.append(' ').append(printable(winner, false));
        return b.toString();
    }

    /** A figure as people read it: integers whole, others to three decimals. */
    public static String figure(double v)
    {
        if (Double.isInfinite(v))
            return v > 0 ? "inf" : "-inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15)
            return Long.toString((long) v);
        return Double.toString(Math.round(v * 1000) / 1000.0);
    }

    private static String printable(String s, boolean spaces)
    {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++)
        {
            char ch = s.charAt(i);
            boolean ok = ch > ' ' && ch < 0x7f && ch != ';' && ch != '=' || spaces && ch == ' ';
            b.append(ok ? ch : '?');
        }
        return b.toString();
    }
}
