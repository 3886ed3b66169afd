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
        for (int i = 0; i < spec.streams().size(); i++)
        {
            StreamSpec s = spec.streams().get(i);
            StreamTally tally = new StreamTally();
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
            results.add(tallies.get(i).result(spec.streams().get(i).label(), window, unanswered));
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
            }
            String uri = s.uris().get(next);
            next = (next + 1) % s.uris().size();
            send(uri, intended, measured ? tally : null, null);
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
        send(uri, start, measured ? tally : null, () -> sendClosed(s, tally, turn));
    }

    private void send(String uri, long intended, StreamTally tally, Runnable then)
    {
        outstanding.incrementAndGet();
        client.newRequest(uri).timeout(spec.timeoutMillis(), TimeUnit.MILLISECONDS).send(result ->
        {
            long done = System.nanoTime();
            try
            {
                if (tally != null && done <= measureUntil + TimeUnit.MILLISECONDS.toNanos(spec.timeoutMillis()))
                    record(tally, result, intended, done);
            }
            finally
            {
                outstanding.decrementAndGet();
            }
            if (then != null)
                then.run();
        });
    }

    private static void record(StreamTally tally, Result result, long intended, long done)
    {
        if (result.isFailed())
        {
            Throwable f = result.getFailure();
            tally.error(f == null ? "failure" : f.getClass().getSimpleName());
            return;
        }
        int status = result.getResponse().getStatus();
        if (status / 100 != 2)
        {
            tally.error("http_" + status);
            return;
        }
        tally.ok.increment();
        tally.latency.recordValue(Math.max(0, (done - intended) / 1000));
        tally.served(result.getResponse().getHeaders().get("X-Served-By"));
    }
}
