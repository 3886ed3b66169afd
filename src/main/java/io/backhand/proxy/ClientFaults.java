package io.backhand.proxy;

import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures on the client's side of a proxied request: a body that breaks HTTP's framing, a client that went
 * away, or one too slow to send its body. Jetty's proxy meets them as a failure of the request to the node, and
 * would blame the node: a 502 naming it, a warning, a failure in its books and, through passive health,
 * perhaps a healthy node put aside by a hostile client. So every read of the client's body is watched, and
 * whatever failed there is marked on the request as the client's; the proxy then answers 400 (408 when the
 * client was too slow, nothing when it is gone), logs at debug, and counts a client error instead.
 */
final class ClientFaults
{
    static final String ATTRIBUTE = "io.backhand.clientFault";
    private static final Logger LOG = LoggerFactory.getLogger("backhand.proxy");

    private ClientFaults()
    {
    }

    /** The request as the proxy should read it: the same, with failures of its body marked as the client's. */
    static HttpServletRequest watch(HttpServletRequest request)
    {
        return new HttpServletRequestWrapper(request)
        {
            private ServletInputStream watched;

            @Override
            public ServletInputStream getInputStream() throws IOException
            {
                if (watched == null)
                    watched = new WatchedInput(request, super.getInputStream());
                return watched;
            }
        };
    }

    /** Marks {@code failure} as the client's doing; the first mark stands. */
    static void blame(ServletRequest request, Throwable failure)
    {
        if (request.getAttribute(ATTRIBUTE) == null)
            request.setAttribute(ATTRIBUTE, failure);
    }

    /** The client's failure that ended this request, or null when the client is not to blame. */
    static Throwable of(ServletRequest request)
    {
        return request.getAttribute(ATTRIBUTE) instanceof Throwable t ? t : null;
    }

    /** 408 when the client was too slow, 400 for the rest (a client that is gone reads neither). */
    static int status(Throwable failure)
    {
        return ProxyFailures.isTimeout(failure) ? HttpServletResponse.SC_REQUEST_TIMEOUT : HttpServletResponse.SC_BAD_REQUEST;
    }

    /** The plain-text answer, logged at debug: the client's mistake is no news to the operator. */
    static String explain(HttpServletRequest request, Throwable failure)
    {
        String cause = cause(failure);
        LOG.debug("{} {} from {}: the client's side failed ({}); not counted against any node", request.getMethod(),
            request.getRequestURI(), request.getRemoteAddr(), cause);
        return ProxyFailures.isTimeout(failure)
            ? "Backhand gave up waiting for the request body (" + cause + ")."
            : "Backhand could not read the request body: " + cause;
    }

    /**
     * In a few words. The container reports a body that breaks HTTP's framing to the reader as an early end
     * ({@code HttpEofException: Early EOF}), as it does a client that hung up: the words say both.
     */
    private static String cause(Throwable failure)
    {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root)
            root = root.getCause();
        if (root instanceof java.io.EOFException)
            return "it ended early or broke HTTP's framing (" + root.getClass().getSimpleName() + ")";
        return ProxyFailures.describe(failure);
    }

    /** The client's body, passed through, with every failure marked on the request. */
    private static final class WatchedInput extends ServletInputStream
    {
        private final ServletRequest request;
        private final ServletInputStream in;

        WatchedInput(ServletRequest request, ServletInputStream in)
        {
            this.request = request;
            this.in = in;
        }

        @Override
        public int read() throws IOException
        {
            try
            {
                return in.read();
            }
            catch (IOException | RuntimeException e)
            {
                blame(request, e);
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException
        {
            try
            {
                return in.read(b, off, len);
            }
            catch (IOException | RuntimeException e)
            {
                blame(request, e);
                throw e;
            }
        }

        @Override
        public boolean isFinished()
        {
            return in.isFinished();
        }

        @Override
        public boolean isReady()
        {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener)
        {
            in.setReadListener(new ReadListener()
            {
                @Override
                public void onDataAvailable() throws IOException
                {
                    listener.onDataAvailable();
                }

                @Override
                public void onAllDataRead() throws IOException
                {
                    listener.onAllDataRead();
                }

                @Override
                public void onError(Throwable t)
                {
                    blame(request, t);
                    listener.onError(t);
                }
            });
        }
    }
}
