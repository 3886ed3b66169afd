package io.backhand.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Reads one request's body with the servlet's non-blocking reads, so that a client sending slowly holds no
 * thread while it does: the container calls back as bytes arrive. It ends in one of four ways, the first
 * one that happens: the whole body is in (the request goes back to the filter, to be decided); a body of
 * unknown length outgrows the buffer (it goes back too, and the rest follows as the client sends it); the
 * client's side fails (400, or nothing when it is gone); or the body timeout passes (408).
 */
final class BodyBuffer implements ReadListener, AsyncListener
{
    private final RequestBuffering owner;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final ServletInputStream input;
    private final long limit;
    private final byte[] chunk = new byte[8192];
    private final AtomicBoolean settled = new AtomicBoolean();
    private byte[] body;
    private int size;
    private volatile Rest rest;

    /** @param length the body's Content-Length, or -1 when unknown */
    BodyBuffer(RequestBuffering owner, HttpServletRequest request, HttpServletResponse response, AsyncContext async,
               long length, long limit) throws IOException
    {
        this.owner = owner;
        this.request = request;
        this.response = response;
        this.async = async;
        this.input = request.getInputStream();
        this.limit = limit;
        this.body = new byte[(int) (length >= 0 ? length : Math.min(limit + 1, 4096))];
    }

    void start()
    {
        async.addListener(this);
        input.setReadListener(this);
    }

    @Override
    public void onDataAvailable() throws IOException
    {
        Rest r = rest;
        if (r != null)
        {
            r.iterate();
            return;
        }
        while (!settled.get() && input.isReady())
        {
            int n = input.read(chunk);
            if (n < 0)
                return;
            append(n);
            if (size > limit)
            {
                overflow();
                return;
            }
        }
    }

    private void append(int n)
    {
        if (size + n > body.length)
            body = Arrays.copyOf(body, (int) Math.min(Math.max(body.length * 2L, size + n), limit + chunk.length));
        System.arraycopy(chunk, 0, body, size, n);
        size += n;
    }

    @Override
    public void onAllDataRead()
    {
        Rest r = rest;
        if (r != null)
        {
            r.content.close();
            return;
        }
        if (settled.compareAndSet(false, true))
        {
            request.setAttribute(BufferedBody.ATTRIBUTE, BufferedBody.whole(size == body.length ? body : Arrays.copyOf(body, size)));
            async.dispatch();
        }
    }

    /**
     * A body of unknown length larger than the buffer: it is not worth holding more of it here (the node's
     * thread would wait on the client for the rest anyway), so the request is decided now and the rest follows.
     */
    private void overflow()
    {
        if (!settled.compareAndSet(false, true))
            return;
        Rest r = new Rest(Arrays.copyOf(body, size));
        body = null;
        rest = r;
        request.setAttribute(BufferedBody.ATTRIBUTE, BufferedBody.streamed(r.content));
        async.dispatch();
        // Asks the stream again, so that the container calls back when more arrives.
        r.iterate();
    }

    @Override
    public void onError(Throwable failure)
    {
        ClientFaults.blame(request, failure);
        Rest r = rest;
        if (r != null)
        {
            r.content.fail(failure);
            return;
        }
        if (settled.compareAndSet(false, true))
            owner.refuse(request, response, async, ClientFaults.status(failure), ClientFaults.explain(request, failure));
    }

    @Override
    public void onTimeout(AsyncEvent event)
    {
        if (settled.compareAndSet(false, true))
            owner.refuse(request, response, async, HttpServletResponse.SC_REQUEST_TIMEOUT, "The request body did not arrive within "
                + owner.timeoutText() + " (" + size + " bytes came).");
    }

    @Override
    public void onComplete(AsyncEvent event)
    {
    }

    @Override
    public void onError(AsyncEvent event)
    {
    }

    @Override
    public void onStartAsync(AsyncEvent event)
    {
        // The proxy's own cycle: the timeout was this one's only.
    }

    /** The rest of a body that outgrew the buffer, passed on as it arrives, one piece at a time. */
    private final class Rest extends IteratingCallback
    {
        final AsyncRequestContent content;
        private final byte[] piece = new byte[8192];

        Rest(byte[] head)
        {
            content = new AsyncRequestContent(request.getContentType());
            content.write(ByteBuffer.wrap(head), Callback.NOOP);
        }

        @Override
        protected Action process() throws IOException
        {
            while (input.isReady())
            {
                int n = input.read(piece);
                if (n > 0)
                {
                    // The piece is reused only once the proxy's client has taken it (this callback succeeds).
                    content.write(ByteBuffer.wrap(piece, 0, n), this);
                    return Action.SCHEDULED;
                }
                if (n < 0)
                    return Action.SUCCEEDED;
            }
            return Action.IDLE;
        }

        @Override
        protected void onCompleteFailure(Throwable cause)
        {
            ClientFaults.blame(request, cause);
            content.fail(cause);
        }

        @Override
        public InvocationType getInvocationType()
        {
            return InvocationType.NON_BLOCKING;
        }
    }
}
