package io.backhand.stats;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
     * One sample, every figure brought into the range the wire format carries: a container or an operating
     * system that reports something odd (a negative load, more free memory than total) must cost accuracy
     * for one figure, never the announcement.
     *
     * @param loadHighWater1000 the load high-water mark this node has observed, as the cluster table keeps it
     */
    public ServerStats sample(long nowMillis, int loadHighWater1000)
    {
        HostSample h = host.sample();
        int total = Math.max(0, container.maxWorkers());
        int idle = clamp(container.idleWorkers(), 0, total);
        long memTotal = Math.max(0, h.memTotalBytes());
        return new ServerStats(identity.name(), identity.hostname(), identity.contactAddress(), contactPort(),
            identity.configuredPort() > 0 ? container.secureAt(identity.configuredPort()) : container.secure(),
            identity.startedAtMillis(), nowMillis, ++sequence, state.get(),
            Math.max(1, identity.arriba()), total, idle, Math.max(0, container.inFlight()), Math.max(0, h.load1000()),
            loadHighWater1000, clamp(h.cpuIdle1000(), 0, 1000), clamp(h.cpuCount(), 1, 65535), memTotal,
            Math.max(0, Math.min(memTotal, h.memFreeBytes())), Math.max(0, proxy.requestsBackhanded()),
            Math.max(0, proxy.avgServeMicros()), announceable(container.workerName()), identity.version());
    }

    private static int clamp(int v, int min, int max)
    {
        return Math.max(min, Math.min(max, v));
    }

    /**
     * The container's worker name as the wire format can carry it (255 bytes of UTF-8, no control
     * characters), else none: bySession then cannot use it, but the node still announces.
     */
    static String announceable(String s)
    {
        if (s == null || s.getBytes(StandardCharsets.UTF_8).length > 255 || s.chars().anyMatch(Character::isISOControl))
            return "";
        return s;
    }
}
