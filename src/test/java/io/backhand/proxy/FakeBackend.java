package io.backhand.proxy;


import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that misbehaves on purpose, on a loopback socket: a member of the cluster announces its port as
 * its contact port, so the balancer sends it real requests. It reads each request's head and then fails in
 * the chosen way.
 */
final class FakeBackend implements AutoCloseable
{
    enum Fault
    {
        /** Reads the request head and closes the connection without a word. */
        CLOSE_BEFORE_ANSWERING,
        /** Answers a status and a Content-Length of 1000, sends 10 bytes of the body, and closes. */
        CUT_RESPONSE_SHORT,
        /**
         * Answers its first request as a Backhand webapp does (200, with the served mark), then every other with
         * a 404 as a container does for a webapp that is stopping (without it).
         */
        CONTAINER_404
    }

    private final ServerSocket socket;
    private final Fault fault;
    private final AtomicInteger requests = new AtomicInteger();

    FakeBackend(Fault fault) throws IOException
    {
        this.fault = fault;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "fake-backend-" + fault);
        t.setDaemon(true);
        t.start();
    }

    int port()
    {
        return socket.getLocalPort();
    }

    /** Request heads read so far. */
    int requests()
    {
        return requests.get();
    }

    private void serve()
    {
        while (!socket.isClosed())
        {
            try (Socket s = socket.accept())
            {
                if (!readHead(s.getInputStream()))
                    continue;
                requests.incrementAndGet();
                if (fault == Fault.CONTAINER_404 && requests.get() == 1)
                {
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nX-Backhand-Served: 1\r\nX-Served-By: a-stopping\r\nContent-Length: 3\r\n"
                        + "Connection: close\r\n\r\nok\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                else if (fault == Fault.CONTAINER_404)
                {
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n"
                        + "Connection: close\r\n\r\nNot Found\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                else if (fault == Fault.CUT_RESPONSE_SHORT)
                {
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n0123456789")
                        .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            catch (IOException e)
            {
                // closed at the end of the test, or the balancer went away: either way, the next one
            }
        }
    }

    private static boolean readHead(InputStream in) throws IOException
    {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0)
        {
            head.write(c);
            byte[] b = head.toByteArray();
            int n = b.length;
            if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n')
                return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
