package io.backhand.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.backhand.stats.NodeState;
import io.backhand.node.Backhand;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The status map as Prometheus metrics, collected at scrape time from one {@link StatusModel}: nothing is
 * counted twice, and every metric of one scrape describes the same instant. Names start with
 * {@code backhand_}; {@code server} labels name the member (as announced), {@code filter} the filter
 * declaration. docs/status.md lists every metric.
 */
final class ClusterMetrics implements MultiCollector
{
    private final Backhand backhand;

    ClusterMetrics(Backhand backhand)
    {
        this.backhand = backhand;
    }

    @Override
    public MetricSnapshots collect()
    {
        StatusModel model = StatusModel.build(backhand);
        List<MetricSnapshot> out = new ArrayList<>();
        cluster(model, out);
        announced(model.servers(), out);
        fromThisNode(model.servers(), out);
        filters(model.filters(), out);
        statsPlane(model.statsPlane(), out);
        tunnels(model.tunnels(), out);
        return new MetricSnapshots(out);
    }

    private static void cluster(StatusModel model, List<MetricSnapshot> out)
    {
        out.add(GaugeSnapshot.builder().name("backhand_cluster_servers").help("Servers in this node's cluster view, itself included")
            .dataPoint(GaugeDataPointSnapshot.builder().value(model.servers().size()).build()).build());
        out.add(GaugeSnapshot.builder().name("backhand_cluster_load_high_water").help("The cluster's load high-water mark (a power of two)")
            .dataPoint(GaugeDataPointSnapshot.builder().value(model.loadHighWater()).build()).build());
    }

