package io.backhand.proxy;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;

/**
 * Request content that does not touch the client's body until the request's headers have reached the backend.
 * Jetty's client reads a first chunk before it writes the headers, so that small requests go out in one write;
 * here that first read answers "nothing yet" and the headers go alone. A connect failure, or a pooled
 * connection found dead when the headers are written, thus leaves the client's body unread, and the request
 * can go to the next candidate intact. With {@code Expect: 100-continue} the client waits for the backend's
 * 100 before reading at all; and once the backend has answered otherwise, the body is never started, since
 * starting it would send the client a 100 Continue for a body nobody wants.
 */
final class LazyRequestContent implements Request.Content
{
    private final Supplier<Request.Content> factory;
    private final long length;
    private final String contentType;
    private final Runnable onStart;
    private final BooleanSupplier committed;
    private final BooleanSupplier answeredWithoutBody;
    private Request.Content delegate;

    /**
     * @param answeredWithoutBody true once the backend gave its final answer to an {@code Expect: 100-continue}
     * request instead of a 100: Jetty's client then abandons the body, but its sender may still ask for it once
     */
    LazyRequestContent(Supplier<Request.Content> factory, long length, String contentType, Runnable onStart,
                       BooleanSupplier committed, BooleanSupplier answeredWithoutBody)
    {
        this.factory = factory;
        this.length = length;
        this.contentType = contentType;
        this.onStart = onStart;
        this.committed = committed;
        this.answeredWithoutBody = answeredWithoutBody;
    }

    private synchronized Request.Content delegate()
    {
        if (delegate == null)
        {
            onStart.run();
            delegate = factory.get();
        }
        return delegate;
    }

    private synchronized Request.Content startedOrNull()
    {
        return delegate;
    }

    @Override
    public String getContentType()
    {
        return contentType;
    }

    @Override
    public long getLength()
    {
        return length;
    }

    @Override
    public Content.Chunk read()
    {
        if (startedOrNull() == null && (!committed.getAsBoolean() || answeredWithoutBody.getAsBoolean()))
            return null;
        return delegate().read();
    }

    @Override
    public void demand(Runnable demandCallback)
    {
        // Never called back: the exchange is being aborted, which is the end of this content.
        if (startedOrNull() == null && answeredWithoutBody.getAsBoolean())
            return;
        delegate().demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure)
    {
        // A failure before the body was started must not consume the client's body: a retry still needs it.
        Request.Content d = startedOrNull();
        if (d != null)
            d.fail(failure);
    }

    @Override
    public void fail(Throwable failure, boolean last)
    {
        Request.Content d = startedOrNull();
        if (d != null)
            d.fail(failure, last);
    }

    @Override
    public boolean rewind()
    {
        return false;
    }
}
