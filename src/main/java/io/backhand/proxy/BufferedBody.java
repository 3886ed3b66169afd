package io.backhand.proxy;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.ServletRequest;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;

/**
 * A request body the filter read before choosing a node: the whole of it, or, for a body of unknown length
 * that outgrew the buffer, the part read so far followed by the rest as the client sends it. It travels as a
 * request attribute from the filter to the proxy, which sends it instead of reading the client's stream (the
 * filter has already taken that over).
 */
final class BufferedBody
{
    static final String ATTRIBUTE = "io.backhand.bufferedBody";

    private final byte[] whole;
    private final Request.Content streamed;
    private final AtomicBoolean resumed = new AtomicBoolean();

    private BufferedBody(byte[] whole, Request.Content streamed)
    {
        this.whole = whole;
        this.streamed = streamed;
    }

    static BufferedBody whole(byte[] bytes)
    {
        return new BufferedBody(bytes, null);
    }

    /** @param content the part already read, then the rest as it arrives */
    static BufferedBody streamed(Request.Content content)
    {
        return new BufferedBody(null, content);
    }

    static BufferedBody of(ServletRequest request)
    {
        return request.getAttribute(ATTRIBUTE) instanceof BufferedBody b ? b : null;
    }

    /**
     * What the proxy sends for this request's body, or null when the filter did not read it: the proxy then
     * reads the client's stream itself. A whole body can be sent again, to the next node after a failure.
     */
    static Request.Content content(ServletRequest request)
    {
        BufferedBody b = of(request);
        if (b == null)
            return null;
        return b.whole != null ? new BytesRequestContent(request.getContentType(), b.whole) : b.streamed;
    }

    boolean isWhole()
    {
        return whole != null;
    }

    /** The whole body; null for a streamed one. */
    byte[] bytes()
    {
        return whole;
    }

    /** True once only: the dispatch that brings the request back to the filter, to be decided. */
    boolean resume()
    {
        return resumed.compareAndSet(false, true);
    }
}
