package io.backhand.bench.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Apache httpd's mod_heartmonitor what one backend is doing, in the format of mod_heartbeat
 * ({@code v=1&ready=N&busy=N}), so that {@code lbmethod=heartbeat} balances on the same live figures as
 * Backhand does. mod_heartmonitor keys servers by the sender's IP address, so each backend sends from its own
 * loopback address.
 *
 * <p>The figures travel as an HTTP POST to mod_heartmonitor's {@code heartbeat} handler rather than as a
 * multicast datagram: httpd joins its HeartbeatListen group on the system's default interface (it offers no
 * way to name {@code lo}), which would announce the group outside this machine. The handler stores exactly
 * what a datagram would, in the same file that lbmethod_heartbeat reads.</p>
 */
final class ApacheHeartbeat
{
    private static final Logger LOG = LoggerFactory.getLogger("bench.heartbeat");
    private final List<URI> targets = new CopyOnWriteArrayList<>();

    void targets(List<URI> uris)
    {
        targets.clear();
        targets.addAll(uris);
    }

    boolean active()
    {
        return !targets.isEmpty();
    }

    /** One heartbeat of one backend to every target. */
    void send(InetAddress from, int port, int workers, int busy)
    {
        int shownBusy = Math.min(busy, workers);
        String body = "v=1&ready=" + (workers - shownBusy) + "&busy=" + shownBusy + "&port=" + port;
        for (URI target : targets)
        {
            try
            {
                post(from, target, body);
            }
            catch (IOException e)
            {
                LOG.debug("Heartbeat to {} failed: {}", target, e.toString());
            }
        }
    }

    private static void post(InetAddress from, URI target, String body) throws IOException
    {
        try (Socket s = new Socket())
        {
            s.setSoTimeout(1000);
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(target.getHost(), target.getPort()), 1000);
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            String head = "POST " + target.getRawPath() + " HTTP/1.0\r\nHost: " + target.getHost() + ":" + target.getPort()
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            in.readAllBytes();
        }
    }
}
