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
        return env.quick ? 1_500 : env.warmupMillis;
    }

    long measureMillis()
    {
        return env.quick ? 4_000 : env.measureMillis;
    }

    /** Something the harness does to the cluster at a moment of the measured window (from its start). */
    record Event(long atMillis, String what, Step action)
    {
    }

    interface Step
    {
        void run() throws Exception;
    }

    /**
     * A balancing trial, repeated: the same balancer, the same streams, {@link Env#repeats} times in a row, each
     * repeat with its own Poisson sequence (the same for every contender).
     *
     * @param windowFrom with {@code windowTo}: the part of the measured window counted on its own (ms), or 0, 0
     * @param events     done to the cluster during each trial
     */
    List<TrialRecord> repeated(String scenario, String contender, String variant, double load, List<StreamSpec> streams,
                               Cluster cluster, Contender.Running balancer, long warmup, long measure, long windowFrom,
                               long windowTo, List<Event> events) throws Exception
    {
        List<TrialRecord> out = new ArrayList<>();
        for (int repeat = 1; repeat <= env.repeats; repeat++)
        {
            LoadSpec spec = new LoadSpec(scenario + " " + contender + " " + variant + " #" + repeat, false, warmup, measure,
                10_000, SEED + repeat - 1, streams, windowFrom, windowTo, TIMELINE_MILLIS);
            out.add(run(scenario, contender, variant, load, spec, cluster, balancer, repeat, events));
        }
        return out;
    }

    /** Width of a timeline bucket: fine enough to say within half a second when a backend's share fell. */
    static final long TIMELINE_MILLIS = 500;

    /**
     * An open-loop trial: the balanced streams (labels starting with "lb") are merged into "balanced".
     *
     * @param cluster the backends whose figures to take over the measured window, or null
     */
    TrialRecord open(String scenario, String contender, String variant, double load, List<StreamSpec> streams,
                     Cluster cluster, Contender.Running balancer, long warmup, long measure) throws Exception
    {
        LoadSpec spec = new LoadSpec(scenario + " " + contender + " " + variant, false, warmup, measure, 10_000, SEED, streams);
        return run(scenario, contender, variant, load, spec, cluster, balancer, 1, List.of());
    }

    TrialRecord closed(String scenario, String contender, String variant, String uri, int connections, Cluster cluster,
                       Contender.Running balancer, long warmup, long measure) throws Exception
    {
        LoadSpec spec = new LoadSpec(scenario + " " + contender + " " + variant, true, warmup, measure, 10_000, SEED,
            List.of(StreamSpec.closed("lb", List.of(uri), connections)));
        return run(scenario, contender, variant, 0, spec, cluster, balancer, 1, List.of());
    }

    private TrialRecord run(String scenario, String contender, String variant, double load, LoadSpec spec, Cluster cluster,
                            Contender.Running balancer, int repeat, List<Event> events) throws Exception
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
        List<String> eventFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread scheduled = new Thread(() ->
        {
            long origin = System.nanoTime() + (spec.warmupMillis() + 20) * 1_000_000L;
            for (Event e : events)
            {
                try
                {
                    long wait = origin + e.atMillis() * 1_000_000L - System.nanoTime();
                    if (wait > 0)
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    e.action().run();
                }
                catch (Exception x)
                {
                    eventFailures.add(e.what() + ": " + x);
                }
            }
        }, "trial-events");
        scheduled.start();
        List<StreamResult> results = agent.run(spec);
        window.join();
        scheduled.join();
        if (!eventFailures.isEmpty())
            throw new IllegalStateException("the trial's events failed: " + eventFailures);
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
            backendPids.isEmpty() || answered == 0 ? Double.NaN : backendCpu / answered, repeat);
        StreamResult b = t.balanced();
        System.out.printf("  #%d %-26s %-24s %7.0f req/s  p50 %7.2f  p99 %8.2f  p99.9 %8.2f ms  errors %d  late %d  cpu/req %s us%n",
            repeat, contender, variant, b.throughput(), b.latency().p50(), b.latency().p99(), b.latency().p999(), b.errorCount(), b.late(),
            Report.fmt0(t.balancerCpuMicrosPerRequest()));
        return t;
    }
}
