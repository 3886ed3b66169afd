package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.List;

import io.backhand.bench.load.StreamSpec;
import io.backhand.bench.peers.Backend;

/**
 * The floor: no balancer process at all, but the load generator itself sending each request where its expected
 * delay is shortest, from every backend's exact state (see the load package's Oracle). Every other contender's
 * p99 is also given as a ratio to its own.
 */
final class OracleContender implements Contender
{
    static final String LABEL = "oracle (exact state)";

    @Override
    public String label()
    {
        return LABEL;
    }

    @Override
    public Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus)
    {
        List<String> uris = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        for (int i = 0; i < cluster.nodes().size(); i++)
        {
            uris.add(cluster.uri(i, "/work"));
            means.add(ClusterScenarios.MEAN_MS * cluster.slowdowns().get(i));
        }
        List<Integer> workers = cluster.workers();
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < count; i++)
            entries.add("oracle:" + (i + 1) + "/");
        return new Started(entries, List.of(), () -> { })
        {
            @Override
            public StreamSpec stream(String label, int balancer, String path, double rate)
            {
                return StreamSpec.oracle(label, uris, workers, means, rate);
            }
        };
    }
}
