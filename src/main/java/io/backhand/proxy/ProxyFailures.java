package io.backhand.proxy;


import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/** What kind of failure the proxy's client reported, as far as failover and the answer to the client care. */
final class ProxyFailures
{
    private static final int MAX_MESSAGE = 100;

    private ProxyFailures()
    {
    }

    /** What a failure means for a retry. */
    enum Kind
    {
        /** Refused, unreachable or timed out while connecting: nothing reached the backend. */
        CONNECT,
        /** The connection failed (closed, reset) after the request may have reached the backend. */
        TRANSPORT,
        /** Too slow (idle or total timeout): the backend may still be working on it. */
        TIMEOUT,
        /**
         * The backend's container answered 404 or 503 without Backhand's filter seeing the request (the webapp
         * is stopping or absent): the application never saw it.
         */
        NOT_SERVED,
        /** Anything else, such as a request the proxy's client refuses to send: another backend would fail alike. */
        OTHER
    }

    static Kind classify(Throwable failure)
    {
        if (failure instanceof NotServedException)
            return Kind.NOT_SERVED;
        if (isConnectFailure(failure))
            return Kind.CONNECT;
        if (isTimeout(failure))
            return Kind.TIMEOUT;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause())
        {
            if (t instanceof IOException)
                return Kind.TRANSPORT;
        }
        return Kind.OTHER;
    }

    private static boolean isConnectFailure(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                || t instanceof UnresolvedAddressException)
                return true;
            // Jetty's ClientConnector reports its connect timeout as SocketTimeoutException("Connect Timeout").
            if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase().contains("connect"))
                return true;
            if (t.getCause() == t)
                break;
        }
        return false;
    }

    /** Too slow: connecting, or the backend answering (idle or total timeout). */
    static boolean isTimeout(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException)
                return true;
            if (t.getCause() == t)
                break;
        }
        return false;
    }

    /** The innermost cause in a few words, for the client's explanation and the log. */
    static String describe(Throwable failure)
    {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root)
            root = root.getCause();
        // Jetty's EofException carries a dump of the connection as its message; what matters is plain.
        if (root instanceof EOFException)
            return "the connection was closed (" + root.getClass().getSimpleName() + ")";
        String msg = root.getMessage();
        if (msg == null || msg.isBlank())
            return root.getClass().getSimpleName();
        // A log line and a client want the gist, not a multi-line dump.
        msg = msg.lines().findFirst().orElse("").strip();
        if (msg.length() > MAX_MESSAGE)
            msg = msg.substring(0, MAX_MESSAGE) + "...";
        return root.getClass().getSimpleName() + ": " + msg;
    }

    /** The abort cause when a backend's container answered in place of its webapp. */
    static final class NotServedException extends IOException
    {
        NotServedException(String node, int status)
        {
            super(node + "'s container answered " + status + " without its Backhand webapp (stopping or not deployed there)");
        }
    }
}
