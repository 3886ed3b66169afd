package io.backhand.candidacy.functions;

import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.DecisionContext;

/**
 * The latencies byLatency and byExpectedDelay start from: each candidate's peak EWMA as this node observed it,
 * and the price of a server never measured. That price is a hair below the best measured latency (or 1 ns when
 * none is): priced any higher (the average, say), a new server would never be tried while requests come one at
 * a time, since the best measured one would always beat it.
 */
final class MeasuredLatency
{
    private static final double UNMEASURED_DISCOUNT = 0.999;

    private MeasuredLatency()
    {
    }

    /**
     * Writes each candidate's EWMA into {@code c.keys()} (0 for one never measured) and returns the price of an
     * unmeasured server.
     *
     * @param failuresSetTheBest false to keep a failing server's latency, which is a price rather than a
     *     measure of speed, from setting the best
     */
    static double observe(Candidates c, DecisionContext ctx, boolean failuresSetTheBest)
    {
        double[] keys = c.keys();
        long now = ctx.nowNanos();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < c.size(); i++)
        {
            var ewma = c.get(i).ledger().ewma();
            double e = ewma.nanos(now);
            keys[i] = e;
            if (e > 0 && (failuresSetTheBest || !ewma.failing()))
                best = Math.min(best, e);
        }
        return (best == Double.MAX_VALUE ? 1 : best) * UNMEASURED_DISCOUNT;
    }
}
