package io.backhand.status;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;

/**
 * A balancer and one application node on loopback, announcing over multicast pinned to lo with TTL 0: the
 * smallest cluster whose counters are exactly predictable (every balanced request goes to app1).
 */
final class TwoNodes implements AutoCloseable
{
    static final String CHAIN = "removeSelf\nbyAge 6";
    /**
     * A node's graceful stop takes about a second (its stats plane says goodbye), so the embedded node's
     * default of one second races it and can fail a test that stops a node right after a request.
     */
    static final long GRACEFUL_STOP_MILLIS = 5000;
    final String multicast = Net.multicastLine();
    final EmbeddedNode app;
    final EmbeddedNode balancer;

    TwoNodes() throws Exception
    {
        EmbeddedNode a = null;
        EmbeddedNode b = null;
        try
        {
            a = node("app1").start();
            b = node("balancer").balance(CHAIN).start();
        }
        catch (Exception e)
        {
            if (a != null)
                a.close();
            throw e;
        }
        app = a;
        balancer = b;
        Wait.until(Duration.ofSeconds(15), "both servers in both maps",
            () -> Http.json(balancer.statusUri()).get("servers").size() == 2 && Http.json(app.statusUri()).get("servers").size() == 2);
    }

    private EmbeddedNode.Builder node(String name)
    {
        return EmbeddedNode.builder(name)
            .param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8")
            .stopTimeout(GRACEFUL_STOP_MILLIS);
    }

    /** Sends {@code n} GETs through the balancer and checks that each was answered by app1. */
    void balance(int n)
    {
        for (int i = 0; i < n; i++)
        {
            HttpResponse<String> r = Http.get(balancer.uri().resolve("/work/" + i));
            if (r.statusCode() != 200 || !"app1".equals(r.headers().firstValue("X-Served-By").orElse("")))
                throw new AssertionError("request " + i + ": " + r.statusCode() + " from "
                    + r.headers().firstValue("X-Served-By").orElse("?") + ": " + r.body());
        }
    }

    /** Sends a datagram that is not an announcement to the cluster's group, on lo with TTL 0. */
    void sendGarbageDatagram() throws Exception
    {
        String[] hostPort = multicast.substring(0, multicast.indexOf(',')).split(":");
        try (MulticastSocket s = new MulticastSocket(0))
        {
            s.setNetworkInterface(NetworkInterface.getByName("lo"));
            s.setTimeToLive(0);
            byte[] junk = "not a backhand announcement".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(junk, junk.length, InetAddress.getByName(hostPort[0]), Integer.parseInt(hostPort[1])));
        }
    }

    @Override
    public void close() throws Exception
    {
        try
        {
            balancer.close();
        }
        finally
        {
            app.close();
        }
    }
}