    private static void announced(List<StatusModel.Server> servers, List<MetricSnapshot> out)
    {
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("backhand_server")
            .help("One per server in this node's view; self=\"true\" marks this node");
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("backhand_server_state")
            .help("1 for the state the server announces (ready, draining, leaving), 0 for the others");
        CounterSnapshot.Builder backhanded = CounterSnapshot.builder().name("backhand_server_requests_backhanded")
            .help("Requests the server announces it has proxied to others since it started");
        for (StatusModel.Server s : servers)
        {
            info.dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("server", s.name(), "hostname", s.hostname(),
                "address", s.address(), "port", Integer.toString(s.port()), "worker", s.workerName(),
                "version", s.version(), "self", Boolean.toString(s.self()))).build());
            for (NodeState st : NodeState.values())
                state.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("server", s.name(), "state", st.word()))
                    .value(st.word().equals(s.state()) ? 1 : 0).build());
            counter(backhanded, Labels.of("server", s.name()), s.requestsBackhanded());
        }
        out.add(info.build());
        out.add(state.build());
        out.add(backhanded.build());

        out.add(perServer(servers, "backhand_server_age_seconds",
            "Seconds since the server's last announcement was heard (0 for this node)", StatusModel.Server::ageSeconds));
        out.add(perServer(servers, "backhand_server_stale",
            "1 when the server has missed three announcements", s -> s.stale() ? 1 : 0));
        out.add(perServer(servers, "backhand_server_down",
            "1 while passive health keeps the server out after a refused connection", s -> s.down() ? 1 : 0));
        out.add(perServer(servers, "backhand_server_arriba",
            "Announced relative speed (larger is faster)", StatusModel.Server::arriba));
        out.add(perServer(servers, "backhand_server_workers",
            "Announced worker threads the server may run", StatusModel.Server::workersTotal));
        out.add(perServer(servers, "backhand_server_idle_workers",
            "Announced idle worker threads", StatusModel.Server::workersIdle));
        out.add(perServer(servers, "backhand_server_busy_workers",
            "Announced requests in flight on the whole server", StatusModel.Server::busy));
        out.add(perServer(servers, "backhand_server_busy_workers_interpreted",
            "Announced busy workers plus the requests this node sent there since, still running", StatusModel.Server::busyInterpreted));
        out.add(perServer(servers, "backhand_server_load",
            "Announced one-minute load average", StatusModel.Server::load));
        out.add(perServer(servers, "backhand_server_load_interpreted",
            "Announced load plus the requests this node sent there since, per CPU", StatusModel.Server::loadInterpreted));
        out.add(perServer(servers, "backhand_server_load_high_water",
            "The load high-water mark the server announces", StatusModel.Server::loadHighWater));
        out.add(perServer(servers, "backhand_server_cpu_idle_ratio",
            "Announced share of CPU time idle, 0..1", StatusModel.Server::cpuIdle));
        out.add(perServer(servers, "backhand_server_cpus",
            "Announced CPU count", StatusModel.Server::cpuCount));
        out.add(perServer(servers, "backhand_server_memory_bytes",
            "Announced physical memory", StatusModel.Server::memoryTotalBytes));
        out.add(perServer(servers, "backhand_server_memory_free_bytes",
            "Announced memory available for new work", StatusModel.Server::memoryFreeBytes));
        out.add(perServer(servers, "backhand_server_serve_time_average_seconds",
            "Announced average time to serve the requests it backhanded", s -> s.averageServeMicros() / 1e6));
        out.add(perServer(servers, "backhand_server_start_time_seconds",
            "When the server's current incarnation started, Unix time", s -> Instant.parse(s.startedAt()).toEpochMilli() / 1000.0));
    }

    private static void fromThisNode(List<StatusModel.Server> servers, List<MetricSnapshot> out)
    {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name("backhand_backend_requests")
            .help("Requests of this node for each server, by outcome: local (served here), proxied, redirected, "
                + "retried (an attempt failed there and went on), failed");
        for (StatusModel.Server s : servers)
        {
            StatusModel.FromThisNode f = s.fromThisNode();
            counter(requests, Labels.of("server", s.name(), "outcome", "local"), f.servedLocally());
            counter(requests, Labels.of("server", s.name(), "outcome", "proxied"), f.proxied());
            counter(requests, Labels.of("server", s.name(), "outcome", "redirected"), f.redirected());
            counter(requests, Labels.of("server", s.name(), "outcome", "retried"), f.retried());
            counter(requests, Labels.of("server", s.name(), "outcome", "failed"), f.failed());
        }
        out.add(requests.build());
        out.add(perServer(servers, "backhand_backend_in_flight",
            "Requests this node has running on the server now", s -> s.fromThisNode().inFlight()));
        out.add(perServer(servers, "backhand_backend_response_time_average_seconds",
            "Average response time this node has seen from the server", s -> s.fromThisNode().averageMicros() / 1e6));
        out.add(perServer(servers, "backhand_backend_response_time_p99_seconds",
            "99th percentile of the response times this node saw from the server over the last one to two minutes",
            s -> s.fromThisNode().p99Micros() / 1e6));
    }

    private static void filters(List<StatusModel.Filter> filters, List<MetricSnapshot> out)
    {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name("backhand_filter_requests")
            .help("Requests of each Backhand filter by the server they went to and outcome "
                + "(retried counts attempts; the request also counts under its final outcome)");
        CounterSnapshot.Builder unavailable = CounterSnapshot.builder().name("backhand_filter_unavailable")
            .help("Requests of each Backhand filter answered 503 because no server was left");
        for (StatusModel.Filter f : filters)
        {
            for (Map.Entry<String, Map<String, Long>> server : f.byServer().entrySet())
            {
                for (Map.Entry<String, Long> outcome : server.getValue().entrySet())
                    counter(requests, Labels.of("filter", f.name(), "server", server.getKey(), "outcome", outcome.getKey()),
                        outcome.getValue());
            }
            counter(unavailable, Labels.of("filter", f.name()), f.requests().getOrDefault("unavailable", 0L));
        }
        out.add(requests.build());
        out.add(unavailable.build());
    }

    private static void statsPlane(StatusModel.StatsPlane plane, List<MetricSnapshot> out)
    {
        CounterSnapshot.Builder accepted = CounterSnapshot.builder().name("backhand_stats_accepted")
            .help("Announcements taken into the cluster view");
        counter(accepted, Labels.EMPTY, plane.accepted());
        out.add(accepted.build());
        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name("backhand_stats_dropped")
            .help("Datagrams the stats plane dropped, by reason");
        plane.dropped().forEach((reason, count) -> counter(dropped, Labels.of("reason", reason), count));
        out.add(dropped.build());
    }

    private static void tunnels(StatusModel.Tunnels t, List<MetricSnapshot> out)
    {
        out.add(GaugeSnapshot.builder().name("backhand_tunnels_open").help("Upgrade tunnels (WebSocket) open now")
            .dataPoint(GaugeDataPointSnapshot.builder().value(t.open()).build()).build());
        CounterSnapshot.Builder opened = CounterSnapshot.builder().name("backhand_tunnels_opened")
            .help("Upgrade tunnels opened since start (the node answered 101)");
        counter(opened, Labels.EMPTY, t.opened());
        out.add(opened.build());
        CounterSnapshot.Builder closed = CounterSnapshot.builder().name("backhand_tunnels_closed_abnormally")
            .help("Upgrade tunnels that ended other than by one side closing, by reason: error (a read or write failed), "
                + "idle (nothing passed for the idle timeout)");
        counter(closed, Labels.of("reason", "error"), t.closedByError());
        counter(closed, Labels.of("reason", "idle"), t.closedIdle());
        out.add(closed.build());
        CounterSnapshot.Builder refused = CounterSnapshot.builder().name("backhand_tunnels_refused")
            .help("Upgrades the chosen node answered with something other than 101, passed to the client as they were");
        counter(refused, Labels.EMPTY, t.refused());
        out.add(refused.build());
    }

    private static GaugeSnapshot perServer(List<StatusModel.Server> servers, String name, String help,
                                           ToDoubleFunction<StatusModel.Server> value)
    {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (StatusModel.Server s : servers)
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("server", s.name())).value(value.applyAsDouble(s)).build());
        return b.build();
    }

    private static void counter(CounterSnapshot.Builder b, Labels labels, double value)
    {
        b.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
    }
}
