package io.backhand.bench.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A backend of the benchmark: {@code /work} is served by a fixed number of workers with a FIFO queue in front
 * (the way an application with a bounded worker pool behaves), each request taking an exponentially
 * distributed service time whose mean is the base mean times this node's slowdown; {@code /small} answers a
 * fixed small body at once, for the proxy-overhead scenario.
 *
 * <p>Service time is waited, not computed: all nodes share this machine's two cores, so burning CPU would make
 * every node slow whenever any node is busy, and the slowdown factor is what must tell them apart. Requests wait
 * asynchronously, so that Jetty's own threads never limit the concurrency; only the workers do.</p>
 */
public final class WorkServlet extends HttpServlet
{
    private static final long serialVersionUID = 1L;
    private static final byte[] SMALL = ("0123456789abcdef".repeat(8)).getBytes(StandardCharsets.US_ASCII);

    private final String node;
    private final int workers;
    private final double baseMeanNanos;
    private volatile double meanNanos;
    private volatile boolean failing;
    private final transient ScheduledExecutorService timer;
    private final transient ArrayDeque<AsyncContext> queue = new ArrayDeque<>();
    private final transient WorkGauge gauge;
    private int busy;

    public WorkServlet(String node, int workers, double meanMillis, double slowdown, ScheduledExecutorService timer)
    {
        this.node = node;
        this.workers = workers;
        this.baseMeanNanos = meanMillis * 1e6;
        this.meanNanos = baseMeanNanos * slowdown;
        this.timer = timer;
        this.gauge = new WorkGauge(workers);
    }

    /** From now on, service times are the base mean times {@code factor} (requests already running keep theirs). */
    public void slowdown(double factor)
    {
        meanNanos = baseMeanNanos * factor;
    }

    /**
     * While on, {@code /work} answers 503 at once, as an application whose database has gone away does: the
     * node stays up, announces, and looks idle and very fast.
     */
    public void failing(boolean on)
    {
        failing = on;
    }

    public WorkGauge gauge()
    {
        return gauge;
    }

    public int workers()
    {
        return workers;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        String path = request.getRequestURI();
        if (path.startsWith("/small"))
        {
            gauge.served();
            answer(response, SMALL);
            return;
        }
        if (!path.startsWith("/work"))
        {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (failing)
        {
            response.setHeader("X-Served-By", node);
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        boolean start;
        synchronized (this)
        {
            start = busy < workers;
            if (start)
                busy++;
            else
                queue.addLast(async);
            gauge.update(busy, queue.size());
        }
        if (start)
            begin(async);
    }

    /**
     * Answers 503 to every request still waiting for a worker and returns how many. Between trials: a balancer
     * that overloaded a node leaves a queue that would take minutes to serve (its clients gave up long ago), and
     * the next balancer must not inherit it.
     */
    public int drain()
    {
        java.util.List<AsyncContext> dropped;
        synchronized (this)
        {
            dropped = new java.util.ArrayList<>(queue);
            queue.clear();
            gauge.update(busy, 0);
        }
        for (AsyncContext async : dropped)
        {
            try
            {
                ((HttpServletResponse) async.getResponse()).setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            }
            catch (RuntimeException e)
            {
                // the client is gone; completing is all that is left
            }
            finally
            {
                async.complete();
            }
        }
        return dropped.size();
    }

    private void begin(AsyncContext async)
    {
        double u = ThreadLocalRandom.current().nextDouble();
        long serviceNanos = Math.round(-Math.log(1.0 - u) * meanNanos);
        timer.schedule(() -> finish(async), serviceNanos, TimeUnit.NANOSECONDS);
    }

    private void finish(AsyncContext async)
    {
        try
        {
            answer((HttpServletResponse) async.getResponse(), SMALL);
        }
        catch (IOException | RuntimeException e)
        {
            // The client went away; the worker is free all the same.
        }
        finally
        {
            async.complete();
        }
        gauge.served();
        AsyncContext next;
        synchronized (this)
        {
            next = queue.pollFirst();
            if (next == null)
                busy--;
            gauge.update(busy, queue.size());
        }
        if (next != null)
            begin(next);
    }

    private void answer(HttpServletResponse response, byte[] body) throws IOException
    {
        response.setHeader("X-Served-By", node);
        response.setContentType("text/plain");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
