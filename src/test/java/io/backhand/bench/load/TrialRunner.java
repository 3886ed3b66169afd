package io.backhand.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;

/**
 * Runs one {@link LoadSpec}: open loop (requests leave at their intended times whatever the answers do, and
 * each latency counts from the intended time, so a stalled server cannot hide its stall by slowing the
 * client down: coordinated omission corrected), or closed loop (a fixed number of requests outstanding, for
 * maximum throughput).
 */
final class TrialRunner
{
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(LoadAgent.LATE_MILLIS);

    private final HttpClient client;
    private final LoadSpec spec;
    private final AtomicInteger outstanding = new AtomicInteger();
    private long measureFrom;
    private long measureUntil;
    private long windowFrom;
    private long windowUntil;
    private long bucketNanos;
    private Oracle oracle;

    TrialRunner(HttpClient client, LoadSpec spec)
    {
        this.client = client;
        this.spec = spec;
    }

    List<StreamResult> run() throws InterruptedException
    {
        List<StreamTally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long origin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        measureFrom = origin + TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis());
        measureUntil = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.durationMillis());
        windowFrom = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.windowFromMillis());
        windowUntil = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.windowToMillis());
        bucketNanos = TimeUnit.MILLISECONDS.toNanos(spec.timelineMillis());
        for (StreamSpec s : spec.streams())
        {
            if (s.workers() != null && oracle == null)
                oracle = new Oracle(s.uris(), s.workers(), s.serviceMillis(), (uri, intended, tally, then) -> send(uri, intended, tally, then));
        }
        for (int i = 0; i < spec.streams().size(); i++)
        {
            StreamSpec s = spec.streams().get(i);
            StreamTally tally = new StreamTally(spec.hasWindow(), bucketNanos > 0);
            tallies.add(tally);
            long seed = spec.seed() * 31 + i;
            Runnable body = spec.closedLoop() ? () -> closedLoop(s, tally, origin) : () -> openLoop(s, tally, origin, seed);
            Thread t = new Thread(body, "load-" + s.label());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads)
            t.join();
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(spec.timeoutMillis() + 1000);
        while (outstanding.get() > 0 && System.nanoTime() < giveUp)
            Thread.sleep(5);
        List<StreamResult> results = new ArrayList<>();
        long window = measureUntil - measureFrom;
        for (int i = 0; i < tallies.size(); i++)
        {
            // Anything still outstanding now was past its timeout: an error of its stream (split evenly is
            // impossible to know, so it is charged to the first stream, which is the balanced one).
            long unanswered = i == 0 ? outstanding.get() : 0;
            int buckets = bucketNanos > 0 ? (int) ((window + bucketNanos - 1) / bucketNanos) : 0;
            results.add(tallies.get(i).result(spec.streams().get(i).label(), window, unanswered, windowUntil - windowFrom, buckets));
        }
        return results;
    }

    private void openLoop(StreamSpec s, StreamTally tally, long origin, long seed)
    {
        Arrivals arrivals = new Arrivals(s.rate(), s.poisson(), seed);
        long intended = origin;
        int next = 0;
        while (true)
        {
            intended += arrivals.nextGapNanos();
            if (intended >= measureUntil)
                return;
            long now;
            while ((now = System.nanoTime()) < intended)
                LockSupport.parkNanos(intended - now);
            if (now > measureUntil + LATE_NANOS * 500)
            {
                // So far behind that the trial would overrun by more than a second: the generator cannot keep
                // this rate on its CPU. What was not sent counts as late, so the result says so.
                for (; intended < measureUntil; intended += arrivals.nextGapNanos())
                {
                    if (intended >= measureFrom)
                    {
                        tally.sent.increment();
                        tally.late.increment();
                        tally.error("not sent (generator behind)");
                        if (inWindow(intended))
                        {
                            tally.window.sent.increment();
                            tally.window.late.increment();
                            tally.window.error("not sent (generator behind)");
                        }
                    }
                }
                return;
            }
            boolean measured = intended >= measureFrom;
            if (measured)
            {
                tally.sent.increment();
                if (now - intended > LATE_NANOS)
                    tally.late.increment();
                if (inWindow(intended))
                {
                    tally.window.sent.increment();
                    if (now - intended > LATE_NANOS)
                        tally.window.late.increment();
                }
            }
            if (s.workers() != null)
            {
                oracle.submit(intended, measured ? tally : null);
                continue;
            }
            String uri = s.uris().get(next);
            next = (next + 1) % s.uris().size();
            int backend = oracle == null ? -1 : oracle.backendOf(uri);
            if (backend >= 0)
            {
                // Sent straight to a backend: the oracle sees it occupy a worker there, as it would in reality.
                oracle.occupied(backend);
                send(uri, intended, measured ? tally : null, status -> oracle.released(backend, status));
            }
            else
            {
                send(uri, intended, measured ? tally : null, null);
            }
        }
    }

    private void closedLoop(StreamSpec s, StreamTally tally, long origin)
    {
        long now;
        while ((now = System.nanoTime()) < origin)
            LockSupport.parkNanos(origin - now);
        AtomicLong turn = new AtomicLong();
        for (int c = 0; c < s.connections(); c++)
            sendClosed(s, tally, turn);
    }

    private void sendClosed(StreamSpec s, StreamTally tally, AtomicLong turn)
    {
        long start = System.nanoTime();
        if (start >= measureUntil)
            return;
        boolean measured = start >= measureFrom;
        if (measured)
            tally.sent.increment();
        String uri = s.uris().get((int) (turn.getAndIncrement() % s.uris().size()));
        send(uri, start, measured ? tally : null, status -> sendClosed(s, tally, turn));
    }

    private boolean inWindow(long intended)
    {
        return intended >= windowFrom && intended < windowUntil;
    }

    private void send(String uri, long intended, StreamTally tally, java.util.function.IntConsumer then)
    {
        outstanding.incrementAndGet();
        client.newRequest(uri).timeout(spec.timeoutMillis(), TimeUnit.MILLISECONDS).send(result ->
        {
            long done = System.nanoTime();
            try
            {
                if (tally != null && done <= measureUntil + TimeUnit.MILLISECONDS.toNanos(spec.timeoutMillis()))
                {
                    String outcome = record(tally, result, intended, done);
                    if (tally.window != null && inWindow(intended))
                        record(tally.window, result, intended, done);
                    if (tally.timeline != null)
                        tally.onTimeline((int) ((intended - measureFrom) / bucketNanos), outcome);
                }
            }
            finally
            {
                outstanding.decrementAndGet();
            }
            if (then != null)
                then.accept(result.isFailed() || result.getResponse() == null ? 0 : result.getResponse().getStatus());
        });
    }

    /** Counts one outcome; returns its timeline key: the backend that answered, or {@link StreamResult#ERRORS}. */
    private static String record(StreamTally tally, Result result, long intended, long done)
    {
        if (result.isFailed())
        {
            Throwable f = result.getFailure();
            tally.error(f == null ? "failure" : f.getClass().getSimpleName());
            return StreamResult.ERRORS;
        }
        int status = result.getResponse().getStatus();
        if (status / 100 != 2)
        {
            tally.error("http_" + status);
            return StreamResult.ERRORS;
        }
        tally.ok.increment();
        tally.latency.recordValue(Math.max(0, (done - intended) / 1000));
        String node = result.getResponse().getHeaders().get("X-Served-By");
        tally.served(node);
        return node == null ? "?" : node;
    }
}
