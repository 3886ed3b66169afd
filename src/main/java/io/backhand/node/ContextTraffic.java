package io.backhand.node;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The requests passing through this context's Backhand filters: how many are running (asynchronous ones until
 * they complete) and how many have arrived. A graceful leave waits on them, and they stand in for the
 * server's own figures when Jetty's StatisticsHandler is missing.
 */
public final class ContextTraffic
{
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder arrivals = new LongAdder();

    public void arrived()
    {
        arrivals.increment();
        inFlight.incrementAndGet();
    }

    /** Called when the filter returns; a request that went asynchronous is counted until it completes. */
    public void left(HttpServletRequest request)
    {
        if (!request.isAsyncStarted())
        {
            inFlight.decrementAndGet();
            return;
        }
        AsyncContext async;
        try
        {
            async = request.getAsyncContext();
        }
        catch (IllegalStateException upgrading)
        {
            // An upgraded connection (a tunnel) reports itself asynchronous but has no context to listen to: the
            // request is over, and the tunnel is counted apart, so that a graceful leave does not wait for it.
            inFlight.decrementAndGet();
            return;
        }
        async.addListener(new AsyncListener()
        {
            // The container completes every asynchronous request, after a timeout or an error too
            // (Servlet 6.0, 2.3.3.3): onComplete is called exactly once.
            @Override
            public void onComplete(AsyncEvent event)
            {
                inFlight.decrementAndGet();
            }

            @Override
            public void onTimeout(AsyncEvent event)
            {
            }

            @Override
            public void onError(AsyncEvent event)
            {
            }

            @Override
            public void onStartAsync(AsyncEvent event)
            {
                // The same request, still running, in a new cycle (a buffered body, then the proxy): a listener
                // hears of the new cycle only if it registers again.
                event.getAsyncContext().addListener(this);
            }
        });
    }

    int inFlight()
    {
        return inFlight.get();
    }

    long arrivals()
    {
        return arrivals.sum();
    }
}
