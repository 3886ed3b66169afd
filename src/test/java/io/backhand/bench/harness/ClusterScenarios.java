package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.List;

import io.backhand.bench.load.StreamSpec;

/**
 * Scenarios 2 to 4: four backends (4 workers each, exponential service times of 10 ms mean; the fourth three
 * times slower) under Poisson load, with the same arrival sequence for every contender.
 */
final class ClusterScenarios
{
    static final List<Double> SLOWDOWNS = List.of(1.0, 1.0, 1.0, 3.0);
    static final int WORKERS = 4;
    static final double MEAN_MS = 10;
    /** Extra traffic sent straight to b1 in scenario 3's second variant: half of b1's capacity. */
    static final double DIRECT_FRACTION_OF_B1 = 0.5;

    private ClusterScenarios()
    {
    }

    /** Requests per second the cluster can serve at most: workers over mean service time, summed. */
    static double capacity()
    {
        return SLOWDOWNS.stream().mapToDouble(s -> WORKERS * 1000.0 / (MEAN_MS * s)).sum();
    }

    static List<Contender> allContenders()
    {
        return List.of(BackhandContender.defaultChain(), BackhandContender.byLatency(), PeerContender.nginx(""),
            PeerContender.nginx("least_conn"), PeerContender.nginx("random two least_conn"), PeerContender.haproxy("roundrobin"),
            PeerContender.haproxy("leastconn"), PeerContender.httpd("bybusyness"), PeerContender.httpd("heartbeat"));
    }

    static ScenarioResult heterogeneous(Env env, Trials trials, Cluster cluster) throws Exception
    {
        ScenarioResult result = new ScenarioResult("2", "Heterogeneous cluster");
        // --quick exercises every kind of balancer once, at a load that a busy CI machine still sustains.
        List<Double> loads = env.quick ? List.of(0.7) : List.of(0.5, 0.7, 0.85);
        List<Contender> contenders = env.select(env.quick
            ? List.of(BackhandContender.defaultChain(), PeerContender.nginx("least_conn"), PeerContender.haproxy("leastconn"),
                PeerContender.httpd("heartbeat"))
            : allContenders());
        System.out.printf("Scenario 2: capacity %.0f req/s, loads %s%n", capacity(), loads);
        for (Contender c : contenders)
        {
            try (Contender.Running r = c.start(env, cluster, cluster.backends(), 1, null))
            {
                for (double load : loads)
                {
                    double rate = load * capacity();
                    result.trials.add(trials.open("2", c.label(), Math.round(load * 100) + "%", load,
                        List.of(StreamSpec.open("lb", List.of(r.entries().get(0) + "work"), rate, true)), cluster, r,
                        trials.warmupMillis(), trials.measureMillis()));
                }
            }
        }
        return result;
    }

    static ScenarioResult hiddenLoad(Env env, Trials trials, Cluster cluster) throws Exception
    {
        ScenarioResult result = new ScenarioResult("3", "Hidden load and two balancers");
        List<Contender> contenders = env.select(env.quick
            ? List.of(BackhandContender.defaultChain(), PeerContender.nginx("least_conn"))
            : allContenders());
        double directRate = DIRECT_FRACTION_OF_B1 * WORKERS * 1000.0 / MEAN_MS;
        System.out.printf("Scenario 3: two balancers; then with %.0f req/s straight to b1%n", directRate);
        for (Contender c : contenders)
        {
            try (Contender.Running r = c.start(env, cluster, cluster.backends(), 2, null))
            {
                List<String[]> variants = new ArrayList<>();
                if (!env.quick)
                    variants.add(new String[] {"two balancers", "0.85", "0"});
                variants.add(new String[] {"two balancers + direct to b1", "0.60", Double.toString(directRate)});
                for (String[] v : variants)
                {
                    double load = Double.parseDouble(v[1]);
                    double rate = load * capacity();
                    List<StreamSpec> streams = new ArrayList<>();
                    streams.add(StreamSpec.open("lb1", List.of(r.entries().get(0) + "work"), rate / 2, true));
                    streams.add(StreamSpec.open("lb2", List.of(r.entries().get(1) + "work"), rate / 2, true));
                    double direct = Double.parseDouble(v[2]);
                    if (direct > 0)
                        streams.add(StreamSpec.open("direct", List.of(cluster.uri(0, "/work")), direct, true));
                    result.trials.add(trials.open("3", c.label(), v[0], load, streams, cluster, r, trials.warmupMillis(),
                        trials.measureMillis()));
                }
            }
        }
        return result;
    }

    static ScenarioResult staleness(Env env, Trials trials) throws Exception
    {
        ScenarioResult result = new ScenarioResult("4", "Staleness");
        List<String> intervals = env.quick ? List.of("10ms", "1s") : List.of("10ms", "100ms", "1s", "5s");
        double load = env.quick ? 0.7 : 0.85;
        System.out.println("Scenario 4: default chain at " + Math.round(load * 100) + "% with the backends announcing every " + intervals);
        for (String interval : intervals)
        {
            try (Cluster cluster = new Cluster(env, "backend-s4-" + interval, null, SLOWDOWNS, interval);
                 Contender.Running r = BackhandContender.defaultChain().start(env, cluster, cluster.backends(), 1, null))
            {
                String variant = interval.equals("10ms") ? "10ms (oracle)" : interval;
                result.trials.add(trials.open("4", "backhand default", variant, load,
                    List.of(StreamSpec.open("lb", List.of(r.entries().get(0) + "work"), load * capacity(), true)), cluster, r,
                    trials.warmupMillis(), trials.measureMillis()));
            }
        }
        return result;
    }
}
