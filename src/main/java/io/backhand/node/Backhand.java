package io.backhand.node;

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
public final class Backhand
{
    public static final String ATTRIBUTE = Backhand.class.getName();

    private final NodeSettings settings;
    private final StatsService stats;
    private final ProxyMarker marker;
    private final Map<String, FilterSetup> filters = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ContextTraffic traffic;
    private final ProxyTally tally;
    private final TunnelCounters tunnels = new TunnelCounters();
    private final String version;
    private final Set<String> statusServlets = ConcurrentHashMap.newKeySet();

    public Backhand(NodeSettings settings, StatsService stats, ContextTraffic traffic, ProxyTally tally, String version)
    {
        this.tally = tally;
        this.settings = settings;
        this.stats = stats;
        this.traffic = traffic;
        this.version = version;
        this.marker = new ProxyMarker(settings.nodeName(), settings.stats().secret(), settings.stats().acceptStats());
    }

    public static Backhand of(ServletContext context) throws ServletException
    {
        Object b = context.getAttribute(ATTRIBUTE);
        if (b instanceof Backhand backhand)
            return backhand;
        throw new ServletException("Backhand is not running in this context: declare <listener><listener-class>"
            + "io.backhand.web.BackhandContextListener" + "</listener-class></listener> in web.xml");
    }

    public NodeSettings settings()
    {
        return settings;
    }

    public StatsService stats()
    {
        return stats;
    }

    public ProxyMarker marker()
    {
        return marker;
    }

    public Map<String, FilterSetup> filters()
    {
        synchronized (filters)
        {
            return Map.copyOf(filters);
        }
    }

    public FilterSetup filter(String name)
    {
        return filters.get(name);
    }

    public void addFilter(FilterSetup setup)
    {
        filters.put(setup.filterName(), setup);
    }


    public ContextTraffic traffic()
    {
        return traffic;
    }

    public String version()
    {
        return version;
    }

    public void addStatusServlet(String name)
    {
        statusServlets.add(name);
    }

    /** Requests for the status page are never balanced: each node shows its own view. */
    public boolean isStatusRequest(HttpServletRequest request)
    {
        var mapping = request.getHttpServletMapping();
        return mapping != null && statusServlets.contains(mapping.getServletName());
    }

    public ProxyTally tally()
    {
        return tally;
    }

    /** The upgrade tunnels of every filter of this node. */
    public TunnelCounters tunnels()
    {
        return tunnels;
    }
}
