package io.backhand.web;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backhand.candidacy.Chain;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.DropReason;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import io.backhand.stats.ServerStats;

/**
 * The status map as data: one document that the HTML page, the JSON endpoint and the metrics all read, so
 * they can never disagree. Field names are plain words; docs/status-json.md documents the schema.
 */
final class StatusModel
{
    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusModel()
    {
    }

    /** A server is stale, and shown so, once it has missed three announcements. */
    static boolean stale(Member m, long nowNanos, long intervalNanos)
    {
        return !m.isSelf() && nowNanos - m.heardAtNanos() > 3 * intervalNanos;
    }

    static ObjectNode build(Backhand backhand)
    {
        ClusterView view = backhand.stats().view();
        long now = System.nanoTime();
        long interval = backhand.settings().stats().interval().toNanos();
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA_VERSION);
        root.put("node", backhand.settings().nodeName());
        root.put("version", backhand.version());
        root.put("time", Instant.now().toString());
        root.put("state", backhand.stats().state().word());
        root.put("announceIntervalSeconds", interval / 1e9);
        root.put("loadHighWater", view.loadHighWater1000() / 1000.0);
        if (view.loneReason() != null)
            root.put("alone", view.loneReason());
        else
            root.putNull("alone");
        root.put("workers", backhand.stats().sampler().container().describe());
        ArrayNode servers = root.putArray("servers");
        for (Member m : view.members())
            servers.add(server(m, now, interval));
        ArrayNode filters = root.putArray("filters");
        for (FilterSetup f : backhand.filters().values())
        {
            ObjectNode fn = filters.addObject();
            fn.put("name", f.filterName());
            ArrayNode patterns = fn.putArray("urlPatterns");
            f.urlPatterns().forEach(patterns::add);
            ArrayNode chain = fn.putArray("chain");
            for (Chain.Step s : f.chain().steps())
                chain.add(s.text());
            fn.put("retries", f.retries());
            fn.put("figures", f.interpretedFigures() ? "interpreted" : "raw");
        }
        ObjectNode plane = root.putObject("statsPlane");
        plane.put("accepted", backhand.stats().drops().acceptedCount());
        ObjectNode drops = plane.putObject("dropped");
        for (Map.Entry<DropReason, Long> e : backhand.stats().drops().snapshot().entrySet())
            drops.put(e.getKey().word(), e.getValue());
        ArrayNode accept = plane.putArray("acceptStats");
        backhand.settings().stats().acceptStats().ranges().forEach(c -> accept.add(c.toString()));
        ArrayNode dest = plane.putArray("destinations");
        backhand.settings().stats().transport().destinations().forEach(d -> dest.add(d.text()));
        ArrayNode peers = plane.putArray("peers");
        backhand.settings().stats().transport().peers().forEach(p -> peers.add(p.getHostString() + ":" + p.getPort()));
        plane.put("signed", backhand.settings().stats().secret() != null);
        return root;
    }

    private static ObjectNode server(Member m, long now, long interval)
    {
        ServerStats s = m.stats();
        ObjectNode n = JSON.createObjectNode();
        n.put("name", s.name());
        n.put("hostname", s.hostname());
        n.put("address", m.contact().getAddress().getHostAddress());
        n.put("port", m.contact().getPort());
        n.put("self", m.isSelf());
        n.put("state", s.state().word());
        n.put("ageSeconds", Math.round(m.ageSeconds(now) * 1000) / 1000.0);
        n.put("stale", stale(m, now, interval));
        n.put("down", m.ledger().isDown());
        n.put("arriba", s.arriba());
        n.put("workersTotal", s.totalWorkers());
        n.put("workersIdle", s.idleWorkers());
        n.put("busy", s.busyWorkers());
        n.put("busyInterpreted", m.interpretedBusy());
        n.put("load", s.load());
        n.put("loadInterpreted", Math.round(m.interpretedLoad() * 1000) / 1000.0);
        n.put("loadHighWater", s.loadHighWater1000() / 1000.0);
        n.put("cpuIdle", s.cpuIdle1000() / 1000.0);
        n.put("cpuCount", s.cpuCount());
        n.put("memoryTotalBytes", s.memTotalBytes());
        n.put("memoryFreeBytes", s.memFreeBytes());
        n.put("requestsBackhanded", s.requestsBackhanded());
        n.put("averageServeMicros", s.avgServeMicros());
        n.put("workerName", s.workerName());
        n.put("version", s.version());
        n.put("startedAt", Instant.ofEpochMilli(s.startedAtMillis()).toString());
        PeerLedger l = m.ledger();
        ObjectNode seen = n.putObject("fromThisNode");
        seen.put("proxied", l.proxiedCount());
        seen.put("servedLocally", l.servedLocallyCount());
        seen.put("redirected", l.redirectedCount());
        seen.put("retried", l.retriedCount());
        seen.put("failed", l.failedCount());
        seen.put("inFlight", l.inFlight());
        seen.put("averageMicros", l.latency().averageMicros());
        seen.put("p99Micros", l.latency().quantileMicros(0.99));
        return n;
    }

    static ObjectMapper json()
    {
        return JSON;
    }
}
