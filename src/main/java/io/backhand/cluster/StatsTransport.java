package io.backhand.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP sockets of the stats plane: one receiving socket per listen port (joined to every multicast
 * group announced on that port), and one sending socket per destination so that each keeps its own
 * multicast interface and TTL.
 */
public final class StatsTransport implements Closeable
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.net");
    private static final long SEND_WARNING_EVERY_NANOS = 60_000_000_000L;
    /** Routes and addresses change (DHCP, a floating IP moving): the probed source addresses are this old at most. */
    private static final long PROBE_EVERY_NANOS = 30_000_000_000L;

    private final TransportSettings settings;
    private final Map<Integer, DatagramChannel> receivers = new LinkedHashMap<>();
    private final List<DatagramChannel> senders = new ArrayList<>();
    private final DatagramChannel unicastSender;
    private final NetworkInterface multicastInterface;
    /** Source address per target, for datagrams whose socket is not bound to one; only the announcer uses it. */
    private final Map<InetSocketAddress, InetAddress> probed = new HashMap<>();
    private long probedAtNanos = System.nanoTime();
    /** Only the announcer thread sends. */
    private long lastSendWarningNanos = System.nanoTime() - SEND_WARNING_EVERY_NANOS - 1;

    public StatsTransport(TransportSettings settings) throws IOException
    {
        this.settings = settings;
        boolean anyV6 = settings.destinations().stream().anyMatch(d -> d.target().getAddress() instanceof Inet6Address)
            || settings.peers().stream().anyMatch(p -> p.getAddress() instanceof Inet6Address);
        ProtocolFamily family = anyV6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        boolean anyMulticast = settings.destinations().stream().anyMatch(d -> d.kind() == Destination.Kind.MULTICAST);
        multicastInterface = anyMulticast ? chooseInterface(settings.iface()) : settings.iface();
        try
        {
            for (int port : settings.listenPorts())
            {
                DatagramChannel ch = DatagramChannel.open(family);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
                ch.bind(new InetSocketAddress(settings.listenAddress(), port)); // null binds all addresses
                ch.configureBlocking(false);
                receivers.put(port, ch);
            }
            for (Destination d : settings.destinations())
            {
                if (d.kind() == Destination.Kind.MULTICAST)
                {
                    DatagramChannel r = receivers.get(d.target().getPort());
                    if (r != null)
                        r.join(d.target().getAddress(), multicastInterface);
                }
                senders.add(openSender(d));
            }
            unicastSender = settings.peers().isEmpty() ? null : DatagramChannel.open(family);
        }
        catch (IOException | RuntimeException e)
        {
            closeQuietly();
            throw e;
        }
    }

    private DatagramChannel openSender(Destination d) throws IOException
    {
        ProtocolFamily family = d.target().getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET;
        DatagramChannel ch = DatagramChannel.open(family);
        switch (d.kind())
        {
            case MULTICAST ->
            {
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, multicastInterface);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, d.ttl());
                // Other nodes on this host (and tests running a whole cluster on lo) must hear us.
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            }
            case BROADCAST -> ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            case UNICAST -> { }
        }
        if (d.advertise() != null)
            bindToAdvertised(ch, d);
        return ch;
    }

    /**
     * Sends from the advertised address when it is one of this host's, so that a peer whose AcceptStats covers
     * the advertised range believes the datagram: left to itself the kernel sends from the interface's primary
     * address, which on a host with an alias or a floating IP is another one.
     */
    private static void bindToAdvertised(DatagramChannel ch, Destination d)
    {
        try
        {
            ch.bind(new InetSocketAddress(d.advertise(), 0));
        }
        catch (IOException | RuntimeException e)
        {
            LOG.warn("backhand.multicastStats '{}': the advertised address {} is not an address of this host ({}), so "
                + "these announcements leave from the address the system picks for {}; the receivers' "
                + "backhand.acceptStats must cover that address, not only {}", d.text(), d.advertise().getHostAddress(),
                e.toString(), d.target().getAddress().getHostAddress(), d.advertise().getHostAddress());
        }
    }

    /**
     * The address announcements to destination {@code index} name as this node's contact when the line
     * advertises none: the one they leave from, or null if it cannot be known.
     */
    public InetAddress sourceFor(int index)
    {
        return probe(settings.destinations().get(index).target(), multicastInterface);
    }

    /** The same for a unicast peer. */
    public InetAddress sourceForPeer(InetSocketAddress peer)
    {
        return probe(peer, null);
    }

    private InetAddress probe(InetSocketAddress target, NetworkInterface iface)
    {
        long now = System.nanoTime();
        if (now - probedAtNanos > PROBE_EVERY_NANOS)
        {
            probed.clear();
            probedAtNanos = now;
        }
        InetAddress known = probed.get(target);
        if (known == null)
        {
            known = SourceProbe.sourceFor(target, iface);
            if (known != null)
                probed.put(target, known);
        }
        return known;
    }

    /**
     * The configured interface, or a guess for operators who did not name one: the first interface that is
     * up, not loopback and multicast-capable. Tests and demos always name {@code lo}.
     */
    private static NetworkInterface chooseInterface(NetworkInterface configured) throws SocketException
    {
        if (configured != null)
            return configured;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            if (ni.isUp() && !ni.isLoopback() && ni.supportsMulticast())
            {
                LOG.warn("backhand.interface is not set; multicast uses {}. Set it to be sure.", ni.getName());
                return ni;
            }
        }
        NetworkInterface lo = NetworkInterface.getByName("lo");
        if (lo == null)
            throw new SocketException("no interface for multicast; set backhand.interface");
        return lo;
    }

    public List<DatagramChannel> receivers()
    {
        return List.copyOf(receivers.values());
    }

    public NetworkInterface multicastInterface()
    {
        return multicastInterface;
    }

    /**
     * Whether a datagram came from one of this node's own sending sockets (multicast and broadcast loop
     * back to the sender). Only asked about sources outside AcceptStats, so that a node that accepts nobody
     * does not count its own echo as foreign; the interface lookup runs only when the port matches.
     */
    public boolean isOwnEcho(InetSocketAddress from)
    {
        if (!portIsOurs(from.getPort()))
            return false;
        InetAddress a = from.getAddress();
        try
        {
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        }
        catch (SocketException e)
        {
            return false;
        }
    }

    private boolean portIsOurs(int port)
    {
        for (DatagramChannel ch : senders)
        {
            if (localPort(ch) == port)
                return true;
        }
        return unicastSender != null && localPort(unicastSender) == port;
    }

    private static int localPort(DatagramChannel ch)
    {
        try
        {
            return ch.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        }
        catch (IOException e)
        {
            return -1;
        }
    }

    /** Sends one datagram to destination {@code index}; a failed send is logged, never thrown. */
    public boolean send(int index, byte[] packet)
    {
        Destination d = settings.destinations().get(index);
        return sendOn(senders.get(index), packet, d.target());
    }

    public boolean sendToPeer(InetSocketAddress peer, byte[] packet)
    {
        return sendOn(unicastSender, packet, peer);
    }

    private boolean sendOn(DatagramChannel ch, byte[] packet, InetSocketAddress target)
    {
        try
        {
            ch.send(ByteBuffer.wrap(packet), target);
            return true;
        }
        catch (IOException | RuntimeException e)
        {
            // A destination that fails fails every second: say so once a minute, not never and not always.
            long now = System.nanoTime();
            if (now - lastSendWarningNanos > SEND_WARNING_EVERY_NANOS)
            {
                lastSendWarningNanos = now;
                LOG.warn("Could not send an announcement to {}: {} (logged at most once a minute)", target, e.toString());
            }
            else
            {
                LOG.debug("Could not send an announcement to {}: {}", target, e.toString());
            }
            return false;
        }
    }

    @Override
    public void close()
    {
        closeQuietly();
    }

    private void closeQuietly()
    {
        List<DatagramChannel> all = new ArrayList<>(receivers.values());
        all.addAll(senders);
        if (unicastSender != null)
            all.add(unicastSender);
        for (DatagramChannel ch : all)
        {
            try
            {
                ch.close();
            }
            catch (IOException e)
            {
                LOG.debug("close", e);
            }
        }
    }
}
