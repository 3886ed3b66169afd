package io.backhand.node;

import java.lang.reflect.Method;
import java.util.List;

/**
 * One method of Jetty's that Backhand calls by name, because the webapp class loader hides the container's
 * {@code org.eclipse.jetty.*} classes: the class that declares it (as Jetty 12.1 names it), the method, its
 * number of parameters, and the figure or feature that is lost without it. {@link #ALL} is what a test
 * checks against the Jetty on the classpath, so that a Jetty upgrade that renames one fails a build rather
 * than a node's figures.
 */
public record JettyReach(String type, String method, int parameters, String figure)
{
    static final JettyReach CONTEXT_HANDLER = new JettyReach("org.eclipse.jetty.ee10.servlet.ServletContextHandler$ServletContextApi",
        "getContextHandler", 0, "the server behind the webapp (HTTP port, session worker name, requests in flight, graceful leave)");
    static final JettyReach SERVER = new JettyReach("org.eclipse.jetty.server.handler.ContextHandler", "getServer", 0,
        "the server behind the webapp (HTTP port, session worker name, requests in flight, graceful leave)");
    static final JettyReach MAX_THREADS = new JettyReach("org.eclipse.jetty.util.thread.QueuedThreadPool", "getMaxThreads", 0,
        "max workers (200 assumed)");
    static final JettyReach LEASED_THREADS = new JettyReach("org.eclipse.jetty.util.thread.QueuedThreadPool", "getLeasedThreads", 0,
        "threads leased to connectors (none assumed, so max workers counts them)");
    static final JettyReach UTILIZED_THREADS = new JettyReach("org.eclipse.jetty.util.thread.QueuedThreadPool", "getUtilizedThreads", 0,
        "busy workers (idle threads used instead)");
    static final JettyReach IDLE_THREADS = new JettyReach("org.eclipse.jetty.util.thread.QueuedThreadPool", "getIdleThreads", 0,
        "idle workers");
    static final JettyReach DESCENDANT = new JettyReach("org.eclipse.jetty.server.Server", "getDescendant", 1,
        "the server's StatisticsHandler (requests in flight counted in this context only)");
    static final JettyReach REQUESTS_ACTIVE = new JettyReach("org.eclipse.jetty.server.handler.StatisticsHandler", "getRequestsActive", 0,
        "the server's requests in flight (counted in this context only)");
    static final JettyReach REQUESTS = new JettyReach("org.eclipse.jetty.server.handler.StatisticsHandler", "getRequests", 0,
        "the server's arrivals (counted in this context only)");
    static final JettyReach BEAN = new JettyReach("org.eclipse.jetty.server.Server", "getBean", 1,
        "the session worker name (bySession cannot find this node's sessions)");
    static final JettyReach WORKER_NAME = new JettyReach("org.eclipse.jetty.session.SessionIdManager", "getWorkerName", 0,
        "the session worker name (bySession cannot find this node's sessions)");
    static final JettyReach CONNECTORS = new JettyReach("org.eclipse.jetty.server.Server", "getConnectors", 0,
        "the HTTP port (set backhand.contactPort)");
    static final JettyReach LOCAL_PORT = new JettyReach("org.eclipse.jetty.server.ServerConnector", "getLocalPort", 0,
        "the HTTP port (set backhand.contactPort)");
    static final JettyReach PROTOCOLS = new JettyReach("org.eclipse.jetty.server.ServerConnector", "getProtocols", 0,
        "whether a connector is TLS (the first one is taken)");
    static final JettyReach ADD_LISTENER = new JettyReach("org.eclipse.jetty.server.handler.ContextHandler", "addEventListener", 1,
        "graceful leave");
    static final JettyReach REMOVE_LISTENER = new JettyReach("org.eclipse.jetty.server.handler.ContextHandler", "removeEventListener", 1,
        "graceful leave (the hook stays until the server stops)");
    static final JettyReach STOPPING = new JettyReach("org.eclipse.jetty.util.component.LifeCycle$Listener", "lifeCycleStopping", 1,
        "graceful leave");

    public static final List<JettyReach> ALL = List.of(CONTEXT_HANDLER, SERVER, MAX_THREADS, LEASED_THREADS, UTILIZED_THREADS,
        IDLE_THREADS, DESCENDANT, REQUESTS_ACTIVE, REQUESTS, BEAN, WORKER_NAME, CONNECTORS, LOCAL_PORT, PROTOCOLS,
        ADD_LISTENER, REMOVE_LISTENER, STOPPING);

    /** Whether {@code target}'s class has this public method; false for a null target. */
    boolean on(Object target)
    {
        return target != null && find(target.getClass()) != null;
    }

    /** The public method of that name and parameter count, as the reflective call picks it, or null. */
    Method find(Class<?> type)
    {
        for (Method m : type.getMethods())
        {
            if (m.getName().equals(method) && m.getParameterCount() == parameters)
                return m;
        }
        return null;
    }
}
