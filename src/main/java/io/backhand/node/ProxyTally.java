package io.backhand.node;

import java.util.concurrent.atomic.LongAdder;

import io.backhand.stats.ProxyTotals;

/** mod_backhand's "requests backhanded" and their average time to serve, kept by the proxy and announced. */
public final class ProxyTally implements ProxyTotals
{
    private final LongAdder count = new LongAdder();
    private final LongAdder micros = new LongAdder();

    public void record(long elapsedNanos)
    {
        count.increment();
        micros.add(elapsedNanos / 1000);
    }

    @Override
    public long requestsBackhanded()
    {
        return count.sum();
    }

    @Override
    public int avgServeMicros()
    {
        long n = count.sum();
        return n == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, micros.sum() / n);
    }
}
