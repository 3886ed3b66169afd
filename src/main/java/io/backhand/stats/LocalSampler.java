package io.backhand.stats;

import java.net.InetAddress;
import java.util.function.Supplier;

/**
 * Builds this node's {@link ServerStats} once per announce interval from the host, the container and the
 * proxy's own totals. One sampler per node; {@link #sample} is called from one thread only.
 */
public final class LocalSampler
{
    /** Fixed facts about this node, decided at start-up. */
    public record Identity(String name, String hostname, InetAddress contactAddress, int configuredPort,
                           long startedAtMillis, int arriba, String version)
    {
    }

    private final Identity identity;
    private final HostFigures host;
    private final ContainerGauge container;
    private final ProxyTotals proxy;
    private final Supplier<NodeState> state;
    private long sequence;

    public LocalSampler(Identity identity, HostFigures host, ContainerGauge container, ProxyTotals proxy,
                        Supplier<NodeState> state)
    {
        this.identity = identity;
        this.host = host;
        this.container = container;
        this.proxy = proxy;
        this.state = state;
    }

    public Identity identity()
    {
        return identity;
    }

    public ContainerGauge container()
    {
        return container;
    }

    /** The port peers should use: the configured one, else the container's, else 0 (not known yet). */
    public int contactPort()
    {
        return identity.configuredPort() > 0 ? identity.configuredPort() : container.httpPort();
    }

    /**
     * @param loadHighWater1000 the cluster's high-water mark as this node currently knows it
     */
    public ServerStats sample(long nowMillis, int loadHighWater1000)
    {
        HostSample h = host.sample();
        int total = container.maxWorkers();
        int idle = Math.max(0, Math.min(total, container.idleWorkers()));
        return new ServerStats(identity.name(), identity.hostname(), identity.contactAddress(), contactPort(),
            container.secure(), identity.startedAtMillis(), nowMillis, ++sequence, state.get(), identity.arriba(),
            total, idle, Math.max(0, container.inFlight()), h.load1000(), loadHighWater1000, h.cpuIdle1000(),
            h.cpuCount(), h.memTotalBytes(), h.memFreeBytes(), proxy.requestsBackhanded(), proxy.avgServeMicros(),
            container.workerName(), identity.version());
    }
}
