package io.backhand.bench.load;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The balancer no balancer can beat on this cluster: inside the load generator, it knows at every instant how
 * many requests each backend is working on or queueing (every request of every stream, those sent straight to a
 * backend included), each backend's workers and its mean service time, and sends each request, the moment it
 * is due, where its expected delay is shortest: the service time if a worker is free, else the service time
 * times (requests there + 1) / workers. A slow backend's free worker is thus used only when the fast ones'
 * queues would cost more.
 *
 * <p>It is not a central queue handing requests to free workers, although that is the textbook floor: here the
 * hand-off (an answer reaching the generator, the next request travelling to the freed worker) leaves the
 * worker idle for a round trip through a busy machine, which cost such an oracle a third of the cluster's
 * capacity when it was tried. What it does not know: a backend slowing down mid-trial (its means are the
 * configured ones), and a backend that fails, which it learns from the failure: a backend that answered 5xx is
 * passed over for a second.</p>
 */
final class Oracle
{
    /** Sends a request to a backend and calls back with its status (0 for a transport failure) when it ends. */
    interface Sender
    {
        void send(String uri, long intended, StreamTally tally, IntConsumer onStatus);
    }

    private static final long DOWN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final List<String> uris;
    private final int[] workers;
    private final double[] serviceMillis;
    private final int[] busy;
    private final long[] downUntil;
    private final Sender sender;

    Oracle(List<String> uris, List<Integer> workers, List<Double> serviceMillis, Sender sender)
    {
        this.uris = List.copyOf(uris);
        this.workers = workers.stream().mapToInt(Integer::intValue).toArray();
        this.serviceMillis = serviceMillis.stream().mapToDouble(Double::doubleValue).toArray();
        this.busy = new int[workers.size()];
        this.downUntil = new long[workers.size()];
        java.util.Arrays.fill(downUntil, System.nanoTime());
        this.sender = sender;
    }

    /** The backend this URI (of any stream) goes to, or -1: requests sent there directly occupy its workers too. */
    int backendOf(String uri)
    {
        for (int i = 0; i < uris.size(); i++)
        {
            String u = uris.get(i);
            if (uri.startsWith(u.substring(0, u.indexOf('/', "http://".length()))))
                return i;
        }
        return -1;
    }

    /** A request another stream sends straight to backend {@code i}. */
    synchronized void occupied(int i)
    {
        busy[i]++;
    }

    void submit(long intended, StreamTally tally)
    {
        int i;
        synchronized (this)
        {
            i = pick(System.nanoTime());
            busy[i]++;
        }
        sender.send(uris.get(i), intended, tally, status -> released(i, status));
    }

    /** A request on backend {@code i} ended, with this status. */
    synchronized void released(int i, int status)
    {
        busy[i]--;
        if (status >= 500 || status == 0)
            downUntil[i] = System.nanoTime() + DOWN_NANOS;
    }

    /** The backend of shortest expected delay, among those that have not just failed if any has not. */
    private int pick(long now)
    {
        int best = -1;
        double bestDelay = Double.MAX_VALUE;
        for (int pass = 0; pass < 2 && best < 0; pass++)
        {
            for (int i = 0; i < workers.length; i++)
            {
                if (pass == 0 && now - downUntil[i] < 0)
                    continue;
                double delay = serviceMillis[i] * Math.max(1, (busy[i] + 1.0) / workers[i])
                    // among equal delays, the emptier backend
                    + 1e-6 * busy[i] / workers[i];
                if (delay < bestDelay)
                {
                    bestDelay = delay;
                    best = i;
                }
            }
        }
        return best;
    }
}
