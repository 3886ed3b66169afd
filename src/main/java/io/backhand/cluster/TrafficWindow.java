package io.backhand.cluster;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests per second over the last minute, in one-second slots: enough for the status page's share-of-traffic
 * chart without keeping every request. Lock-free; a slot is cleared lazily when its second comes round again.
 */
public final class TrafficWindow
{
    public static final int SECONDS = 60;
    private final AtomicLongArray counts = new AtomicLongArray(SECONDS);
    private final AtomicLongArray stamps = new AtomicLongArray(SECONDS);

    public void record(long nowMillis)
    {
        long second = nowMillis / 1000;
        int slot = (int) (second % SECONDS);
        long stamp = stamps.get(slot);
        if (stamp != second && stamps.compareAndSet(slot, stamp, second))
            counts.set(slot, 0);
        counts.incrementAndGet(slot);
    }

    /** Requests in the last {@code seconds} full seconds before now (at most 60). */
    public long total(long nowMillis, int seconds)
    {
        long now = nowMillis / 1000;
        long sum = 0;
        for (int i = 0; i < SECONDS; i++)
        {
            long s = stamps.get(i);
            if (s <= now && now - s < Math.min(seconds, SECONDS))
                sum += counts.get(i);
        }
        return sum;
    }

    /** Per-second counts, oldest first, ending with the current second. */
    public long[] perSecond(long nowMillis)
    {
        long now = nowMillis / 1000;
        long[] out = new long[SECONDS];
        for (int i = 0; i < SECONDS; i++)
        {
            long s = stamps.get(i);
            long age = now - s;
            if (age >= 0 && age < SECONDS)
                out[SECONDS - 1 - (int) age] += counts.get(i);
        }
        return out;
    }
}
