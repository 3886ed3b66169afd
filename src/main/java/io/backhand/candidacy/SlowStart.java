package io.backhand.candidacy;

import io.backhand.cluster.Member;

/**
 * Slow start (HAProxy's {@code slowstart}, Envoy's slow start mode): a server that has just started looks idle
 * and would win every ranking at once. For its first {@code backhand.slowStart}, a server that the chain puts
 * first wins only with probability {@code uptime / slowStart}; otherwise the next eligible candidate in the
 * chain's order wins. Its share of what it would have won thus ramps up linearly from 0 to 100%.
 *
 * <p>It applies after the whole chain, to the choice of the winner, so every function still ranks as written;
 * a pinned session owner and this node itself are never held back, and when every eligible candidate is
 * warming up the chain's first choice wins. Uptime is measured on the server's own clock (its announced
 * send time minus its start time, plus the age of the announcement), so clocks need not agree and a balancer
 * that restarts does not put the whole cluster back into slow start.</p>
 */
final class SlowStart
{
    private SlowStart()
    {
    }

    /** The index of the winner among the eligible candidates, starting from the chain's {@code first}. */
    static int choose(Candidates c, int first, Member pinned, DecisionContext context)
    {
        double period = context.slowStartNanos();
        for (int i = first; i < c.size(); i++)
        {
            Member m = c.get(i);
            if (!Chain.eligible(m, pinned))
                continue;
            double share = share(m, pinned, period, context.nowNanos());
            if (share >= 1 || context.random().nextDouble() < share)
                return i;
        }
        return first;
    }

    /** The fraction (0..1) of its wins a member may take now. */
    static double share(Member m, Member pinned, double periodNanos, long nowNanos)
    {
        if (m.isSelf() || m == pinned || periodNanos <= 0)
            return 1;
        double uptimeNanos = (m.stats().sentAtMillis() - m.stats().startedAtMillis()) * 1e6
            + Math.max(0, nowNanos - m.heardAtNanos());
        return Math.max(0, Math.min(1, uptimeNanos / periodNanos));
    }
}
