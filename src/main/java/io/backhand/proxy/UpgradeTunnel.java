package io.backhand.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.backhand.node.TunnelCounters;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open tunnel: after the node's {@code 101}, the client's upgraded connection (the container's
 * non-blocking streams) and the node's (an asynchronous socket channel) pass bytes to each other until either
 * side closes, fails, or nothing passes for the idle timeout; then both are closed. Every step is a callback:
 * an idle tunnel holds no thread. Each direction has at most one read or write outstanding, so a slow reader
 * slows its sender instead of filling the balancer's memory.
 *
 * <p>The container creates it (Servlet's upgrade API wants a class); {@link #attach} gives it the node side
 * before the container calls {@link #init}.</p>
 */
public final class UpgradeTunnel implements HttpUpgradeHandler
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.tunnel");
    private static final int BUFFER = 16 * 1024;

    private enum ToClient
    {
        /** A read from the node is outstanding. */
        READING,
        /** Bytes from the node wait to be written to the client. */
        WRITE,
        /** Written; the flush waits. */
        FLUSH,
        /** Flushed; the next read from the node waits for the flush to finish. */
        FLUSHED
    }

    private final AtomicBoolean closed = new AtomicBoolean();
    /** How the node ends this tunnel when it leaves: one side closed, as if the client had. */
    private final Runnable cut = () -> close(TunnelCounters.Ending.CLOSED, null);
    private final byte[] fromClient = new byte[BUFFER];
    private HttpServletRequest request;
    private AsynchronousSocketChannel node;
    private String label;
    private TunnelCounters counters;
    private ScheduledExecutorService timer;
    private long idleNanos;
    private volatile long lastActivity;
    private ScheduledFuture<?> idleCheck;

    private WebConnection client;
    private ServletInputStream in;
    private ServletOutputStream out;
    private ByteBuffer fromNode;
    private ToClient toClient;

    public UpgradeTunnel()
    {
        // created by the container
    }

    void attach(HttpServletRequest request, NodeHandshake.Answer answer, String label, TunnelCounters counters,
                ScheduledExecutorService timer, long idleTimeoutMillis)
    {
        this.request = request;
        this.node = answer.channel();
        this.label = label;
        this.counters = counters;
        this.timer = timer;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
        // Bytes the node sent right behind its 101 go to the client first.
        this.fromNode = answer.rest().hasRemaining() ? answer.rest() : ByteBuffer.allocate(BUFFER);
        this.toClient = answer.rest().hasRemaining() ? ToClient.WRITE : ToClient.FLUSHED;
    }

    @Override
    public void init(WebConnection connection)
    {
        client = connection;
        counters.opened(cut);
        lastActivity = System.nanoTime();
        LOG.debug("Tunnel open: {}", label);
        try
        {
            // The container's upgrade runs in an asynchronous cycle whose default timeout would end the tunnel;
            // the tunnel keeps its own idle timeout instead.
            if (request.isAsyncStarted())
                request.getAsyncContext().setTimeout(0);
            UpgradedInputFix.apply(request);
            in = connection.getInputStream();
            out = connection.getOutputStream();
            idleCheck = timer.schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
            out.setWriteListener(new ClientWriter());
            in.setReadListener(new ClientReader());
        }
        catch (IOException | RuntimeException e)
        {
            close(TunnelCounters.Ending.ERROR, e);
        }
    }

    @Override
    public void destroy()
    {
        close(TunnelCounters.Ending.CLOSED, null);
    }

    // ---- client to node: read while the client has bytes, one write to the node at a time

    private final class ClientReader implements ReadListener
    {
        @Override
        public void onDataAvailable()
        {
            pumpFromClient();
        }

        @Override
        public void onAllDataRead()
        {
            close(TunnelCounters.Ending.CLOSED, null);
        }

        @Override
        public void onError(Throwable t)
        {
            close(TunnelCounters.Ending.ERROR, t);
        }
    }

    private void pumpFromClient()
    {
        try
        {
            while (!closed.get() && in.isReady())
            {
                int n = in.read(fromClient);
                if (n < 0)
                {
                    close(TunnelCounters.Ending.CLOSED, null);
                    return;
                }
                if (n > 0)
                {
                    lastActivity = System.nanoTime();
                    writeToNode(ByteBuffer.wrap(fromClient, 0, n));
                    // The next read waits for this write: pumpFromClient runs again when it completes.
                    return;
                }
            }
        }
        catch (IOException | RuntimeException e)
        {
            close(closed.get() ? TunnelCounters.Ending.CLOSED : TunnelCounters.Ending.ERROR, e);
        }
    }

    private void writeToNode(ByteBuffer bytes)
    {
        node.write(bytes, bytes, new CompletionHandler<Integer, ByteBuffer>()
        {
            @Override
            public void completed(Integer written, ByteBuffer b)
            {
                if (b.hasRemaining())
                    node.write(b, b, this);
                else
                    pumpFromClient();
            }

            @Override
            public void failed(Throwable t, ByteBuffer b)
            {
                close(TunnelCounters.Ending.ERROR, t);
            }
        });
    }

    // ---- node to client: one read from the node at a time, each piece written and flushed before the next

    private final class ClientWriter implements WriteListener
    {
        @Override
        public void onWritePossible()
        {
            pumpToClient();
        }

        @Override
        public void onError(Throwable t)
        {
            close(TunnelCounters.Ending.ERROR, t);
        }
    }

    private void pumpToClient()
    {
        try
        {
            synchronized (this)
            {
                if (closed.get() || toClient == ToClient.READING)
                    return;
                if (toClient == ToClient.WRITE)
                {
                    if (!out.isReady())
                        return;
                    out.write(fromNode.array(), fromNode.arrayOffset() + fromNode.position(), fromNode.remaining());
                    toClient = ToClient.FLUSH;
                }
                if (toClient == ToClient.FLUSH)
                {
                    if (!out.isReady())
                        return;
                    out.flush();
                    toClient = ToClient.FLUSHED;
                }
                if (!out.isReady())
                    return;
                toClient = ToClient.READING;
            }
            readFromNode();
        }
        catch (IOException | RuntimeException e)
        {
            close(closed.get() ? TunnelCounters.Ending.CLOSED : TunnelCounters.Ending.ERROR, e);
        }
    }

    private void readFromNode()
    {
        if (fromNode.capacity() < BUFFER)
            fromNode = ByteBuffer.allocate(BUFFER);
        fromNode.clear();
        node.read(fromNode, null, new CompletionHandler<Integer, Void>()
        {
            @Override
            public void completed(Integer n, Void nothing)
            {
                if (n < 0)
                {
                    close(TunnelCounters.Ending.CLOSED, null);
                    return;
                }
                lastActivity = System.nanoTime();
                fromNode.flip();
                synchronized (UpgradeTunnel.this)
                {
                    toClient = ToClient.WRITE;
                }
                pumpToClient();
            }

            @Override
            public void failed(Throwable t, Void nothing)
            {
                close(TunnelCounters.Ending.ERROR, t);
            }
        });
    }

    // ---- ending

    private void checkIdle()
    {
        if (closed.get())
            return;
        long quiet = System.nanoTime() - lastActivity;
        if (quiet >= idleNanos)
        {
            LOG.debug("Tunnel idle for {} ms: {}", TimeUnit.NANOSECONDS.toMillis(quiet), label);
            close(TunnelCounters.Ending.IDLE, null);
        }
        else
        {
            idleCheck = timer.schedule(this::checkIdle, idleNanos - quiet, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes both sides, once; the first reason to end is the one counted. */
    private void close(TunnelCounters.Ending ending, Throwable cause)
    {
        if (!closed.compareAndSet(false, true))
            return;
        if (counters != null && client != null)
            counters.closed(cut, ending);
        if (ending == TunnelCounters.Ending.ERROR)
            LOG.debug("Tunnel failed: {}: {}", label, cause == null ? "" : NodeHandshake.describe(cause));
        else
            LOG.debug("Tunnel closed ({}): {}", ending, label);
        ScheduledFuture<?> check = idleCheck;
        if (check != null)
            check.cancel(false);
        try
        {
            if (node != null)
                node.close();
        }
        catch (IOException ignored)
        {
            // the node side is gone either way
        }
        try
        {
            if (client != null)
                client.close();
        }
        catch (Exception ignored)
        {
            // the client side is gone either way
        }
    }
}
