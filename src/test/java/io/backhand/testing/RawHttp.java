package io.backhand.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, bound to a chosen local address (127.0.0.2 is loopback too, but outside a
 * 127.0.0.1/32 range), sending exactly the bytes given: for tests of access control and of what a client
 * may forge.
 */
public final class RawHttp
{
    private RawHttp()
    {
    }

    /** Sends {@code request} (with Connection: close) from {@code localAddress} and returns the whole answer. */
    public static String exchange(String localAddress, int port, String request)
    {
        try (Socket s = new Socket())
        {
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
        catch (IOException e)
        {
            throw new AssertionError("exchange with port " + port + " failed: " + e, e);
        }
    }

    public static int status(String answer)
    {
        if (!answer.startsWith("HTTP/1.1 "))
            throw new AssertionError("not an HTTP answer: " + answer);
        return Integer.parseInt(answer.substring(9, 12));
    }
}
