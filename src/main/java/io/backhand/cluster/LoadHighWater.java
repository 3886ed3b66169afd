package io.backhand.cluster;

import java.util.Arrays;

/**
 * mod_backhand's load high-water mark: the largest speed-normalised load seen in the cluster, rounded up to
 * a power of two so that it moves rarely and in big steps. byCost measures CPU utilisation against it.
 *
 * <p>"Seen" means within the last hour, kept as the maximum of each of the last 60 minutes. mod_backhand
 * kept the maximum for the life of the process; since the mark is shared across the cluster, one burst would
 * otherwise flatten byCost's CPU term on every node until all of them restarted. A node announces only what
 * it has observed itself (never a mark it heard), so a mark fades from the cluster one hour after the last
 * node saw the load that raised it.</p>
 *
 * <p>Not thread-safe: the cluster table owns one and calls it under its lock.</p>
 */
final class LoadHighWater
{
    static final int MINUTES = 60;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final long[] maxLoad1000 = new long[MINUTES];
    private final long[] minuteOf = new long[MINUTES];

    LoadHighWater()
    {
        Arrays.fill(minuteOf, Long.MIN_VALUE);
    }

    /** Records one speed-normalised load (x1000) seen at {@code nowNanos}. */
    void observe(long normalisedLoad1000, long nowNanos)
    {
        long minute = Math.floorDiv(nowNanos, MINUTE_NANOS);
        int slot = (int) Math.floorMod(minute, (long) MINUTES);
        if (minuteOf[slot] != minute)
        {
            minuteOf[slot] = minute;
            maxLoad1000[slot] = 0;
        }
        if (normalisedLoad1000 > maxLoad1000[slot])
            maxLoad1000[slot] = normalisedLoad1000;
    }

    /** The mark this node has observed itself, x1000: a power of two from 1 to 2^20. */
    int mark1000(long nowNanos)
    {
        long minute = Math.floorDiv(nowNanos, MINUTE_NANOS);
        long max = 0;
        for (int i = 0; i < MINUTES; i++)
        {
            if (minuteOf[i] > minute - MINUTES && minuteOf[i] <= minute)
                max = Math.max(max, maxLoad1000[i]);
        }
        return roundUp1000(max);
    }

    /** The smallest 1000 * 2^k (k from 0 to 20) at or above {@code load1000}. */
    static int roundUp1000(long load1000)
    {
        int p = 1;
        while ((long) p * 1000 < load1000 && p < 1 << StatsCodec.MAX_HWM_EXPONENT)
            p <<= 1;
        return p * 1000;
    }

    /**
     * Load x1000 as it would be on the fastest member: a slow box's load counts for more, as in byLoad.
     */
    static long normalise(int load1000, int arriba, int maxArriba)
    {
        return (long) Math.ceil((double) load1000 * maxArriba / Math.max(1, arriba));
    }
}
