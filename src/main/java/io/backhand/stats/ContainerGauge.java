package io.backhand.stats;

/**
 * What the hosting Jetty server knows about its own work: all of its contexts, not only the one this WAR
 * runs in. Implementations read the container through whatever it exposes; values are read on every sample.
 */
public interface ContainerGauge
{
    /** Worker threads the server may run. */
    int maxWorkers();

    /** Worker threads free to take a request now. */
    int idleWorkers();

    /** Requests the whole server is working on now. */
    int inFlight();

    /**
     * Whether {@link #inFlight()} counts an upgraded connection (a WebSocket tunnel) as a request until it
     * closes, as Jetty's StatisticsHandler does; a graceful leave must not wait for those.
     */
    default boolean countsUpgraded()
    {
        return false;
    }

    /** Jetty's session worker name, or "" when the server has no session id manager. */
    String workerName();

    /** The HTTP port this node serves on, or 0 while the connectors are not started yet. */
    int httpPort();

    /** Whether {@link #httpPort()} speaks TLS. */
    boolean secure();

    /**
     * Whether the connector listening on {@code port} speaks TLS, for a contact port set by configuration; when
     * no connector listens on it (a port mapping in front), the answer for {@link #httpPort()}.
     */
    default boolean secureAt(int port)
    {
        return secure();
    }

    /** Where the figures come from, shown on the status page so an operator can judge them. */
    String describe();

    /**
     * Requests the whole server has started since it started, or -1 when the container does not count them;
     * a graceful leave watches it to know when requests have stopped arriving.
     */
    default long requestsStarted()
    {
        return -1;
    }
}
