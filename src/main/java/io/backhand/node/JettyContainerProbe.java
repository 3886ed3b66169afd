package io.backhand.node;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.backhand.stats.ContainerGauge;
import jakarta.servlet.ServletContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the hosting Jetty server's figures through reflection. The webapp class loader hides the container's
 * {@code org.eclipse.jetty.*} classes (and the WAR carries its own copies of some of them), so the container's
 * objects can only be reached through their own classes: the thread pool the context publishes as
 * {@code org.eclipse.jetty.server.Executor}, and the {@code Server} behind the servlet context.
 *
 * <p>Requests in flight come from the server's {@code StatisticsHandler} when one is installed (the
 * jetty-base enables the {@code statistics} module; the embedded launcher adds one). Without it they fall
 * back to what passes through this context, and the status page says so.</p>
 */
public final class JettyContainerProbe implements ContainerGauge
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.stats");

    private final Object threadPool;
    private final Object server;
    private final ContextTraffic traffic;
    private volatile Object statisticsHandler;
    private volatile boolean statisticsLookedUp;
    private volatile int port;
    private volatile boolean secure;
    private volatile String workerName;

    public JettyContainerProbe(ServletContext context, ContextTraffic traffic)
    {
        this.threadPool = context.getAttribute("org.eclipse.jetty.server.Executor");
        this.server = findServer(context);
        this.traffic = traffic;
        // The figures below fall back to a guess at every read; say so once, when the node starts.
        for (String figure : unavailable())
            LOG.warn("Backhand cannot read {} from the container; it announces the fallback instead", figure);
    }

    private static Object findServer(ServletContext context)
    {
        Object handler = call(context, JettyReach.CONTEXT_HANDLER);
        return handler == null ? null : call(handler, JettyReach.SERVER);
    }

    /** The figures this container does not give through the methods Backhand reaches by name. */
    public List<String> unavailable()
    {
        Set<String> out = new LinkedHashSet<>();
        if (threadPool == null)
            out.add("the thread pool (the context publishes no org.eclipse.jetty.server.Executor): max workers (200 assumed) and idle workers");
        else
        {
            for (JettyReach r : List.of(JettyReach.MAX_THREADS, JettyReach.LEASED_THREADS))
            {
                if (!r.on(threadPool))
                    out.add(r.figure() + " (" + r.method() + ")");
            }
            if (!JettyReach.UTILIZED_THREADS.on(threadPool) && !JettyReach.IDLE_THREADS.on(threadPool))
                out.add("idle workers (neither getUtilizedThreads nor getIdleThreads; 0 assumed)");
        }
        if (server == null)
            out.add(JettyReach.SERVER.figure());
        else
        {
            for (JettyReach r : List.of(JettyReach.DESCENDANT, JettyReach.BEAN, JettyReach.CONNECTORS))
            {
                if (!r.on(server))
                    out.add(r.figure() + " (" + r.method() + ")");
            }
        }
        return List.copyOf(out);
    }

    /** Calls a method of Jetty's by name; null when the target is null or the call fails (see {@link #unavailable}). */
    static Object call(Object target, JettyReach reach, Object... args)
    {
        if (target == null)
            return null;
        try
        {
            Method m = reach.find(target.getClass());
            if (m != null && args.length == reach.parameters())
                return m.invoke(target, args);
        }
        catch (ReflectiveOperationException | RuntimeException e)
        {
            LOG.debug("Could not call {} on {}", reach.method(), target.getClass().getName(), e);
        }
        return null;
    }

    private static int intCall(Object target, JettyReach method, int fallback)
    {
        Object v = call(target, method);
        return v instanceof Number n ? n.intValue() : fallback;
    }

    @Override
    public int maxWorkers()
    {
        int max = intCall(threadPool, JettyReach.MAX_THREADS, 200);
        return Math.max(1, max - intCall(threadPool, JettyReach.LEASED_THREADS, 0));
    }

    @Override
    public int idleWorkers()
    {
        int utilized = intCall(threadPool, JettyReach.UTILIZED_THREADS, -1);
        if (utilized < 0)
            return intCall(threadPool, JettyReach.IDLE_THREADS, 0);
        return Math.max(0, maxWorkers() - utilized);
    }

    @Override
    public int inFlight()
    {
        Object stats = statisticsHandler();
        if (stats != null)
        {
            int active = intCall(stats, JettyReach.REQUESTS_ACTIVE, -1);
            if (active >= 0)
                return active;
        }
        return traffic.inFlight();
    }

    @Override
    public boolean countsUpgraded()
    {
        Object stats = statisticsHandler();
        return stats != null && intCall(stats, JettyReach.REQUESTS_ACTIVE, -1) >= 0;
    }

    @Override
    public long requestsStarted()
    {
        Object stats = statisticsHandler();
        Object n = stats == null ? null : call(stats, JettyReach.REQUESTS);
        return n instanceof Number number ? number.longValue() : traffic.arrivals();
    }

    private Object statisticsHandler()
    {
        if (!statisticsLookedUp && server != null)
        {
            try
            {
                Class<?> type = server.getClass().getClassLoader().loadClass(JettyReach.REQUESTS_ACTIVE.type());
                statisticsHandler = call(server, JettyReach.DESCENDANT, type);
            }
            catch (ClassNotFoundException | RuntimeException e)
            {
                statisticsHandler = null;
            }
            statisticsLookedUp = true;
        }
        return statisticsHandler;
    }

    @Override
    public String workerName()
    {
        String w = workerName;
        if (w == null && server != null)
        {
            try
            {
                Class<?> type = server.getClass().getClassLoader().loadClass(JettyReach.WORKER_NAME.type());
                Object manager = call(server, JettyReach.BEAN, type);
                Object name = call(manager, JettyReach.WORKER_NAME);
                w = name instanceof String s ? s : "";
            }
            catch (ClassNotFoundException | RuntimeException e)
            {
                w = "";
            }
            workerName = w;
        }
        return w == null ? "" : w;
    }

    @Override
    public int httpPort()
    {
        int p = port;
        if (p == 0)
            p = discoverPort();
        return p;
    }

    private int discoverPort()
    {
        Object connectors = call(server, JettyReach.CONNECTORS);
        if (!(connectors instanceof Object[] array))
            return 0;
        // Prefer a clear-text connector: peers proxy over HTTP inside the cluster.
        int tls = 0;
        for (Object connector : array)
        {
            int p = intCall(connector, JettyReach.LOCAL_PORT, 0);
            if (p <= 0)
                continue;
            if (!isTls(connector))
            {
                port = p;
                secure = false;
                return p;
            }
            if (tls == 0)
                tls = p;
        }
        if (tls > 0)
        {
            port = tls;
            secure = true;
        }
        return tls;
    }

    private boolean isTls(Object connector)
    {
        Object protocols = call(connector, JettyReach.PROTOCOLS);
        return protocols instanceof Collection<?> c && c.stream().anyMatch(x -> String.valueOf(x).toLowerCase().startsWith("ssl"));
    }

    @Override
    public boolean secureAt(int contactPort)
    {
        if (call(server, JettyReach.CONNECTORS) instanceof Object[] connectors)
        {
            for (Object connector : connectors)
                if (intCall(connector, JettyReach.LOCAL_PORT, 0) == contactPort)
                    return isTls(connector);
        }
        return secure();
    }

    @Override
    public boolean secure()
    {
        httpPort();
        return secure;
    }

    @Override
    public String describe()
    {
        String pool = threadPool == null ? "no thread pool found" : threadPool.getClass().getSimpleName();
        String flight = statisticsHandler() != null ? "requests in flight from the server's StatisticsHandler"
            : "requests in flight counted in this context only (enable Jetty's statistics module for the whole server)";
        return "workers from " + pool + "; " + flight;
    }
}
