package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.List;

/**
 * Where announcements go and where they are heard.
 *
 * @param destinations the MulticastStats lines
 * @param peers        unicast peers (backhand.peers)
 * @param listenPorts  UDP ports to receive on, all addresses
 * @param iface        interface for multicast joins and sends, or null for the system's choice
 * @param discovery    how the unicast peers follow the cluster while it runs (PeerDirectory)
 * @param listenAddress the one address the receiving sockets bind to, or null for all addresses (several nodes
 *                     on one host, each with its own address and the same port; receives no multicast)
 */
public record TransportSettings(List<Destination> destinations, List<InetSocketAddress> peers, List<Integer> listenPorts,
                                NetworkInterface iface, PeerDiscovery discovery, InetAddress listenAddress)
{
    public TransportSettings
    {
        destinations = List.copyOf(destinations);
        peers = List.copyOf(peers);
        listenPorts = List.copyOf(listenPorts);
        discovery = discovery == null ? PeerDiscovery.DEFAULT : discovery;
    }

    public TransportSettings(List<Destination> destinations, List<InetSocketAddress> peers, List<Integer> listenPorts,
                             NetworkInterface iface)
    {
        this(destinations, peers, listenPorts, iface, PeerDiscovery.DEFAULT, null);
    }

    public boolean isEmpty()
    {
        return destinations.isEmpty() && peers.isEmpty();
    }
}
