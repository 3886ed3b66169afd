package io.backhand.bench.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.bench.balancer.BalancerMain;
import io.backhand.bench.peers.Backend;

/** Our balancer with one chain, in its own JVM ({@link BalancerMain}); balancer i hears the backends on group i. */
record BackhandContender(String label, String chain, String figures) implements Contender
{
    static final String DEFAULT_CHAIN = "byAge 6;byRandom;byLogWindow;byBusyChildren";

    static BackhandContender defaultChain()
    {
        return new BackhandContender("backhand default", DEFAULT_CHAIN, "interpreted");
    }

    static BackhandContender byLatency()
    {
        return new BackhandContender("backhand byLatency", "byAge 6;byLatency", "interpreted");
    }

    @Override
    public Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus) throws Exception
    {
        List<String> args = new ArrayList<>(List.of("--expect", Integer.toString(backends.size()), "--figures", figures));
        for (int i = 0; i < count; i++)
            args.addAll(List.of("--balancer", "lb" + (i + 1), env.groups.get(i), chain));
        String name = "backhand-" + label.replace("backhand ", "").replaceAll("[^A-Za-z0-9]+", "-") + "-x" + count;
        Proc proc = env.startJava(name, cpus, BalancerMain.class.getName(), args, true);
        try
        {
            Map<String, Integer> ports = new ObjectMapper().readValue(proc.await("READY ", Duration.ofSeconds(60)),
                new TypeReference<Map<String, Integer>>() {});
            List<String> entries = ports.values().stream().map(p -> "http://127.0.0.1:" + p + "/").toList();
            for (String entry : entries)
            {
                Coverage.await(label, entry, backends);
                env.warmJvm(entry);
            }
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
                    return List.of(proc.pid());
                }

                @Override
                public void close()
                {
                    proc.close();
                }
            };
        }
        catch (Exception e)
        {
            proc.close();
            throw e;
        }
    }
}
