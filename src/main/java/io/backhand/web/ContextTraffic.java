package io.backhand.web;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The requests passing through this context's Backhand filters: how many are running (asynchronous ones until
 * they complete) and when the last one arrived. A graceful leave waits on them, and they stand in for the
 * server's own figures when Jetty's StatisticsHandler is missing.
 */
final class ContextTraffic
{
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastArrivalNanos = System.nanoTime() - 3_600_000_000_000L;

    void arrived()
    {
        lastArrivalNanos = System.nanoTime();
        inFlight.incrementAndGet();
    }

    /** Called when the filter returns; a request that went asynchronous is counted until it completes. */
    void left(HttpServletRequest request)
    {
        if (!request.isAsyncStarted())
        {
            inFlight.decrementAndGet();
            return;
        }
        request.getAsyncContext().addListener(new AsyncListener()
        {
            private final AtomicBoolean done = new AtomicBoolean();

            private void end()
            {
                if (done.compareAndSet(false, true))
                    inFlight.decrementAndGet();
            }

            @Override
            public void onComplete(AsyncEvent event)
            {
                end();
            }

            @Override
            public void onTimeout(AsyncEvent event)
            {
                end();
            }

            @Override
            public void onError(AsyncEvent event)
            {
                end();
            }

            @Override
            public void onStartAsync(AsyncEvent event)
            {
                // The same request, still running.
            }
        });
    }

    int inFlight()
    {
        return inFlight.get();
    }

    long lastArrivalNanos()
    {
        return lastArrivalNanos;
    }
}
