package io.backhand.bench.backend;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One backend's own figures during a trial: requests served, and time-weighted averages of busy workers and
 * queued requests (integrated at every change, so that they are exact rather than sampled), plus the
 * longest queue seen. These are what tell the nodes apart on one shared kernel, where the load average cannot.
 */
public final class WorkGauge
{
    private final int workers;
    private final AtomicLong served = new AtomicLong();
    private long since = System.nanoTime();
    private long last = since;
    private int busy;
    private int queued;
    private double busyIntegral;
    private double queueIntegral;
    private int maxQueued;

    WorkGauge(int workers)
    {
        this.workers = workers;
    }

    void served()
    {
        served.incrementAndGet();
    }

    synchronized void update(int busyNow, int queuedNow)
    {
        long now = System.nanoTime();
        busyIntegral += (double) busy * (now - last);
        queueIntegral += (double) queued * (now - last);
        last = now;
        busy = busyNow;
        queued = queuedNow;
        maxQueued = Math.max(maxQueued, queuedNow);
    }

    public synchronized int busy()
    {
        return busy;
    }

    public int workers()
    {
        return workers;
    }

    /** What happened since the previous snapshot, which starts a new period. */
    public synchronized Snapshot snapshotAndReset()
    {
        update(busy, queued);
        long now = last;
        double seconds = (now - since) / 1e9;
        Snapshot s = new Snapshot(served.getAndSet(0), seconds, busyIntegral / Math.max(1, now - since),
            queueIntegral / Math.max(1, now - since), maxQueued);
        since = now;
        busyIntegral = 0;
        queueIntegral = 0;
        maxQueued = queued;
        return s;
    }

    /**
     * @param meanBusy   time-weighted mean of busy workers
     * @param meanQueued time-weighted mean of requests waiting for a worker
     */
    public record Snapshot(long served, double seconds, double meanBusy, double meanQueued, int maxQueued)
    {
    }
}
