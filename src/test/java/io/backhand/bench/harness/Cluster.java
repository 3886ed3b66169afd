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
    private final List<Double> slowdowns;
    private final List<Integer> workers;

    /**
     * @param slowdowns one factor per node (3 = three times slower)
     * @param interval  the nodes' announce interval
     */
    Cluster(Env env, String name, String cpus, List<Double> slowdowns, String interval) throws Exception
    {
        this(env, name, cpus, slowdowns, slowdowns.stream().map(s -> ClusterScenarios.WORKERS).toList(), interval);
    }

    /** @param workers one count per node */
    Cluster(Env env, String name, String cpus, List<Double> slowdowns, List<Integer> workers, String interval) throws Exception
    {
        this.slowdowns = List.copyOf(slowdowns);
        this.workers = List.copyOf(workers);
        List<String> args = new ArrayList<>(List.of("--nodes", Integer.toString(slowdowns.size()), "--workers", "4",
            "--workers-each", String.join(",", workers.stream().map(String::valueOf).toList()),
            "--mean-ms", Double.toString(ClusterScenarios.MEAN_MS), "--interval", interval, "--slowdowns",
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

    List<Double> slowdowns()
    {
        return slowdowns;
    }

    List<Integer> workers()
    {
        return workers;
    }

    /** Requests per second the cluster can serve at most: workers over mean service time, summed. */
    double capacity()
    {
        double c = 0;
        for (int i = 0; i < workers.size(); i++)
            c += workers.get(i) * 1000.0 / (ClusterScenarios.MEAN_MS * slowdowns.get(i));
        return c;
    }

    /** Service times of {@code node} become the base mean times {@code factor} from now on. */
    synchronized void slow(String node, double factor) throws Exception
    {
        proc.send("slow " + node + " " + factor);
        proc.await("OK", Duration.ofSeconds(10));
    }

    /** While on, {@code node} answers 503 at once. */
    synchronized void fail(String node, boolean on) throws Exception
    {
        proc.send("fail " + node + " " + (on ? "on" : "off"));
        proc.await("OK", Duration.ofSeconds(10));
    }

    long pid()
    {
        return proc.pid();
    }

    /** Each node's figures since the previous call. */
    synchronized Map<String, WorkGauge.Snapshot> stats() throws Exception
    {
        proc.send("stats");
        return JSON.readValue(proc.await("STATS ", Duration.ofSeconds(10)), new TypeReference<Map<String, WorkGauge.Snapshot>>() {});
    }

    /** Empties every node's queue (answering 503) and waits for its workers: each trial starts from idle backends. */
    synchronized int drain() throws Exception
    {
        proc.send("drain");
        return Integer.parseInt(proc.await("DRAINED ", Duration.ofSeconds(30)).strip());
    }

    synchronized void heartbeat(List<String> urls) throws Exception
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
