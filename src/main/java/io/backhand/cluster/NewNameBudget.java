package io.backhand.cluster;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many names a source address may add to the table: a burst of {@link #BURST}, then one more every
 * {@link #REFILL_NANOS}. A real node brings one name from its address (a handful when several run on one
 * host), so only a sender inventing names meets the limit; without it one datagram per name from inside
 * AcceptStats filled the table with members that steered requests away from the real ones.
 *
 * <p>Not thread-safe: the {@link ClusterTable} calls it under its lock. The sources it remembers are bounded
 * too, so that a flood from many addresses costs memory only up to {@link #MAX_SOURCES}.</p>
 */
public final class NewNameBudget
{
    public static final int BURST = 16;
    public static final long REFILL_NANOS = 10_000_000_000L;
    static final int MAX_SOURCES = 4096;

    /** Names the source may still add, as of {@code atNanos}; refilled lazily when it asks again. */
    private static final class Bucket
    {
        double tokens;
        long atNanos;
    }

    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest)
        {
            return size() > MAX_SOURCES;
        }
    };

    /** Takes one new name from {@code source}'s budget; false when it has none left. */
    public boolean take(InetAddress source, long nowNanos)
    {
        Bucket b = buckets.get(source);
        if (b == null)
        {
            b = new Bucket();
            b.tokens = BURST;
            b.atNanos = nowNanos;
            buckets.put(source, b);
        }
        else
        {
            b.tokens = Math.min(BURST, b.tokens + (double) Math.max(0, nowNanos - b.atNanos) / REFILL_NANOS);
            b.atNanos = nowNanos;
        }
        if (b.tokens < 1)
            return false;
        b.tokens -= 1;
        return true;
    }
}
