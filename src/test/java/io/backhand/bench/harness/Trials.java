package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backhand.bench.backend.WorkGauge;
import io.backhand.bench.load.LoadSpec;
import io.backhand.bench.load.StreamResult;
import io.backhand.bench.load.StreamSpec;

/** Runs trials through the agent and turns them into {@link TrialRecord}s, with the backends' own figures. */
final class Trials
{
    /** The same Poisson sequence for every contender, so that they face identical bursts. */
    static final long SEED = 20261128L;
    private final Env env;
    private final Agent agent;

    Trials(Env env, Agent agent)
    {
        this.env = env;
        this.agent = agent;
    }

    long warmupMillis()
    {
        return env.quick ? 1_500 : 5_000;
    }

    long measureMillis()
    {
        return env.quick ? 4_000 : 30_000;
    }

    /**
     * An open-loop trial: the balanced streams (labels starting with "lb") are merged into "balanced".
     *
     * @param cluster the backends whose figures to take over the measured window, or null
     */
    TrialRecord open(String scenario, String contender, String variant, double load, List<StreamSpec> streams,
                     Cluster cluster, Contender.Running balancer, long warmup, long measure) throws Exception
    {
        LoadSpec spec = new LoadSpec(scenario + " " + contender + " " + variant, false, warmup, measure, 10_000, SEED, streams);
        return run(scenario, contender, variant, load, spec, cluster, balancer);
    }

    TrialRecord closed(String scenario, String contender, String variant, String uri, int connections, Cluster cluster,
                       Contender.Running balancer, long warmup, long measure) throws Exception
    {
        LoadSpec spec = new LoadSpec(scenario + " " + contender + " " + variant, true, warmup, measure, 10_000, SEED,
            List.of(StreamSpec.closed("lb", List.of(uri), connections)));
        return run(scenario, contender, variant, 0, spec, cluster, balancer);
    }

    private TrialRecord run(String scenario, String contender, String variant, double load, LoadSpec spec, Cluster cluster,
                            Contender.Running balancer) throws Exception
    {
        if (cluster != null)
        {
            int dropped = cluster.drain();
            if (dropped > 0)
                System.out.println("  (dropped " + dropped + " requests still queued from the previous trial)");
        }
        List<Long> balancerPids = balancer == null ? List.of() : balancer.pids();
        List<Long> backendPids = cluster == null ? List.of() : List.of(cluster.pid());
        double[] cpuAtStart = {Double.NaN, Double.NaN};
        // Start the backends' period, and the CPU count, when the measured window starts rather than with the warm-up.
        Thread window = new Thread(() ->
        {
            try
            {
                Thread.sleep(spec.warmupMillis() + 20);
                cpuAtStart[0] = CpuMeter.micros(balancerPids);
                cpuAtStart[1] = CpuMeter.micros(backendPids);
                if (cluster != null)
                    cluster.stats();
            }
            catch (Exception e)
            {
                // the backends' figures will cover the warm-up too; the latencies are unaffected
            }
        }, "measured-window");
        window.start();
        List<StreamResult> results = agent.run(spec);
        window.join();
        double balancerCpu = CpuMeter.micros(balancerPids) - cpuAtStart[0];
        double backendCpu = CpuMeter.micros(backendPids) - cpuAtStart[1];
        Map<String, WorkGauge.Snapshot> backends = cluster == null ? Map.of() : cluster.stats();
        Map<String, StreamResult> streams = new LinkedHashMap<>();
        List<StreamResult> balanced = new ArrayList<>();
        for (StreamResult r : results)
        {
            if (r.label().startsWith("lb"))
                balanced.add(r);
        }
        streams.put("balanced", balanced.size() == 1 ? balanced.get(0) : StreamResult.merge("balanced", balanced));
        for (StreamResult r : results)
        {
            if (results.size() > 1)
                streams.put(r.label(), r);
        }
        double rate = spec.streams().stream().filter(s -> s.label().startsWith("lb")).mapToDouble(StreamSpec::rate).sum();
        long answered = results.stream().mapToLong(StreamResult::ok).sum();
        TrialRecord t = new TrialRecord(scenario, contender, variant, load, rate, streams, backends,
            balancerPids.isEmpty() || answered == 0 ? Double.NaN : balancerCpu / answered,
            backendPids.isEmpty() || answered == 0 ? Double.NaN : backendCpu / answered);
        StreamResult b = t.balanced();
        System.out.printf("  %-26s %-24s %7.0f req/s  p50 %7.2f  p99 %8.2f  p99.9 %8.2f ms  errors %d  late %d  cpu/req %s us%n",
            contender, variant, b.throughput(), b.latency().p50(), b.latency().p99(), b.latency().p999(), b.errorCount(), b.late(),
            Report.fmt0(t.balancerCpuMicrosPerRequest()));
        return t;
    }
}
