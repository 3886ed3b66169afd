package io.backhand.cluster;

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
 */
public record TransportSettings(List<Destination> destinations, List<InetSocketAddress> peers, List<Integer> listenPorts,
                                NetworkInterface iface)
{
    public TransportSettings
    {
        destinations = List.copyOf(destinations);
        peers = List.copyOf(peers);
        listenPorts = List.copyOf(listenPorts);
    }

    public boolean isEmpty()
    {
        return destinations.isEmpty() && peers.isEmpty();
    }
}
