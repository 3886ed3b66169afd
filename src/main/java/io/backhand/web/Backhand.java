package io.backhand.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.backhand.cluster.StatsService;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

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
    private final ContextTraffic traffic;
    private final ProxyTally tally;
    private final JmxBeans jmx = new JmxBeans();
    private final String version;
    private final Set<String> statusServlets = ConcurrentHashMap.newKeySet();

    Backhand(NodeSettings settings, StatsService stats, ContextTraffic traffic, ProxyTally tally, String version)
    {
        this.tally = tally;
        this.settings = settings;
        this.stats = stats;
        this.traffic = traffic;
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

    private volatile GracefulLeave leave;

    GracefulLeave leave()
    {
        return leave;
    }

    void leave(GracefulLeave l)
    {
        leave = l;
    }

    ContextTraffic traffic()
    {
        return traffic;
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
    boolean isStatusRequest(HttpServletRequest request)
    {
        var mapping = request.getHttpServletMapping();
        return mapping != null && statusServlets.contains(mapping.getServletName());
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
