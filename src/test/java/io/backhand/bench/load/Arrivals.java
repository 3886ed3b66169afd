package io.backhand.bench.load;

import java.util.SplittableRandom;

/** Gaps between intended send times: constant, or exponential (a Poisson process) at the same mean rate. */
final class Arrivals
{
    private final double meanGapNanos;
    private final SplittableRandom random;

    Arrivals(double ratePerSecond, boolean poisson, long seed)
    {
        if (!(ratePerSecond > 0))
            throw new IllegalArgumentException("an open-loop stream needs a rate above zero, not " + ratePerSecond);
        this.meanGapNanos = 1e9 / ratePerSecond;
        this.random = poisson ? new SplittableRandom(seed) : null;
    }

    long nextGapNanos()
    {
        if (random == null)
            return Math.round(meanGapNanos);
        return Math.round(-Math.log(1.0 - random.nextDouble()) * meanGapNanos);
    }
}
