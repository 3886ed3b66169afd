package io.backhand.node;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's upgrade tunnels (WebSocket and other protocol upgrades passed through to the node that serves
 * them): how many are open, how many were opened, and how they ended when they did not end cleanly. A tunnel
 * that either side closes counts only as opened; one cut by an I/O error on either side is also closed by
 * error, one that carried nothing for the idle timeout also closed idle. Node answers other than {@code 101}
 * are refused, and never opened.
 *
 * <p>It also holds a way to end each open tunnel: a tunnel has no end of its own, so a node that leaves must
 * cut them ({@link #cutAll}) rather than wait for them, or every stop would take the whole leave grace and
 * then Jetty's stop timeout.</p>
 */
public final class TunnelCounters
{
    private final LongAdder opened = new LongAdder();
    private final LongAdder closedByError = new LongAdder();
    private final LongAdder closedIdle = new LongAdder();
    private final LongAdder refused = new LongAdder();
    /** The open tunnels, each as the action that cuts it. */
    private final Set<Runnable> openTunnels = ConcurrentHashMap.newKeySet();

    /** A tunnel opened; {@code cut} ends it (both sides closed) when the node leaves. */
    public void opened(Runnable cut)
    {
        opened.increment();
        openTunnels.add(cut);
    }

    public void closed(Runnable cut, Ending ending)
    {
        openTunnels.remove(cut);
        switch (ending)
        {
            case ERROR -> closedByError.increment();
            case IDLE -> closedIdle.increment();
            case CLOSED -> { }
        }
    }

    public void refused()
    {
        refused.increment();
    }

    public int open()
    {
        return openTunnels.size();
    }

    public long openedTotal()
    {
        return opened.sum();
    }

    public long closedByError()
    {
        return closedByError.sum();
    }

    public long closedIdle()
    {
        return closedIdle.sum();
    }

    public long refusedTotal()
    {
        return refused.sum();
    }

    /** Ends every open tunnel; their clients see the connection end, and reconnect through another balancer. */
    public int cutAll()
    {
        int cut = 0;
        for (Runnable c : openTunnels)
        {
            c.run();
            cut++;
        }
        return cut;
    }

    /** How a tunnel ended. */
    public enum Ending
    {
        /** One side closed its connection. */
        CLOSED,
        /** A read or write on either side failed. */
        ERROR,
        /** Nothing passed either way for the idle timeout. */
        IDLE
    }
}
