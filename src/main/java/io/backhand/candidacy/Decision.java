package io.backhand.candidacy;

import java.util.Arrays;
import java.util.List;

import io.backhand.cluster.Member;

/**
 * What to do with one request.
 *
 * @param kind     serve here, proxy, redirect, or refuse for lack of servers
 * @param targets  for PROXY and REDIRECT: the winner first, then the fallbacks in order
 * @param redirect for REDIRECT: how to build the location
 */
public record Decision(Kind kind, Member[] targets, Redirect redirect)
{
    public enum Kind
    {
        /** This node wins: fall through to the app (or, under selfRedirect, proxy to our own address). */
        LOCAL,
        /** Nothing is left and the chain allows serving here: mod_backhand declines, the app serves. */
        DECLINED,
        /** Another node wins: proxy to it. */
        PROXY,
        /** A redirect function is in the chain and another node wins: answer with a redirect to it. */
        REDIRECT,
        /** Nothing is left and the chain forbids serving here (removeSelf): 503. */
        UNAVAILABLE
    }

    private static final Member[] NONE = new Member[0];
    public static final Decision DECLINED = new Decision(Kind.DECLINED, NONE, null);
    public static final Decision UNAVAILABLE = new Decision(Kind.UNAVAILABLE, NONE, null);

    public Member target()
    {
        return targets.length == 0 ? null : targets[0];
    }

    public List<Member> targetList()
    {
        return Arrays.asList(targets);
    }

    static Decision from(Candidates c, int maxTargets, DecisionContext context)
    {
        Member pinned = c.pinned();
        int first = -1;
        int eligible = 0;
        for (int i = 0; i < c.size(); i++)
        {
            if (Chain.eligible(c.get(i), pinned))
            {
                if (first < 0)
                    first = i;
                eligible++;
            }
        }
        if (first < 0)
            return c.neverLocal() ? UNAVAILABLE : DECLINED;
        if (context.slowStartNanos() > 0 && eligible > 1)
            first = SlowStart.choose(c, first, pinned, context);
        Member winner = c.get(first);
        // Redirecting to ourselves would send the client straight back into the same decision, forever.
        if (c.redirect() != null && !winner.isSelf())
            return new Decision(Kind.REDIRECT, new Member[] {winner}, c.redirect());
        Member[] targets = new Member[Math.min(Math.max(1, maxTargets), eligible)];
        int n = 0;
        targets[n++] = winner;
        for (int i = 0; i < c.size() && n < targets.length; i++)
        {
            Member m = c.get(i);
            // Self is never a fallback: failing over to it would mean serving locally from inside the proxy.
            if (i != first && Chain.eligible(m, pinned) && !m.isSelf())
                targets[n++] = m;
        }
        Member[] exact = n == targets.length ? targets : Arrays.copyOf(targets, n);
        return new Decision(winner.isSelf() ? Kind.LOCAL : Kind.PROXY, exact, null);
    }
}
