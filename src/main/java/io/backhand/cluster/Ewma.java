package io.backhand.cluster;

/**
 * Peak EWMA of response time, in the style of Finagle's load balancer: a slower response takes over at
 * once (the peak), a faster one is blended in with a weight that decays over {@code tau}. A server that
 * suddenly slows down is avoided within one request, and forgiven over seconds.
 */
public final class Ewma
{
    static final double TAU_NANOS = 10e9;
    /** What one failure costs at least, however fast it came: a node answering 503 in a millisecond is not fast. */
    static final double FAILURE_FLOOR_NANOS = 1e9;
    /** Repeated failures double the price up to this, so a node that keeps failing is tried ever more rarely. */
    static final double FAILURE_CEILING_NANOS = 60e9;

    private double valueNanos;
    private long stampNanos;
    private boolean seen;
    private boolean failing;

    public synchronized void record(long rttNanos, long nowNanos)
    {
        failing = false;
        if (!seen)
        {
            valueNanos = rttNanos;
            seen = true;
        }
        else if (rttNanos > valueNanos)
        {
            valueNanos = rttNanos;
        }
        else
        {
            double elapsed = Math.max(0, nowNanos - stampNanos);
            double w = Math.exp(-elapsed / TAU_NANOS);
            valueNanos = valueNanos * w + rttNanos * (1 - w);
        }
        stampNanos = nowNanos;
    }

    /**
     * A failed request (a transport failure, a timeout, or a 5xx answer): priced as a peak of at least one
     * second and at least twice the current estimate, whatever its own duration. A latency ranking would
     * otherwise mistake a node that fails fast for the fastest node of all, and pour traffic into it. The
     * price fades like any peak (decay over {@code tau} while it gets no traffic), so the node is tried again
     * after some seconds; a failure while the price has not faded below a second doubles it.
     */
    public synchronized void recordFailure(long elapsedNanos, long nowNanos)
    {
        double current = seen ? valueNanos * Math.exp(-Math.max(0, nowNanos - stampNanos) / TAU_NANOS) : 0;
        double price = Math.min(FAILURE_CEILING_NANOS, Math.max(FAILURE_FLOOR_NANOS, 2 * current));
        valueNanos = Math.max(elapsedNanos, price);
        seen = true;
        failing = true;
        stampNanos = nowNanos;
    }

    /** Whether the latest outcome was a failure: the estimate is then a price, not a measured speed. */
    public synchronized boolean failing()
    {
        return failing;
    }

    /**
     * The estimate at {@code nowNanos}, decayed towards zero for the time since the last response, as Finagle
     * reads its peak EWMA: a server that was once slow and then got no traffic is forgiven over {@code tau}
     * and tried again, instead of being shunned for good. 0 for a server never measured.
     */
    public synchronized double nanos(long nowNanos)
    {
        if (!seen)
            return 0;
        double elapsed = Math.max(0, nowNanos - stampNanos);
        return valueNanos * Math.exp(-elapsed / TAU_NANOS);
    }
}
