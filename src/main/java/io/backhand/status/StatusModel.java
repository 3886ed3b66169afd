package io.backhand.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.candidacy.Chain;
import io.backhand.candidacy.DecisionTrace;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.DropReason;
import io.backhand.cluster.Endpoints;
import io.backhand.cluster.LatencyRecorder;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import io.backhand.cluster.TrafficWindow;
import io.backhand.stats.ServerStats;
import io.backhand.node.Backhand;
import io.backhand.node.DecisionLog;
import io.backhand.node.FilterCounters;
import io.backhand.node.FilterSetup;
import io.backhand.node.NodeSettings;
import io.backhand.node.TunnelCounters;

/**
 * The status map as data: one immutable document, taken at one instant, that the HTML page (through the
 * JSON), the JSON endpoint and the Prometheus metrics all read, so that they can never disagree. Jackson
 * writes it field by field in the order declared here; docs/status.md documents every field, and fields are
 * only ever added, never renamed, within one {@link #SCHEMA_VERSION}.
 */
record StatusModel(
    int schema,
    String node,
    String version,
    String time,
    String state,
    double announceIntervalSeconds,
    double staleAfterSeconds,
    double loadHighWater,
    String alone,
    String workers,
    int trafficWindowSeconds,
    List<Server> servers,
    List<Filter> filters,
    StatsPlane statsPlane,
    boolean admin,
    Tunnels tunnels)
{
    static final int SCHEMA_VERSION = 1;
    /** A server is stale, and shown so, once it has missed this many announcements. */
    static final int STALE_AFTER_ANNOUNCEMENTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param fromThisNode what this node itself did with its requests for that server
     */
    record Server(
        String name,
        String hostname,
        String address,
        int port,
        boolean secure,
        boolean self,
        String state,
        double ageSeconds,
        boolean stale,
        boolean down,
        int arriba,
        int workersTotal,
        int workersIdle,
        int busy,
        int busyInterpreted,
        double load,
        double loadInterpreted,
        double loadHighWater,
        double cpuIdle,
        int cpuCount,
        long memoryTotalBytes,
        long memoryFreeBytes,
        long requestsBackhanded,
        int averageServeMicros,
        String workerName,
        String version,
        String startedAt,
        String sentAt,
        long sequence,
        FromThisNode fromThisNode)
    {
    }

    /**
     * @param lastMinute       requests in the traffic window (proxied there, or for this node served here)
     * @param shareLastMinute  this server's part of all servers' lastMinute, 0..1 (0 when there was no traffic)
     * @param perSecond        the same requests per second, oldest first; the last is the second in progress
     */
    record FromThisNode(
        long proxied,
        long servedLocally,
        long redirected,
        long retried,
        long failed,
        int inFlight,
        long averageMicros,
        long p99Micros,
        long lastMinute,
        double shareLastMinute,
        long[] perSecond)
    {
    }

    /**
     * @param requests  what the filter did with its requests, by outcome word
     * @param byServer  the same per server (outcomes that name a server: all but unavailable)
     * @param decisions the last explained decisions, newest first (asked for, or sampled once a second)
     */
    record Filter(
        String name,
        List<String> urlPatterns,
        List<String> chain,
        int retries,
        String figures,
        Map<String, Long> requests,
        Map<String, Map<String, Long>> byServer,
        List<Explained> decisions)
    {
    }

    /**
     * One decision with its trace.
     *
     * @param asked   true when the client asked for it, false when it was sampled
     * @param outcome local, declined, proxy, redirect or unavailable
     * @param winner  the server chosen, null when none was
     * @param steps   the candidates as the chain started ("start"), then after each function
     */
    record Explained(
        String time,
        String method,
        String path,
        boolean asked,
        String outcome,
        String winner,
        List<Step> steps)
    {
    }

    record Step(String function, List<Candidate> candidates)
    {
    }

    /** @param figure what the function ranked this server by, in its own units; null when it ranked nothing */
    record Candidate(String server, Double figure)
    {
    }

    record StatsPlane(
        long accepted,
        Map<String, Long> dropped,
        List<String> acceptStats,
        List<String> destinations,
        List<String> peers,
        List<String> peersNow,
        boolean signed)
    {
    }

    /**
     * This node's upgrade tunnels (WebSocket): open now, opened since start, and those that ended on an I/O
     * error or the idle timeout; refused counts upgrades the node answered with anything but 101.
     */
    record Tunnels(int open, long opened, long closedByError, long closedIdle, long refused)
    {
        static Tunnels of(TunnelCounters c)
        {
            return new Tunnels(c.open(), c.openedTotal(), c.closedByError(), c.closedIdle(), c.refusedTotal());
        }
    }

    static boolean stale(Member m, long nowNanos, long intervalNanos)
    {
        return !m.isSelf() && nowNanos - m.heardAtNanos() > STALE_AFTER_ANNOUNCEMENTS * intervalNanos;
    }

    static StatusModel build(Backhand backhand)
    {
        return build(backhand, System.nanoTime(), System.currentTimeMillis());
    }

    static StatusModel build(Backhand backhand, long nowNanos, long nowMillis)
    {
        NodeSettings settings = backhand.settings();
        ClusterView view = backhand.stats().view();
        long interval = settings.stats().interval().toNanos();

        List<Member> members = view.members();
        long[] lastMinute = new long[members.size()];
        long[][] perSecond = new long[members.size()][];
        long trafficTotal = 0;
        for (int i = 0; i < members.size(); i++)
        {
            // Totals come from the same per-second counts the chart draws, so chart and figures agree.
            perSecond[i] = members.get(i).ledger().traffic().perSecond(nowMillis);
            for (long c : perSecond[i])
                lastMinute[i] += c;
            trafficTotal += lastMinute[i];
        }
        List<Server> servers = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++)
        {
            double share = trafficTotal == 0 ? 0 : round((double) lastMinute[i] / trafficTotal, 4);
            servers.add(server(members.get(i), nowNanos, interval, lastMinute[i], share, perSecond[i]));
        }

        List<Filter> filters = new ArrayList<>();
        List<FilterSetup> setups = new ArrayList<>(backhand.filters().values());
        setups.sort(Comparator.comparing(FilterSetup::filterName));
        for (FilterSetup f : setups)
            filters.add(filter(f));

        Map<String, Long> dropped = new LinkedHashMap<>();
        for (Map.Entry<DropReason, Long> e : backhand.stats().drops().snapshot().entrySet())
            dropped.put(e.getKey().word(), e.getValue());
        StatsPlane plane = new StatsPlane(backhand.stats().drops().acceptedCount(), dropped,
            settings.stats().acceptStats().ranges().stream().map(Object::toString).toList(),
            settings.stats().transport().destinations().stream().map(d -> d.text()).toList(),
            settings.stats().transport().peers().stream().map(p -> p.getHostString() + ":" + p.getPort()).toList(),
            // Where unicast announcements go now, as resolved and learned
            backhand.stats().peerDestinations().stream().map(p -> Endpoints.format(p.getAddress(), p.getPort())).toList(),
            settings.stats().secret() != null);

        return new StatusModel(SCHEMA_VERSION, settings.nodeName(), backhand.version(),
            Instant.ofEpochMilli(nowMillis).toString(), backhand.stats().state().word(), interval / 1e9,
            STALE_AFTER_ANNOUNCEMENTS * interval / 1e9, view.loadHighWater1000() / 1000.0, view.loneReason(),
            backhand.stats().sampler().container().describe(), TrafficWindow.SECONDS, List.copyOf(servers),
            List.copyOf(filters), plane, backhand.settings().admin(), Tunnels.of(backhand.tunnels()));
    }

    private static Server server(Member m, long nowNanos, long interval, long lastMinute, double share, long[] perSecond)
    {
        ServerStats s = m.stats();
        PeerLedger l = m.ledger();
        LatencyRecorder latency = l.latency();
        FromThisNode seen = new FromThisNode(l.proxiedCount(), l.servedLocallyCount(), l.redirectedCount(),
            l.retriedCount(), l.failedCount(), l.inFlight(), latency.averageMicros(), latency.quantileMicros(0.99),
            lastMinute, share, perSecond);
        return new Server(s.name(), s.hostname(), m.contact().getAddress().getHostAddress(), m.contact().getPort(),
            s.secure(), m.isSelf(), s.state().word(), round(m.ageSeconds(nowNanos), 3), stale(m, nowNanos, interval),
            l.isDown(), s.arriba(), s.totalWorkers(), s.idleWorkers(), s.busyWorkers(), m.interpretedBusy(), s.load(),
            round(m.interpretedLoad(), 3), s.loadHighWater1000() / 1000.0, s.cpuIdle1000() / 1000.0, s.cpuCount(),
            s.memTotalBytes(), s.memFreeBytes(), s.requestsBackhanded(), s.avgServeMicros(), s.workerName(),
            s.version(), Instant.ofEpochMilli(s.startedAtMillis()).toString(),
            Instant.ofEpochMilli(s.sentAtMillis()).toString(), s.sequence(), seen);
    }

    private static Filter filter(FilterSetup f)
    {
        FilterCounters counters = f.counters();
        Map<String, Long> requests = new LinkedHashMap<>();
        for (FilterCounters.Outcome o : FilterCounters.Outcome.values())
            requests.put(o.word(), counters.total(o));
        Map<String, Map<String, Long>> byServer = new LinkedHashMap<>();
        counters.byServer().forEach((server, counts) ->
        {
            Map<String, Long> words = new LinkedHashMap<>();
            counts.forEach((o, c) ->
            {
                if (o.namesServer())
                    words.put(o.word(), c);
            });
            byServer.put(server, words);
        });
        return new Filter(f.filterName(), List.copyOf(f.urlPatterns()),
            f.chain().steps().stream().map(Chain.Step::text).toList(), f.retries(),
            f.interpretedFigures() ? "interpreted" : "raw", requests, byServer,
            counters.decisions().newestFirst().stream().map(StatusModel::explained).toList());
    }

    private static Explained explained(DecisionLog.Entry e)
    {
        DecisionTrace t = e.trace();
        List<Step> steps = t.steps().stream().map(s -> new Step(s.function(), s.candidates().stream()
            .map(c -> new Candidate(c.server(), figure(c.figure()))).toList())).toList();
        return new Explained(Instant.ofEpochMilli(e.atMillis()).toString(), e.method(), e.path(), e.asked(),
            t.outcome(), t.winner(), steps);
    }

    /** A sort key for JSON: none (null) when the function ranked nothing, or when it is no finite number. */
    private static Double figure(double v)
    {
        if (!Double.isFinite(v))
            return null;
        return Math.abs(v) < 1e9 ? round(v, 6) : v;
    }

    private static double round(double v, int decimals)
    {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    static ObjectMapper json()
    {
        return JSON;
    }
}
