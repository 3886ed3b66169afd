package io.backhand.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.backhand.node.ProxyMarker;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A node's answer other than {@code 101} to an upgrade, passed to the client as the proxy passes any answer:
 * status, end-to-end headers, and the body, delimited as the node delimited it (Content-Length, chunked, or
 * the end of the connection). The node connection is closed afterwards: it was opened for this request.
 */
final class RefusedUpgrade
{
    private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-connection",
        "transfer-encoding", "te", "trailer", "upgrade", "content-length", ProxyMarker.SERVED_HEADER.toLowerCase(Locale.ROOT));

    private final NodeHandshake.Answer answer;
    private final long timeoutMillis;
    private ByteBuffer buffer;

    private RefusedUpgrade(NodeHandshake.Answer answer, long timeoutMillis)
    {
        this.answer = answer;
        this.timeoutMillis = timeoutMillis;
        this.buffer = answer.rest();
    }

    static void relay(NodeHandshake.Answer answer, HttpServletResponse response, long timeoutMillis) throws IOException
    {
        new RefusedUpgrade(answer, timeoutMillis).relay(response);
    }

    private void relay(HttpServletResponse response) throws IOException
    {
        Set<String> connectionTokens = new HashSet<>();
        String connection = answer.header("Connection");
        if (connection != null)
        {
            for (String t : connection.split(","))
                connectionTokens.add(t.strip().toLowerCase(Locale.ROOT));
        }
        response.setStatus(answer.status());
        Set<String> seen = new HashSet<>();
        for (String[] h : answer.headers())
        {
            String lower = h[0].toLowerCase(Locale.ROOT);
            if (HOP.contains(lower) || connectionTokens.contains(lower))
                continue;
            if (seen.add(lower))
                response.setHeader(h[0], h[1]);
            else
                response.addHeader(h[0], h[1]);
        }
        int status = answer.status();
        if (status < 200 || status == 204 || status == 304)
            return;
        OutputStream out = response.getOutputStream();
        String length = answer.header("Content-Length");
        if (NodeHandshake.isChunked(answer))
            chunked(out);
        else if (length != null)
        {
            long n = Long.parseLong(length.strip());
            response.setContentLengthLong(n);
            copy(out, n);
        }
        else
            copy(out, Long.MAX_VALUE);
    }

    private void copy(OutputStream out, long n) throws IOException
    {
        while (n > 0)
        {
            if (!buffer.hasRemaining() && !fill())
            {
                if (n == Long.MAX_VALUE)
                    return;
                throw new IOException("the node's answer ended early");
            }
            int k = (int) Math.min(n, buffer.remaining());
            out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), k);
            buffer.position(buffer.position() + k);
            n -= k;
        }
    }

    private void chunked(OutputStream out) throws IOException
    {
        while (true)
        {
            String size = line();
            int semicolon = size.indexOf(';');
            long n = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).strip(), 16);
            if (n == 0)
                return;
            copy(out, n);
            line();
        }
    }

    private String line() throws IOException
    {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true)
        {
            if (!buffer.hasRemaining() && !fill())
                throw new IOException("the node's answer ended inside a chunk header");
            byte b = buffer.get();
            if (b == '\n')
                return line.toString(java.nio.charset.StandardCharsets.ISO_8859_1).strip();
            line.write(b);
            if (line.size() > 1024)
                throw new IOException("the node's chunk header is too long");
        }
    }

    private boolean fill() throws IOException
    {
        ByteBuffer next = ByteBuffer.allocate(16 * 1024);
        try
        {
            int n = answer.channel().read(next).get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (n < 0)
                return false;
        }
        catch (ExecutionException e)
        {
            throw new IOException(NodeHandshake.describe(e.getCause()), e.getCause());
        }
        catch (TimeoutException e)
        {
            throw new IOException("the node stopped sending its answer", e);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        next.flip();
        buffer = next;
        return true;
    }
}
