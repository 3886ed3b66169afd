package io.backhand.bench.load;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The balancer no balancer can beat on this cluster: one central queue inside the load generator, handing each
 * request to the first free worker, fastest backend first, the moment one is free. It knows every request in
 * flight on every backend, the ones other streams send straight to a backend included (they occupy a worker
 * there just the same), and it never sends a request to a busy backend, so nothing ever queues behind a slow
 * request on a backend. What it does not know: a backend slowing down mid-trial (its order is the configured
 * speeds), and a backend that fails, which it learns from the failure: a backend that answered 5xx is passed
 * over for a second.
 */
final class Oracle
{
    /** Sends a request to a backend and calls back with its status (0 for a transport failure) when it ends. */
    interface Sender
    {
        void send(String uri, long intended, StreamTally tally, IntConsumer onStatus);
    }

    private record Job(long intended, StreamTally tally)
    {
    }

    private static final long DOWN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final List<String> uris;
    private final int[] workers;
    private final int[] busy;
    private final long[] downUntil;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Sender sender;

    Oracle(List<String> uris, List<Integer> workers, Sender sender)
    {
        this.uris = List.copyOf(uris);
        this.workers = workers.stream().mapToInt(Integer::intValue).toArray();
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
            if (uri.startsWith(uris.get(i).substring(0, uris.get(i).indexOf('/', "http://".length()))))
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
            i = free(System.nanoTime());
            if (i < 0)
            {
                queue.addLast(new Job(intended, tally));
                return;
            }
            busy[i]++;
        }
        dispatch(i, new Job(intended, tally));
    }

    /** A request on backend {@code i} ended, with this status: the worker is free for the head of the queue. */
    void released(int i, int status)
    {
        List<int[]> picks = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        synchronized (this)
        {
            busy[i]--;
            long now = System.nanoTime();
            if (status >= 500 || status == 0)
                downUntil[i] = now + DOWN_NANOS;
            int j;
            while (!queue.isEmpty() && (j = free(now)) >= 0)
            {
                busy[j]++;
                picks.add(new int[] {j});
                jobs.add(queue.pollFirst());
            }
        }
        for (int k = 0; k < jobs.size(); k++)
            dispatch(picks.get(k)[0], jobs.get(k));
    }

    /** The fastest backend with a free worker that has not just failed, else -1. */
    private int free(long now)
    {
        for (int i = 0; i < workers.length; i++)
        {
            if (busy[i] < workers[i] && now - downUntil[i] >= 0)
                return i;
        }
        return -1;
    }

    private void dispatch(int i, Job job)
    {
        sender.send(uris.get(i), job.intended(), job.tally(), status -> released(i, status));
    }
}
