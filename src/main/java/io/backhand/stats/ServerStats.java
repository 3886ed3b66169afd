package io.backhand.stats;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What one server announces about itself: every field of mod_backhand's {@code serverstat}, plus what a
 * Jetty node knows better (requests in flight, session worker name, state, version).
 *
 * @param name               stable identity of the node across restarts and address changes
 * @param hostname           the host's own name, for {@code byHostname} and {@code HTTPRedirectToName}
 * @param contactAddress     the address to send requests to; null means "the address my datagrams come from"
 * @param contactPort        HTTP port of the node
 * @param secure             whether the contact port speaks TLS
 * @param startedAtMillis    when this incarnation started (epoch ms): a newer value means a restart
 * @param sentAtMillis       when this announcement was made (epoch ms, sender's clock)
 * @param sequence           increases with every announcement of one incarnation (replay protection)
 * @param state              ready, draining or leaving
 * @param arriba             relative speed: larger is faster
 * @param totalWorkers       worker threads the server may run
 * @param idleWorkers        worker threads free to take a request now
 * @param inFlight           requests the whole server is working on now (mod_backhand's busy children)
 * @param load1000           one-minute load average x1000
 * @param loadHighWater1000  the cluster's load high-water mark x1000 as this node knows it
 * @param cpuIdle1000        share of CPU time idle since the previous sample, x1000
 * @param cpuCount           CPUs available
 * @param memTotalBytes      physical memory
 * @param memFreeBytes       memory available for new work
 * @param requestsBackhanded requests this node has proxied to others since it started
 * @param avgServeMicros     their average time to serve, in microseconds
 * @param workerName         Jetty's session worker name (the suffix of its session ids), for bySession
 * @param version            software version of Backhand on the node
 */
public record ServerStats(
    String name,
    String hostname,
    InetAddress contactAddress,
    int contactPort,
    boolean secure,
    long startedAtMillis,
    long sentAtMillis,
    long sequence,
    NodeState state,
    int arriba,
    int totalWorkers,
    int idleWorkers,
    int inFlight,
    int load1000,
    int loadHighWater1000,
    int cpuIdle1000,
    int cpuCount,
    long memTotalBytes,
    long memFreeBytes,
    long requestsBackhanded,
    int avgServeMicros,
    String workerName,
    String version)
{
    public ServerStats
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(workerName, "workerName");
        Objects.requireNonNull(version, "version");
    }

    /** Busy workers in mod_backhand's sense: the requests this server is working on now. */
    public int busyWorkers()
    {
        return inFlight;
    }

    public double load()
    {
        return load1000 / 1000.0;
    }

    public ServerStats withContactAddress(InetAddress address)
    {
        return toBuilder().contactAddress(address).build();
    }

    public ServerStats withState(NodeState newState)
    {
        return toBuilder().state(newState).build();
    }

    public Builder toBuilder()
    {
        return new Builder().name(name).hostname(hostname).contactAddress(contactAddress).contactPort(contactPort)
            .secure(secure).startedAtMillis(startedAtMillis).sentAtMillis(sentAtMillis).sequence(sequence)
            .state(state).arriba(arriba).totalWorkers(totalWorkers).idleWorkers(idleWorkers).inFlight(inFlight)
            .load1000(load1000).loadHighWater1000(loadHighWater1000).cpuIdle1000(cpuIdle1000).cpuCount(cpuCount)
            .memTotalBytes(memTotalBytes).memFreeBytes(memFreeBytes).requestsBackhanded(requestsBackhanded)
            .avgServeMicros(avgServeMicros).workerName(workerName).version(version);
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Fields default to a plausible idle node, so that tests state only what matters to them. */
    public static final class Builder
    {
        private String name = "node";
        private String hostname = "localhost";
        private InetAddress contactAddress;
        private int contactPort = 8080;
        private boolean secure;
        private long startedAtMillis;
        private long sentAtMillis;
        private long sequence;
        private NodeState state = NodeState.READY;
        private int arriba = 1000;
        private int totalWorkers = 200;
        private int idleWorkers = 200;
        private int inFlight;
        private int load1000;
        private int loadHighWater1000 = 1000;
        private int cpuIdle1000 = 1000;
        private int cpuCount = 1;
        private long memTotalBytes = 1L << 30;
        private long memFreeBytes = 1L << 29;
        private long requestsBackhanded;
        private int avgServeMicros;
        private String workerName = "";
        private String version = "";

        public Builder name(String v) { name = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder contactAddress(InetAddress v) { contactAddress = v; return this; }
        public Builder contactPort(int v) { contactPort = v; return this; }
        public Builder secure(boolean v) { secure = v; return this; }
        public Builder startedAtMillis(long v) { startedAtMillis = v; return this; }
        public Builder sentAtMillis(long v) { sentAtMillis = v; return this; }
        public Builder sequence(long v) { sequence = v; return this; }
        public Builder state(NodeState v) { state = v; return this; }
        public Builder arriba(int v) { arriba = v; return this; }
        public Builder totalWorkers(int v) { totalWorkers = v; return this; }
        public Builder idleWorkers(int v) { idleWorkers = v; return this; }
        public Builder inFlight(int v) { inFlight = v; return this; }
        public Builder load1000(int v) { load1000 = v; return this; }
        public Builder loadHighWater1000(int v) { loadHighWater1000 = v; return this; }
        public Builder cpuIdle1000(int v) { cpuIdle1000 = v; return this; }
        public Builder cpuCount(int v) { cpuCount = v; return this; }
        public Builder memTotalBytes(long v) { memTotalBytes = v; return this; }
        public Builder memFreeBytes(long v) { memFreeBytes = v; return this; }
        public Builder requestsBackhanded(long v) { requestsBackhanded = v; return this; }
        public Builder avgServeMicros(int v) { avgServeMicros = v; return this; }
        public Builder workerName(String v) { workerName = v; return this; }
        public Builder version(String v) { version = v; return this; }

        public ServerStats build()
        {
            return new ServerStats(name, hostname, contactAddress, contactPort, secure, startedAtMillis, sentAtMillis,
                sequence, state, arriba, totalWorkers, idleWorkers, inFlight, load1000, loadHighWater1000, cpuIdle1000,
                cpuCount, memTotalBytes, memFreeBytes, requestsBackhanded, avgServeMicros, workerName, version);
        }
    }
}
