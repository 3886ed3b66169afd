package io.backhand.node;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;

import io.backhand.stats.ContainerGauge;
import io.backhand.stats.NodeState;
import jakarta.servlet.ServletContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A graceful leave: when the webapp (or the whole server) begins to stop, this node announces at once that it
 * is leaving, so that peers stop choosing it, and then keeps serving until the requests already sent its way
 * have arrived and finished: until no request has started for a quiet moment and none is running on the
 * server (Jetty's StatisticsHandler; without it, those through Backhand's filters), bounded by
 * {@code backhand.leaveGrace}. Open upgrade tunnels are not waited for, since they have no end of their own:
 * they are cut when the wait ends. Only then does Jetty go on to stop the webapp.
 *
 * <p>The servlet API only says when a webapp has already stopped serving (contextDestroyed), which is too late:
 * requests a balancer sent in the meantime would meet a 404. So this hooks Jetty's own lifecycle "stopping"
 * event, through the container's classes by reflection, since the webapp class loader hides them.</p>
 */
public final class GracefulLeave
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.stats");
    private static final long QUIET_NANOS = 300_000_000L;

    private final Backhand backhand;
    private final Duration grace;
    private final List<Object[]> hooked = new ArrayList<>();
    private volatile boolean leaving;

    private GracefulLeave(Backhand backhand, Duration grace)
    {
        this.backhand = backhand;
        this.grace = grace;
    }

    /** Hooks the stopping of the context and of its server; without Jetty underneath, does nothing. */
    public static GracefulLeave install(ServletContext context, Backhand backhand, Duration grace)
    {
        GracefulLeave leave = new GracefulLeave(backhand, grace);
        Object handler = JettyContainerProbe.call(context, JettyReach.CONTEXT_HANDLER);
        Object server = JettyContainerProbe.call(handler, JettyReach.SERVER);
        if (handler == null && server == null)
            LOG.warn("Graceful leave is not available (the servlet context does not lead to Jetty's context handler "
                + "through {}); peers will drop this node when it stops, but requests sent to it meanwhile may fail",
                JettyReach.CONTEXT_HANDLER.method());
        for (Object lifeCycle : new Object[] {handler, server})
        {
            if (lifeCycle != null)
                leave.hook(lifeCycle);
        }
        return leave;
    }

    private void hook(Object lifeCycle)
    {
        try
        {
            ClassLoader loader = lifeCycle.getClass().getClassLoader();
            Class<?> listenerType = Class.forName(JettyReach.STOPPING.type(), false, loader);
            Object listener = Proxy.newProxyInstance(loader, new Class<?>[] {listenerType}, new Handler());
            Method add = lifeCycle.getClass().getMethod(JettyReach.ADD_LISTENER.method(), EventListener.class);
            add.invoke(lifeCycle, listener);
            hooked.add(new Object[] {lifeCycle, listener});
        }
        catch (ReflectiveOperationException | RuntimeException | LinkageError e)
        {
            LOG.warn("Graceful leave is not available ({}); peers will drop this node when it stops, but requests "
                + "sent to it meanwhile may fail", e.toString());
        }
    }

    /** Removes the hooks, once the context has stopped. */
    public void uninstall()
    {
        for (Object[] h : hooked)
        {
            try
            {
                h[0].getClass().getMethod(JettyReach.REMOVE_LISTENER.method(), EventListener.class).invoke(h[0], h[1]);
            }
            catch (ReflectiveOperationException | RuntimeException e)
            {
                LOG.debug("Could not remove the leave hook", e);
            }
        }
        hooked.clear();
    }

    /** Announces leaving and waits, within the grace period, for the requests already on their way. */
    public void leave()
    {
        if (leaving)
            return;
        leaving = true;
        long start = System.nanoTime();
        backhand.stats().setState(NodeState.LEAVING);
        long deadline = start + grace.toNanos();
        ContainerGauge server = backhand.stats().sampler().container();
        long seen = server.requestsStarted();
        long lastArrival = start;
        while (System.nanoTime() < deadline)
        {
            long now = System.nanoTime();
            long count = server.requestsStarted();
            if (count != seen)
            {
                seen = count;
                lastArrival = now;
            }
            if (now - lastArrival > QUIET_NANOS && running(server) <= 0)
                break;
            try
            {
                Thread.sleep(20);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int running = running(server);
        int cut = backhand.tunnels().cutAll();
        LOG.info("Node {} announced that it is leaving and let its requests finish for {} ms ({} still running, {} "
            + "tunnel(s) cut)", backhand.settings().nodeName(), (System.nanoTime() - start) / 1_000_000, running, cut);
    }

    /**
     * The requests worth waiting for. Open tunnels are requests too where the server counts them, but with no end
     * of their own: they are cut when the wait ends, not waited for.
     */
    private int running(ContainerGauge server)
    {
        return Math.max(0, server.inFlight() - (server.countsUpgraded() ? backhand.tunnels().open() : 0));
    }

    private final class Handler implements InvocationHandler
    {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args)
        {
            switch (method.getName())
            {
                case "lifeCycleStopping" -> leave(); // JettyReach.STOPPING
                case "equals" ->
                {
                    return proxy == args[0];
                }
                case "hashCode" ->
                {
                    return System.identityHashCode(proxy);
                }
                case "toString" ->
                {
                    return "Backhand graceful leave of " + backhand.settings().nodeName();
                }
                default -> { }
            }
            return null;
        }
    }
}
