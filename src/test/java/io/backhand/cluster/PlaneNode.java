package io.backhand.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.backhand.stats.ContainerGauge;
import io.backhand.stats.HostFigures;
import io.backhand.stats.LocalSampler;
import io.backhand.stats.NodeState;
import io.backhand.stats.ProxyTotals;

/**
 * One node's stats plane with real sockets on loopback and the real host figures, without a web server:
 * the container's figures are fixed, since transport tests are about what travels, not what is measured.
 * A node with a multicast line must name its interface ({@link Builder#iface}, {@code lo} in every test):
 * left unnamed, the product would pick the first non-loopback interface, and a test must never send there.
 */
final class PlaneNode implements AutoCloseable
{
    final String name;
    final StatsService service;

    private PlaneNode(String name, StatsService service)
    {
        this.name = name;
        this.service = service;
    }

    static Builder builder(String name)
    {
        return new Builder(name);
    }

    ClusterView view()
    {
        return service.view();
    }

    long dropped(DropReason reason)
    {
        return service.drops().count(reason);
    }

    /** Every drop counter that is not zero, for assertions that nothing else was dropped. */
    Map<DropReason, Long> nonZeroDrops()
    {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        service.drops().snapshot().forEach((r, n) -> {
            if (n != 0)
                out.put(r, n);
        });
        return out;
    }

    @Override
    public void close()
    {
        service.close();
    }

    static final class Builder
    {
        private final String name;
        private final List<Destination> destinations = new ArrayList<>();
        private final List<InetSocketAddress> peers = new ArrayList<>();
        private final List<Cidr> accept = new ArrayList<>();
        private final List<Cidr> members = new ArrayList<>();
        private List<Integer> listen;
        private byte[] secret;
        private int httpPort = 8080;
        private Duration interval = Duration.ofMillis(100);
        private String iface;
        private Duration forgetAfter = Duration.ofSeconds(30);
        private PeerDiscovery discovery = PeerDiscovery.DEFAULT;
        private InetAddress listenAddress;
        private InetAddress contactAddress;
        private Function<String, List<InetAddress>> resolver = PeerDirectory.SYSTEM_RESOLVER;

        private Builder(String name)
        {
            this.name = name;
        }

        /** A backhand.multicastStats line. */
        Builder line(String line)
        {
            destinations.add(Destination.parse(line));
            return this;
        }

        /** The interface multicast is pinned to. */
        Builder iface(String name)
        {
            iface = name;
            return this;
        }

        Builder peer(String hostPort)
        {
            peers.add(Endpoints.socketAddress(hostPort, -1));
            return this;
        }

        /** A backhand.peers entry that is a host name, left for the node's resolver to look up. */
        Builder peerName(String host, int port)
        {
            peers.add(InetSocketAddress.createUnresolved(host, port));
            return this;
        }

        /** How the node's peer directory looks host names up (a test's own map of names to addresses). */
        Builder resolver(Function<String, List<InetAddress>> r)
        {
            resolver = r;
            return this;
        }

        Builder discovery(Duration refresh, int learnMax)
        {
            discovery = new PeerDiscovery(refresh, learnMax);
            return this;
        }

        /**
         * Receive on this address only, and announce it as the contact address: several nodes on one port, each
         * on its own 127.0.0.x, as nodes on several hosts would be.
         */
        Builder address(String ip)
        {
            listenAddress = Endpoints.address(ip);
            contactAddress = listenAddress;
            return this;
        }

        Builder interval(Duration d)
        {
            interval = d;
            return this;
        }

        Builder forgetAfter(Duration d)
        {
            forgetAfter = d;
            return this;
        }

        Builder accept(String... cidrs)
        {
            for (String c : cidrs)
                accept.add(Cidr.parse(c));
            return this;
        }

        /** backhand.memberAddresses: where members' contacts may lie (by default the accepted ranges). */
        Builder memberAddresses(String... cidrs)
        {
            for (String c : cidrs)
                members.add(Cidr.parse(c));
            return this;
        }

        /** Listen on exactly these ports instead of every destination's port. */
        Builder listen(Integer... ports)
        {
            listen = List.of(ports);
            return this;
        }

        Builder secret(String s)
        {
            secret = s.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Builder httpPort(int port)
        {
            httpPort = port;
            return this;
        }

        PlaneNode start() throws IOException
        {
            Set<Integer> ports = new LinkedHashSet<>();
            if (listen != null)
                ports.addAll(listen);
            else
                destinations.forEach(d -> ports.add(d.target().getPort()));
            boolean multicast = destinations.stream().anyMatch(d -> d.kind() == Destination.Kind.MULTICAST);
            if (multicast && iface == null)
                throw new IllegalStateException(name + ": a multicast line needs iface(\"lo\")");
            TransportSettings transport = new TransportSettings(destinations, peers, new ArrayList<>(ports),
                iface == null ? null : namedInterface(iface), discovery, listenAddress);
            AcceptStats acceptStats = new AcceptStats(accept);
            StatsSettings settings = new StatsSettings(transport, acceptStats, secret, interval,
                forgetAfter, Duration.ofMinutes(5), members.isEmpty() ? acceptStats : new AcceptStats(members));
            AtomicReference<NodeState> state = new AtomicReference<>(NodeState.READY);
            LocalSampler.Identity identity = new LocalSampler.Identity(name, name + ".test", contactAddress, 0,
                System.currentTimeMillis(), 1000, "test");
            LocalSampler sampler = new LocalSampler(identity, HostFigures.forThisHost(), new FixedContainer(name, httpPort),
                ProxyTotals.NONE, state::get);
            StatsService service = new StatsService(settings, sampler, state, resolver);
            service.start();
            return new PlaneNode(name, service);
        }

        private static NetworkInterface namedInterface(String name) throws SocketException
        {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni == null)
                throw new IllegalStateException("these tests need the interface " + name);
            return ni;
        }
    }

    private record FixedContainer(String name, int httpPort) implements ContainerGauge
    {
        @Override
        public int maxWorkers()
        {
            return 50;
        }

        @Override
        public int idleWorkers()
        {
            return 48;
        }

        @Override
        public int inFlight()
        {
            return 2;
        }

        @Override
        public String workerName()
        {
            return name;
        }

        @Override
        public boolean secure()
        {
            return false;
        }

        @Override
        public String describe()
        {
            return "fixed figures for transport tests";
        }
    }
}
