package io.backhand.cluster;

/**
 * Peak EWMA of response time, in the style of Finagle's load balancer: a slower response takes over at
 * once (the peak), a faster one is blended in with a weight that decays over {@code tau}. A server that
 * suddenly slows down is avoided within one request, and forgiven over seconds.
 */
public final class Ewma
{
    static final double TAU_NANOS = 10e9;

    private double valueNanos;
    private long stampNanos;
    private boolean seen;

    public synchronized void record(long rttNanos, long nowNanos)
    {
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
