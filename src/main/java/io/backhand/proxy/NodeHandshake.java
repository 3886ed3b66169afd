package io.backhand.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node side of a tunnel up to the node's answer: connect, send the upgrade request, read the response
 * head. The request thread waits for these few round trips, each bounded by a timeout (the filter's
 * connectTimeout and idleTimeout); once the node has answered {@code 101} the connection is asynchronous and
 * no thread waits on it.
 */
final class NodeHandshake
{
    /** A response head larger than this is no answer to an upgrade. */
    static final int MAX_HEAD = 64 * 1024;

    /** Nothing was sent: the node could not be reached, so another may be tried. */
    static final class Unreachable extends IOException
    {
        Unreachable(String message, Throwable cause)
        {
            super(message, cause);
        }
    }

    /**
     * The node's answer: its status, headers in order, and the connection with any bytes read past the head
     * (the first bytes of the upgraded protocol, or of a refusal's body).
     */
    record Answer(AsynchronousSocketChannel channel, int status, List<String[]> headers, ByteBuffer rest)
    {
        String header(String name)
        {
            for (String[] h : headers)
            {
                if (h[0].equalsIgnoreCase(name))
                    return h[1];
            }
            return null;
        }

        void close()
        {
            try
            {
                channel.close();
            }
            catch (IOException ignored)
            {
                // closing a connection the exchange is done with
            }
        }
    }

    private NodeHandshake()
    {
    }

    static Answer exchange(InetSocketAddress node, byte[] head, long connectTimeoutMillis, long answerTimeoutMillis)
        throws IOException, TimeoutException
    {
        AsynchronousSocketChannel channel = AsynchronousSocketChannel.open();
        boolean handedOver = false;
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            try
            {
                await(channel.connect(node), connectTimeoutMillis);
            }
            catch (IOException | TimeoutException e)
            {
                throw new Unreachable("cannot connect to " + node + ": " + describe(e), e);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answerTimeoutMillis);
            ByteBuffer out = ByteBuffer.wrap(head);
            while (out.hasRemaining())
                await(channel.write(out), remaining(deadline));
            ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
            int end;
            while ((end = headEnd(in)) < 0)
            {
                if (!in.hasRemaining())
                    throw new IOException("the node's response head is larger than " + MAX_HEAD + " bytes");
                Integer n = await(channel.read(in), remaining(deadline));
                if (n < 0)
                    throw new IOException("the node closed the connection before answering");
            }
            Answer answer = parse(channel, in, end);
            handedOver = true;
            return answer;
        }
        finally
        {
            if (!handedOver)
                channel.close();
        }
    }

    private static long remaining(long deadlineNanos) throws TimeoutException
    {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0)
            throw new TimeoutException("the node did not answer in time");
        return left;
    }

    private static <T> T await(Future<T> f, long timeoutMillis) throws IOException, TimeoutException
    {
        try
        {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e)
        {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        catch (TimeoutException e)
        {
            f.cancel(true);
            throw e;
        }
    }

    /** The index just past the blank line ending the head in {@code buffer}'s filled part, or -1. */
    private static int headEnd(ByteBuffer buffer)
    {
        byte[] b = buffer.array();
        for (int i = 3; i < buffer.position(); i++)
        {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r')
                return i + 1;
        }
        return -1;
    }

    private static Answer parse(AsynchronousSocketChannel channel, ByteBuffer in, int end) throws IOException
    {
        String text = new String(in.array(), 0, end - 4, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1."))
            throw new IOException("the node's answer is not HTTP/1.x: " + lines[0]);
        int status;
        try
        {
            status = Integer.parseInt(statusLine[1]);
        }
        catch (NumberFormatException e)
        {
            throw new IOException("the node's status line is malformed: " + lines[0]);
        }
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++)
        {
            int colon = lines[i].indexOf(':');
            if (colon <= 0)
                throw new IOException("the node's response has a malformed header line: " + lines[i]);
            headers.add(new String[] {lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()});
        }
        ByteBuffer rest = ByteBuffer.wrap(in.array(), end, in.position() - end).slice();
        return new Answer(channel, status, headers, rest);
    }

    static String describe(Throwable e)
    {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static boolean isChunked(Answer a)
    {
        String te = a.header("Transfer-Encoding");
        return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    }
}
