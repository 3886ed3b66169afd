package io.backhand.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 client on a bare socket: it sends exactly the bytes it is given and returns exactly the bytes
 * it got, header lines as they came, so that tests can compare what a client sees through the balancer
 * with what it sees directly, where any real client would normalise.
 */
final class RawHttp implements Closeable
{
    /** One response as received: the status line, the header lines in order, and the body without framing. */
    record Response(String statusLine, List<String> headerLines, byte[] body, boolean chunked)
    {
        int status()
        {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        List<String> headers(String name)
        {
            List<String> out = new ArrayList<>();
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : headerLines)
            {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    out.add(line.substring(prefix.length()).strip());
            }
            return out;
        }

        String header(String name)
        {
            List<String> all = headers(name);
            return all.isEmpty() ? null : all.get(0);
        }

        String bodyText()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawHttp connect(int port) throws IOException
    {
        return connect(null, port);
    }

    /** Connects to 127.0.0.1:port from {@code localAddress} (null: the system's choice). */
    static RawHttp connect(String localAddress, int port) throws IOException
    {
        Socket s = new Socket();
        s.setSoTimeout(20_000);
        if (localAddress != null)
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return new RawHttp(s);
    }

    /** Sends one request and reads its final response (a request-line-and-headers text, CRLF added per line). */
    static Response exchange(int port, String method, String target, List<String> headers, byte[] body) throws IOException
    {
        try (RawHttp c = connect(port))
        {
            c.send(head(method, target, headers));
            if (body != null)
                c.send(body);
            return c.read(method);
        }
    }

    /** The request line and headers, each line ended by CRLF, and the blank line. */
    static byte[] head(String method, String target, List<String> headers)
    {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String h : headers)
            b.append(h).append("\r\n");
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    void send(byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    void send(String text) throws IOException
    {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads one response, interim (1xx) or final, to a request made with {@code method}. */
    Response read(String method) throws IOException
    {
        Response r = readHead();
        String status = r.statusLine();
        List<String> headers = r.headerLines();
        int code = r.status();
        if (code < 200 || code == 204 || code == 304 || method.equals("HEAD"))
            return r;
        String te = r.header("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked"))
            return new Response(status, headers, chunkedBody(), true);
        String length = r.header("Content-Length");
        if (length != null)
            return new Response(status, headers, in.readNBytes(Integer.parseInt(length)), false);
        return new Response(status, headers, in.readAllBytes(), false);
    }

    /** Reads a status line and header lines only, leaving the body to the caller. */
    Response readHead() throws IOException
    {
        String status = line();
        if (status == null)
            throw new IOException("connection closed before a response");
        List<String> headers = new ArrayList<>();
        for (String l = line(); l != null && !l.isEmpty(); l = line())
            headers.add(l);
        return new Response(status, headers, new byte[0], false);
    }

    /**
     * Reads one chunk of a chunked body; an empty array for the last one. The CRLF that ends a chunk's data
     * is read with the next chunk, since a server may send it only then (Jetty does): reading it eagerly
     * would wait for a piece the server is not sending yet.
     */
    byte[] readChunk() throws IOException
    {
        String sizeLine = line();
        if (sizeLine != null && sizeLine.isEmpty())
            sizeLine = line();
        if (sizeLine == null)
            throw new IOException("chunked body cut short");
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip(), 16);
        if (size == 0)
        {
            // Trailers, then the blank line that ends the message.
            for (String l = line(); l != null && !l.isEmpty(); l = line())
            {
                // none are expected; reading them keeps the connection aligned
            }
            return new byte[0];
        }
        return in.readNBytes(size);
    }

    private byte[] chunkedBody() throws IOException
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] chunk = readChunk(); chunk.length > 0; chunk = readChunk())
            body.write(chunk);
        return body.toByteArray();
    }

    /** Reads up to CRLF (or a bare LF); null at the end of the stream. */
    private String line() throws IOException
    {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0)
        {
            if (c == '\n')
            {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything until the server closes the connection. */
    byte[] readToEnd() throws IOException
    {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
