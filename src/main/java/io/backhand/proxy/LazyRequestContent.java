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
 * can go to the next candidate intact. (With {@code Expect: 100-continue}, Jetty's proxy servlet creates this
 * content only once the backend has answered 100, so a body the backend answered without is never started, and
 * the client never gets a 100 Continue for a body nobody wants.)
 */
final class LazyRequestContent implements Request.Content
{
    private final Supplier<Request.Content> factory;
    private final long length;
    private final String contentType;
    private final Runnable onStart;
    private final BooleanSupplier committed;
    private Request.Content delegate;

    /** @param committed true once the request's headers were written to the backend's connection */
    LazyRequestContent(Supplier<Request.Content> factory, long length, String contentType, Runnable onStart,
                       BooleanSupplier committed)
    {
        this.factory = factory;
        this.length = length;
        this.contentType = contentType;
        this.onStart = onStart;
        this.committed = committed;
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
        if (startedOrNull() == null && !committed.getAsBoolean())
            return null;
        return delegate().read();
    }

    @Override
    public void demand(Runnable demandCallback)
    {
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
