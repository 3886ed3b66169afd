package io.backhand.status;

import java.util.List;
import java.util.Map;

/**
 * This node's view of the cluster over JMX ({@code io.backhand:type=Cluster,context=...}), for operators whose
 * monitoring speaks JMX rather than Prometheus. Read-only except {@link #drain()} and {@link #ready()}, which
 * JMX's own access control guards.
 */
public interface ClusterMXBean
{
    String getNodeName();

    /** ready, draining or leaving. */
    String getState();

    int getMemberCount();

    List<MemberInfo> getMembers();

    long getAcceptedAnnouncements();

    /** Dropped announcements by reason (foreign, truncated, bad_signature, ...). */
    Map<String, Long> getDroppedAnnouncements();

    long getRequestsBackhanded();

    /** Stops taking new requests (sessions pinned to this node still come). */
    void drain();

    /** Takes new requests again. */
    void ready();

    /** One member as this node sees it. */
    final class MemberInfo
    {
        private final String name;
        private final String address;
        private final int port;
        private final boolean self;
        private final String state;
        private final double ageSeconds;
        private final int busy;
        private final int busyInterpreted;
        private final double load;
        private final double cpuIdle;
        private final long proxied;
        private final long failed;
        private final long retried;
        private final int inFlight;
        private final long p99Micros;

        @java.beans.ConstructorProperties({"name", "address", "port", "self", "state", "ageSeconds", "busy",
            "busyInterpreted", "load", "cpuIdle", "proxied", "failed", "retried", "inFlight", "p99Micros"})
        public MemberInfo(String name, String address, int port, boolean self, String state, double ageSeconds, int busy,
                          int busyInterpreted, double load, double cpuIdle, long proxied, long failed, long retried,
                          int inFlight, long p99Micros)
        {
            this.name = name;
            this.address = address;
            this.port = port;
            this.self = self;
            this.state = state;
            this.ageSeconds = ageSeconds;
            this.busy = busy;
            this.busyInterpreted = busyInterpreted;
            this.load = load;
            this.cpuIdle = cpuIdle;
            this.proxied = proxied;
            this.failed = failed;
            this.retried = retried;
            this.inFlight = inFlight;
            this.p99Micros = p99Micros;
        }

        public String getName() { return name; }
        public String getAddress() { return address; }
        public int getPort() { return port; }
        public boolean isSelf() { return self; }
        public String getState() { return state; }
        public double getAgeSeconds() { return ageSeconds; }
        public int getBusy() { return busy; }
        public int getBusyInterpreted() { return busyInterpreted; }
        public double getLoad() { return load; }
        public double getCpuIdle() { return cpuIdle; }
        public long getProxied() { return proxied; }
        public long getFailed() { return failed; }
        public long getRetried() { return retried; }
        public int getInFlight() { return inFlight; }
        public long getP99Micros() { return p99Micros; }
    }
}
