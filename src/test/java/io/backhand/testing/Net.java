package io.backhand.testing;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Network helpers for tests. Everything stays on loopback: multicast is always pinned to {@code lo} with
 * TTL 0, and each test gets its own UDP port and group so that tests running in parallel never hear each other.
 */
public final class Net
{
    private Net()
    {
    }

    public static int freeUdpPort()
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (Exception e)
        {
            throw new IllegalStateException(e);
        }
    }

    public static int freeTcpPort()
    {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (Exception e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code backhand.multicastStats} line for a fresh group and port, TTL 0 so it cannot leave the host. */
    public static String multicastLine()
    {
        int port = freeUdpPort();
        int b = ThreadLocalRandom.current().nextInt(1, 254);
        int c = ThreadLocalRandom.current().nextInt(1, 254);
        return "239.255." + b + "." + c + ":" + port + ",0";
    }
}
