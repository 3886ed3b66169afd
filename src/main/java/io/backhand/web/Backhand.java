package io.backhand.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.backhand.cluster.StatsService;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/**
 * The running Backhand of one web context: its settings, its stats plane, the filters declared in it, and
 * the counters they share. The context listener creates it and publishes it as a context attribute; filters
 * and servlets look it up once, at init.
 */
final class Backhand
{
    static final String ATTRIBUTE = Backhand.class.getName();

    private final NodeSettings settings;
    private final StatsService stats;
    private final ProxyMarker marker;
    private final Map<String, FilterSetup> filters = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicInteger contextInFlight;
    private final ProxyTally tally;
    private final JmxBeans jmx = new JmxBeans();
    private final String version;
    private final java.util.Set<String> statusServlets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final boolean adminEnabled;
    private volatile long slowStartNanos;
    private final io.backhand.cluster.AcceptStats adminAccess;

    Backhand(NodeSettings settings, StatsService stats, AtomicInteger contextInFlight, ProxyTally tally, String version,
             boolean adminEnabled, io.backhand.cluster.AcceptStats adminAccess)
    {
        this.adminEnabled = adminEnabled;
        this.adminAccess = adminAccess;
        this.tally = tally;
        this.settings = settings;
        this.stats = stats;
        this.contextInFlight = contextInFlight;
        this.version = version;
        this.marker = new ProxyMarker(settings.nodeName(), settings.stats().secret(), settings.stats().acceptStats());
    }

    static Backhand of(ServletContext context) throws ServletException
    {
        Object b = context.getAttribute(ATTRIBUTE);
        if (b instanceof Backhand backhand)
            return backhand;
        throw new ServletException("Backhand is not running in this context: declare <listener><listener-class>"
            + BackhandContextListener.class.getName() + "</listener-class></listener> in web.xml");
    }

    NodeSettings settings()
    {
        return settings;
    }

    StatsService stats()
    {
        return stats;
    }

    ProxyMarker marker()
    {
        return marker;
    }

    Map<String, FilterSetup> filters()
    {
        synchronized (filters)
        {
            return Map.copyOf(filters);
        }
    }

    FilterSetup filter(String name)
    {
        return filters.get(name);
    }

    void addFilter(FilterSetup setup)
    {
        filters.put(setup.filterName(), setup);
    }

    private volatile long lastRequestNanos = System.nanoTime() - 3_600_000_000_000L;

    /** A request entered a Backhand filter: counted until it completes, asynchronous work included. */
    void requestArrived()
    {
        lastRequestNanos = System.nanoTime();
        contextInFlight.incrementAndGet();
    }

    void requestLeft(jakarta.servlet.http.HttpServletRequest request)
    {
        if (!request.isAsyncStarted())
        {
            contextInFlight.decrementAndGet();
            return;
        }
        request.getAsyncContext().addListener(new jakarta.servlet.AsyncListener()
        {
            private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

            private void end()
            {
                if (done.compareAndSet(false, true))
                    contextInFlight.decrementAndGet();
            }

            @Override
            public void onComplete(jakarta.servlet.AsyncEvent event)
            {
                end();
            }

            @Override
            public void onTimeout(jakarta.servlet.AsyncEvent event)
            {
                end();
            }

            @Override
            public void onError(jakarta.servlet.AsyncEvent event)
            {
                end();
            }

            @Override
            public void onStartAsync(jakarta.servlet.AsyncEvent event)
            {
                // Still the same request.
            }
        });
    }

    private volatile GracefulLeave leave;

    GracefulLeave leave()
    {
        return leave;
    }

    void leave(GracefulLeave l)
    {
        leave = l;
    }

    long lastRequestNanos()
    {
        return lastRequestNanos;
    }

    AtomicInteger contextInFlight()
    {
        return contextInFlight;
    }

    String version()
    {
        return version;
    }

    void addStatusServlet(String name)
    {
        statusServlets.add(name);
    }

    /** Requests for the status page are never balanced: each node shows its own view. */
    boolean isStatusRequest(jakarta.servlet.http.HttpServletRequest request)
    {
        var mapping = request.getHttpServletMapping();
        return mapping != null && statusServlets.contains(mapping.getServletName());
    }

    /** Whether POST drain/ready are enabled (backhand.admin). */
    boolean adminEnabled()
    {
        return adminEnabled;
    }

    long slowStartNanos()
    {
        return slowStartNanos;
    }

    void slowStartNanos(long nanos)
    {
        slowStartNanos = nanos;
    }

    /** Who may drain without the secret: loopback, or a narrower range. */
    io.backhand.cluster.AcceptStats adminAccess()
    {
        return adminAccess;
    }

    JmxBeans jmx()
    {
        return jmx;
    }

    ProxyTally tally()
    {
        return tally;
    }
}
