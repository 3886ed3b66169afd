package io.backhand.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.backhand.candidacy.DecisionTrace;

/**
 * The last few dozen explained decisions of one filter, for the status page: those a client inside
 * {@code backhand.statusAccess} asked to see, plus one sampled decision per second, so that the list shows
 * how the chain decides under real traffic without anyone asking. The other decisions never reach it and
 * cost it nothing but one clock comparison ({@link #sampleDue}).
 */
public final class DecisionLog
{
    /** How many decisions the list keeps; the oldest makes room for the newest. */
    public static final int CAPACITY = 40;
    /** At most one unasked decision is traced per this long. */
    public static final long SAMPLE_EVERY_NANOS = 1_000_000_000L;

    /**
     * @param atMillis when it was decided (epoch milliseconds)
     * @param path     the request's path, without its query
     * @param asked    true when the client asked for it; false when it was sampled
     */
    public record Entry(long atMillis, String method, String path, boolean asked, DecisionTrace trace)
    {
    }

    private final Entry[] ring = new Entry[CAPACITY];
    private int next;
    private long total;
    private final AtomicLong nextSampleNanos = new AtomicLong(System.nanoTime());

    /**
     * Whether this decision is the one to sample for this second. Lock-free: of the requests that see the
     * second come round, exactly one wins the swap.
     */
    public boolean sampleDue(long nowNanos)
    {
        long due = nextSampleNanos.get();
        return nowNanos - due >= 0 && nextSampleNanos.compareAndSet(due, nowNanos + SAMPLE_EVERY_NANOS);
    }

    public synchronized void add(Entry e)
    {
        ring[next] = e;
        next = (next + 1) % CAPACITY;
        total++;
    }

    /** The kept decisions, newest first. */
    public synchronized List<Entry> newestFirst()
    {
        List<Entry> out = new ArrayList<>(CAPACITY);
        for (int k = 1; k <= CAPACITY; k++)
        {
            Entry e = ring[(next - k + CAPACITY) % CAPACITY];
            if (e == null)
                break;
            out.add(e);
        }
        return out;
    }

    /** Every decision ever added, kept or since overwritten. */
    public synchronized long total()
    {
        return total;
    }
}
