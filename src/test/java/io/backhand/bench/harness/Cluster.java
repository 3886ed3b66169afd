package io.backhand.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.bench.backend.BackendMain;
import io.backhand.bench.backend.WorkGauge;
import io.backhand.bench.peers.Backend;

/** The backend JVM ({@link BackendMain}) as the harness drives it. */
final class Cluster implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Proc proc;
    private final List<BackendMain.NodeInfo> nodes;

    /**
     * @param slowdowns one factor per node (3 = three times slower)
     * @param interval  the nodes' announce interval
     */
    Cluster(Env env, String name, String cpus, List<Double> slowdowns, String interval) throws Exception
    {
        List<String> args = new ArrayList<>(List.of("--nodes", Integer.toString(slowdowns.size()), "--workers", "4",
            "--mean-ms", "10", "--interval", interval, "--slowdowns",
            String.join(",", slowdowns.stream().map(String::valueOf).toList())));
        for (String g : env.groups)
        {
            args.add("--mcast");
            args.add(g);
        }
        proc = env.startJava(name, cpus, BackendMain.class.getName(), args, false);
        try
        {
            nodes = JSON.readValue(proc.await("READY ", Duration.ofSeconds(60)), new TypeReference<List<BackendMain.NodeInfo>>() {});
        }
        catch (Exception e)
        {
            proc.close();
            throw e;
        }
    }

    List<BackendMain.NodeInfo> nodes()
    {
        return nodes;
    }

    List<Backend> backends()
    {
        return nodes.stream().map(n -> new Backend(n.name(), n.host(), n.port())).toList();
    }

    String uri(int node, String path)
    {
        BackendMain.NodeInfo n = nodes.get(node);
        return "http://" + n.host() + ":" + n.port() + path;
    }

    long pid()
    {
        return proc.pid();
    }

    /** Each node's figures since the previous call. */
    Map<String, WorkGauge.Snapshot> stats() throws Exception
    {
        proc.send("stats");
        return JSON.readValue(proc.await("STATS ", Duration.ofSeconds(10)), new TypeReference<Map<String, WorkGauge.Snapshot>>() {});
    }

    /** Empties every node's queue (answering 503) and waits for its workers: each trial starts from idle backends. */
    int drain() throws Exception
    {
        proc.send("drain");
        return Integer.parseInt(proc.await("DRAINED ", Duration.ofSeconds(30)).strip());
    }

    void heartbeat(List<String> urls) throws Exception
    {
        proc.send(("heartbeat " + String.join(" ", urls)).strip());
        proc.await("OK", Duration.ofSeconds(10));
    }

    @Override
    public void close()
    {
        proc.close();
    }
}
