package io.backhand.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Response times seen by this node for one peer: a lifetime average and a p99 over roughly the last
 * one to two minutes. Buckets grow by a quarter power of two (under 19% error), which is plenty for a
 * status page and costs one atomic increment per request.
 */
public final class LatencyRecorder
{
    private static final int SUB_BUCKETS = 4;
    private static final int BUCKETS = 40 * SUB_BUCKETS; // 1 microsecond .. 2^40 microseconds
    private static final long WINDOW_NANOS = 60_000_000_000L;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sumMicros = new AtomicLong();
    private final AtomicLongArray[] windows = {new AtomicLongArray(BUCKETS), new AtomicLongArray(BUCKETS)};
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private volatile int current;

    public void record(long elapsedNanos)
    {
        long micros = Math.max(1, elapsedNanos / 1000);
        count.incrementAndGet();
        sumMicros.addAndGet(micros);
        rotateIfDue(System.nanoTime());
        windows[current].incrementAndGet(bucket(micros));
    }

    private void rotateIfDue(long now)
    {
        long start = windowStart.get();
        if (now - start < WINDOW_NANOS || !windowStart.compareAndSet(start, now))
            return;
        int next = 1 - current;
        AtomicLongArray w = windows[next];
        for (int i = 0; i < BUCKETS; i++)
            w.set(i, 0);
        current = next;
    }

    static int bucket(long micros)
    {
        int log2 = 63 - Long.numberOfLeadingZeros(micros);
        int sub = log2 >= 2 ? (int) ((micros >>> (log2 - 2)) & 3) : (int) (micros << (2 - log2)) & 3;
        return Math.min(BUCKETS - 1, log2 * SUB_BUCKETS + sub);
    }

    /** The upper edge of a bucket, in microseconds. */
    static long bucketTop(int bucket)
    {
        int log2 = bucket / SUB_BUCKETS;
        int sub = bucket % SUB_BUCKETS;
        double base = Math.pow(2, log2);
        return (long) Math.ceil(base * (1 + (sub + 1) / 4.0));
    }

    public long count()
    {
        return count.get();
    }

    public long averageMicros()
    {
        long n = count.get();
        return n == 0 ? 0 : sumMicros.get() / n;
    }

    /** The q-quantile (0..1) of recent response times in microseconds, 0 when nothing was recorded. */
    public long quantileMicros(double q)
    {
        rotateIfDue(System.nanoTime());
        long[] merged = new long[BUCKETS];
        long total = 0;
        for (AtomicLongArray w : windows)
        {
            for (int i = 0; i < BUCKETS; i++)
            {
                long c = w.get(i);
                merged[i] += c;
                total += c;
            }
        }
        if (total == 0)
            return 0;
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++)
        {
            seen += merged[i];
            if (seen >= rank)
                return bucketTop(i);
        }
        return bucketTop(BUCKETS - 1);
    }
}
