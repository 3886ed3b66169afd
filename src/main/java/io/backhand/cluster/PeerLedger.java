package io.backhand.cluster;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this node has itself observed about one peer, as opposed to what the peer announced: requests sent
 * to it that are still in flight (the correction that stops the herd), the response times seen (for
 * byLatency), counters for the status page, and passive health.
 *
 * <p>It outlives the snapshots: every {@link Member} of the same node shares one ledger, so the request
 * path updates it without any lookup. All methods are thread-safe and lock-free.</p>
 */
public final class PeerLedger
{
    /**
     * Requests sent in one announcement period. A request remembers the period it was sent in, so that
     * when it ends it is subtracted from that period only: requests from before the newest announcement
     * are already inside the announced figure.
     */
    public static final class Period
    {
        final AtomicInteger inFlight = new AtomicInteger();
    }

    private volatile Period period = new Period();
    private final AtomicInteger inFlightTotal = new AtomicInteger();
    private volatile int inFlightAtAnnouncement;
    private final LongAdder proxied = new LongAdder();
    private final LongAdder servedLocally = new LongAdder();
    private final LongAdder redirected = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final AtomicLong downSinceNanos = new AtomicLong(0);
    private final Ewma ewma = new Ewma();
    private final TrafficWindow traffic = new TrafficWindow();
    private volatile boolean marksResponses;

    /** Called by the cluster table when a fresh announcement from this peer is taken in. */
    void announcementArrived(long nowNanos)
    {
        period = new Period();
        inFlightAtAnnouncement = inFlightTotal.get();
        long down = downSinceNanos.get();
        // Passive health ends with the first announcement heard after the failure: the peer is alive again.
        if (down != 0 && nowNanos - down > 0)
            downSinceNanos.compareAndSet(down, 0);
    }

    /** Requests sent since the newest announcement and still running: add this to the announced figure. */
    public int sentSinceAnnouncement()
    {
        return period.inFlight.get();
    }

    public int inFlight()
    {
        return inFlightTotal.get();
    }

    /**
     * Requests this node had running there when the newest announcement was taken in: the part of the announced
     * figure that this node knows about exactly and need not take on trust.
     */
    public int inFlightAtAnnouncement()
    {
        return inFlightAtAnnouncement;
    }

    /** Marks the start of a request sent to this peer; pass the result to {@link #requestEnded}. */
    public Period requestStarted()
    {
        Period p = period;
        p.inFlight.incrementAndGet();
        inFlightTotal.incrementAndGet();
        return p;
    }

    public void requestEnded(Period p, long elapsedNanos, boolean ok)
    {
        requestCancelled(p);
        if (ok)
        {
            proxied.increment();
            traffic.record(System.currentTimeMillis());
            latency.record(elapsedNanos);
            ewma.record(elapsedNanos, System.nanoTime());
        }
        else
        {
            failed.increment();
            ewma.recordFailure(elapsedNanos, System.nanoTime());
        }
    }

    /**
     * The peer answered, but with a server error (a 5xx other than 501 and 505): the request was proxied and is
     * counted so (not as a proxy failure: the answer reached the client as the server gave it), yet for the
     * latency estimate it is a failure, however fast it came back.
     */
    public void requestAnsweredWithServerError(Period p, long elapsedNanos)
    {
        requestCancelled(p);
        proxied.increment();
        traffic.record(System.currentTimeMillis());
        latency.record(elapsedNanos);
        ewma.recordFailure(elapsedNanos, System.nanoTime());
    }

    /** Whether an answer with this status says the server failed, rather than the request being wrong. */
    public static boolean isServerError(int status)
    {
        return status >= 500 && status <= 599 && status != 501 && status != 505;
    }

    /** A request counted against this peer that was never sent to it after all: no outcome to record. */
    public void requestCancelled(Period p)
    {
        p.inFlight.decrementAndGet();
        inFlightTotal.decrementAndGet();
    }

    /** A request that failed here and goes to another server instead: neither proxied nor failed. */
    public void requestRetriedElsewhere(Period p)
    {
        requestCancelled(p);
        retried.increment();
    }

    public void servedLocally()
    {
        servedLocally.increment();
        traffic.record(System.currentTimeMillis());
    }

    public void redirected()
    {
        redirected.increment();
    }

    /** A response from this peer's webapp carried the served mark: it is known to mark its responses. */
    public void marksResponses()
    {
        if (!marksResponses)
            marksResponses = true;
    }

    /** Whether an unmarked 404 or 503 from this peer means its webapp did not see the request. */
    public boolean isKnownToMarkResponses()
    {
        return marksResponses;
    }

    /** Passive health: the peer refused a connection; keep it out until it announces again. */
    public void markDown(long nowNanos)
    {
        downSinceNanos.set(nowNanos == 0 ? 1 : nowNanos);
    }

    public boolean isDown()
    {
        return downSinceNanos.get() != 0;
    }

    public long proxiedCount()
    {
        return proxied.sum();
    }

    public long servedLocallyCount()
    {
        return servedLocally.sum();
    }

    public long redirectedCount()
    {
        return redirected.sum();
    }

    public long retriedCount()
    {
        return retried.sum();
    }

    public long failedCount()
    {
        return failed.sum();
    }

    public LatencyRecorder latency()
    {
        return latency;
    }

    /** Requests this node sent there (or, for itself, served) per second over the last minute. */
    public TrafficWindow traffic()
    {
        return traffic;
    }

    public Ewma ewma()
    {
        return ewma;
    }
}
