package io.backhand.web;

import java.util.function.Supplier;

import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;

/**
 * Request content that does not touch the client's body until the backend asks for it. Jetty's client only
 * demands content once the connection is established (and, with {@code Expect: 100-continue}, once the
 * backend said 100), so a connect failure leaves the body unread and the request can go to the next
 * candidate intact.
 */
final class LazyRequestContent implements Request.Content
{
    private final Supplier<Request.Content> factory;
    private final long length;
    private final String contentType;
    private final Runnable onStart;
    private Request.Content delegate;

    LazyRequestContent(Supplier<Request.Content> factory, long length, String contentType, Runnable onStart)
    {
        this.factory = factory;
        this.length = length;
        this.contentType = contentType;
        this.onStart = onStart;
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
