package io.backhand.cluster;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * The address a datagram to a target leaves from when its socket is not bound to one: what the kernel's
 * routing picks, read by connecting a throwaway UDP socket (which sends nothing) and asking its local
 * address. An announcement names this address as its contact, so that the signature covers the address a
 * receiver will send requests to, exactly the one it would otherwise have taken from the datagram's source.
 */
final class SourceProbe
{
    private SourceProbe()
    {
    }

    /**
     * @param multicastInterface for a multicast target, the interface it is sent on (the kernel then takes
     *                           that interface's address), else null
     * @return the source address, or null when there is no route or the address cannot serve as a contact
     *         (an IPv6 link-local address means nothing without its zone, which the wire format does not carry)
     */
    static InetAddress sourceFor(InetSocketAddress target, NetworkInterface multicastInterface)
    {
        InetAddress to = target.getAddress();
        try (DatagramChannel ch = DatagramChannel.open(to instanceof Inet6Address ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET))
        {
            if (to.isMulticastAddress() && multicastInterface != null)
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, multicastInterface);
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            ch.connect(target);
            InetAddress from = ((InetSocketAddress) ch.getLocalAddress()).getAddress();
            if (from.isAnyLocalAddress() || from.isLinkLocalAddress() || from.isMulticastAddress())
                return null;
            return from;
        }
        catch (IOException | RuntimeException e)
        {
            return null;
        }
    }
}
