package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.backhand.bench.load.StreamSpec;
import io.backhand.bench.peers.Backend;

/**
 * The floor: no balancer process at all, but one central queue in the load generator handing each request to the
 * first free worker, fastest backend first (see the load package's Oracle). Every other contender's p99 is also
 * given as a ratio to its own.
 */
final class OracleContender implements Contender
{
    static final String LABEL = "oracle (central queue)";

    @Override
    public String label()
    {
        return LABEL;
    }

    @Override
    public Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus)
    {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < cluster.nodes().size(); i++)
            order.add(i);
        // Fastest first: least slowed down, then most workers.
        order.sort(Comparator.<Integer>comparingDouble(i -> cluster.slowdowns().get(i))
            .thenComparing(i -> -cluster.workers().get(i)));
        List<String> uris = order.stream().map(i -> cluster.uri(i, "/work")).toList();
        List<Integer> workers = order.stream().map(i -> cluster.workers().get(i)).toList();
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < count; i++)
            entries.add("oracle:" + (i + 1) + "/");
        return new Running()
        {
            @Override
            public List<String> entries()
            {
                return entries;
            }

            @Override
            public List<Long> pids()
            {
                return List.of();
            }

            @Override
            public StreamSpec stream(String label, int balancer, String path, double rate)
            {
                return StreamSpec.oracle(label, uris, workers, rate);
            }

            @Override
            public void close()
            {
            }
        };
    }
}
