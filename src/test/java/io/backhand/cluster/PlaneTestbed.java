package io.backhand.cluster;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.backhand.testing.Closing;
import io.backhand.testing.Wait;

import static io.backhand.cluster.Records.ip;

/**
 * The plane nodes and raw UDP sockets of one stats-plane test, all on loopback, closed together when the test
 * ends; and the ways such a test reads a socket and waits for a drop to be counted.
 */
final class PlaneTestbed implements AutoCloseable
{
    static final Duration WAIT = Duration.ofSeconds(15);

    private final List<AutoCloseable> open = new ArrayList<>();

    PlaneNode start(PlaneNode.Builder b) throws Exception
    {
        PlaneNode n = b.start();
        open.add(n);
        return n;
    }

    /**
     * A socket bound to {@code address} on an ephemeral port, of the address's own family. Its multicast is
     * pinned to lo with TTL 0, so that a datagram a test sends to a group never leaves this host. The plane
     * nodes it starts pin theirs too: {@link PlaneNode} refuses a multicast line without an interface.
     */
    DatagramChannel socketOn(String address) throws Exception
    {
        DatagramChannel ch = DatagramChannel.open(ip(address) instanceof Inet6Address
            ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
        ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
        ch.bind(new InetSocketAddress(ip(address), 0));
        open.add(ch);
        return ch;
    }

    static int port(DatagramChannel ch) throws Exception
    {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    /** The next datagram {@code ch} receives, waiting for it. */
    static byte[] receive(DatagramChannel ch) throws Exception
    {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        ch.configureBlocking(true);
        ch.receive(buffer);
        buffer.flip();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    static void awaitDrop(PlaneNode at, DropReason reason, long atLeast)
    {
        Wait.until(WAIT, at.name + " counting " + atLeast + " " + reason + " drop(s), has " + at.nonZeroDrops(),
            () -> at.dropped(reason) >= atLeast);
    }

    @Override
    public void close()
    {
        Closing.closeAll(open);
    }
}
