package io.backhand.bench.harness;

import java.util.ArrayList;
import java.util.List;

import io.backhand.bench.load.StreamSpec;

/**
 * The balancing scenarios: four backends (4 workers each, exponential service times of 10 ms mean; the fourth
 * three times slower, except in scenario 8) under Poisson load, with the same arrival sequences for every
 * contender. Every trial runs {@link Env#repeats} times.
 *
 * <ul>
 * <li>2: one balancer at 50, 70 and 85% of capacity;</li>
 * <li>3: two balancers (85%), then two balancers plus traffic straight to b1 that no peer sees;</li>
 * <li>5: four balancers, a quarter of the traffic each (85%);</li>
 * <li>6: b2 three times slower for 20 s in the middle of the trial (70%), which peers see only by its answers;</li>
 * <li>7: b1 answers 503 at once for 20 s in the middle of the trial (60%);</li>
 * <li>8: honest heterogeneity: 8, 4, 4 and 2 workers, the same service time (85%).</li>
 * </ul>
 */
final class ClusterScenarios
{
    static final List<Double> SLOWDOWNS = List.of(1.0, 1.0, 1.0, 3.0);
    static final int WORKERS = 4;
    static final double MEAN_MS = 10;
    /** Extra traffic sent straight to b1 in scenario 3's second variant: half of b1's capacity. */
    static final double DIRECT_FRACTION_OF_B1 = 0.5;
    /** Scenarios 6 and 7: the event starts this long into the measured window and lasts {@link #EVENT_MILLIS}. */
    static final long EVENT_AT_MILLIS = 5_000;
    static final long EVENT_MILLIS = 20_000;
    static final long EVENT_TRIAL_MILLIS = 30_000;

    private ClusterScenarios()
    {
    }

    /** Requests per second the cluster of scenarios 2 to 7 can serve at most: workers over mean service time, summed. */
    static double capacity()
    {
        return SLOWDOWNS.stream().mapToDouble(s -> WORKERS * 1000.0 / (MEAN_MS * s)).sum();
    }

    /** The oracle, our chains, and the peers. */
    static List<Contender> allContenders(Env env)
    {
        List<Contender> all = new ArrayList<>();
        all.add(new OracleContender());
        all.addAll(ours(env));
        all.addAll(List.of(PeerContender.nginx(""), PeerContender.nginx("least_conn"), PeerContender.nginx("random two least_conn"),
            PeerContender.haproxy("roundrobin"), PeerContender.haproxy("leastconn"), PeerContender.httpd("bybusyness"),
            PeerContender.httpd("heartbeat")));
        return all;
    }

    /** Every chain of ours embedded, the default chain deployed as operators run it, and the builds compared with this one. */
    static List<Contender> ours(Env env)
    {
        List<Contender> ours = new ArrayList<>(BackhandContender.all());
        // Deployed: the default, and the chains that contend to be it, so that a new default is measured as shipped.
        java.util.Set<String> deployedChains = new java.util.HashSet<>();
        for (BackhandContender c : List.of(BackhandContender.defaultChain(), BackhandContender.byLatency(), BackhandContender.byExtrapolatedDelay()))
        {
            if (deployedChains.add(c.chain()))
                ours.add(DeployedContender.of(c));
        }
        ours.addAll(env.otherBuilds);
        return ours;
    }

    /** The contenders of the newer scenarios: round robin and httpd are left out (far behind in scenario 2). */
    static List<Contender> leastContenders(Env env)
    {
        List<Contender> all = new ArrayList<>();
        all.add(new OracleContender());
        if (env.quick)
        {
            all.add(BackhandContender.defaultChain());
            all.addAll(env.otherBuilds);
            return all;
        }
        all.addAll(ours(env));
        all.addAll(List.of(PeerContender.nginx("least_conn"), PeerContender.nginx("random two least_conn"),
            PeerContender.haproxy("leastconn")));
        return all;
    }

    /** --quick in scenarios 2 and 3: the oracle, our default chain embedded and deployed, the other builds, then {@code peers}. */
    private static List<Contender> quick(Env env, Contender... peers)
    {
        List<Contender> all = new ArrayList<>(List.of(new OracleContender(), BackhandContender.defaultChain(), DeployedContender.defaultChain()));
        all.addAll(env.otherBuilds);
        all.addAll(List.of(peers));
        return all;
    }

    static ScenarioResult heterogeneous(Env env, Trials trials, Cluster cluster) throws Exception
    {
        ScenarioResult result = new ScenarioResult("2", "Heterogeneous cluster");
        // --quick exercises every kind of balancer once, at a load that a busy CI machine still sustains.
        List<Double> loads = env.quick ? List.of(0.7) : env.loads;
        List<Contender> contenders = env.select(env.quick
            ? quick(env, PeerContender.nginx("least_conn"), PeerContender.haproxy("leastconn"), PeerContender.httpd("heartbeat"))
            : allContenders(env));
        System.out.printf("Scenario 2: capacity %.0f req/s, loads %s%n", capacity(), loads);
        for (Contender c : contenders)
        {
            try (Contender.Running r = c.start(env, cluster, cluster.backends(), 1, null))
            {
                for (double load : loads)
                {
                    double rate = load * capacity();
                    result.trials.addAll(trials.repeated("2", c.label(), Math.round(load * 100) + "%", load,
                        List.of(r.stream("lb", 0, "work", rate)), cluster, r, trials.warmupMillis(), trials.measureMillis(),
                        0, 0, List.of()));
                }
            }
        }
        return result;
    }

    static ScenarioResult hiddenLoad(Env env, Trials trials, Cluster cluster) throws Exception
    {
        ScenarioResult result = new ScenarioResult("3", "Hidden load and two balancers");
        List<Contender> contenders = env.select(env.quick ? quick(env, PeerContender.nginx("least_conn")) : allContenders(env));
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
                    streams.add(r.stream("lb1", 0, "work", rate / 2));
                    streams.add(r.stream("lb2", 1, "work", rate / 2));
                    double direct = Double.parseDouble(v[2]);
                    if (direct > 0)
                        streams.add(StreamSpec.open("direct", List.of(cluster.uri(0, "/work")), direct, true));
                    result.trials.addAll(trials.repeated("3", c.label(), v[0], load, streams, cluster, r, trials.warmupMillis(),
                        trials.measureMillis(), 0, 0, List.of()));
                }
            }
        }
        return result;
    }

    static ScenarioResult fourBalancers(Env env, Trials trials, Cluster cluster) throws Exception
    {
        ScenarioResult result = new ScenarioResult("5", "Four balancers");
        double load = env.quick ? 0.7 : 0.85;
        System.out.printf("Scenario 5: four balancers, a quarter of %.0f req/s each%n", load * capacity());
        for (Contender c : env.select(leastContenders(env)))
        {
            try (Contender.Running r = c.start(env, cluster, cluster.backends(), 4, null))
            {
                List<StreamSpec> streams = new ArrayList<>();
                for (int i = 0; i < 4; i++)
                    streams.add(r.stream("lb" + (i + 1), i, "work", load * capacity() / 4));
                result.trials.addAll(trials.repeated("5", c.label(), "four balancers", load, streams, cluster, r,
                    trials.warmupMillis(), shortMeasure(env, trials), 0, 0, List.of()));
            }
        }
        return result;
    }

    /** Scenario 6: b2 three times slower for 20 s in the middle of each trial, told to no balancer. */
    static ScenarioResult slowdown(Env env, Trials trials, Cluster cluster) throws Exception
    {
        return nodeEvent(env, trials, cluster, new ScenarioResult("6", "A node slows down"), 0.7, "b2",
            "three times slower", "slow", "x3", () -> cluster.slow("b2", 3), () -> cluster.slow("b2", 1));
    }

    /** Scenario 7: b1 answers 503 at once for 20 s in the middle of each trial. */
    static ScenarioResult failing(Env env, Trials trials, Cluster cluster) throws Exception
    {
        return nodeEvent(env, trials, cluster, new ScenarioResult("7", "A node fails fast"), 0.6, "b1",
            "answers 503 at once", "fail", "503", () -> cluster.fail("b1", true), () -> cluster.fail("b1", false));
    }

    /**
     * One backend, {@code node}, changed by {@code start} in the middle of each trial and put back by
     * {@code restore}, which also runs after each contender whatever happened, so that the next one starts
     * from the same cluster.
     */
    private static ScenarioResult nodeEvent(Env env, Trials trials, Cluster cluster, ScenarioResult result, double load,
        String node, String described, String verb, String variant, Trials.Step start, Trials.Step restore) throws Exception
    {
        String id = result.id;
        long[] t = eventTimes(env);
        System.out.printf("Scenario %s: %.0f req/s; %s %s from %d to %d ms of the measured window%n",
            id, load * capacity(), node, described, t[0], t[0] + t[1]);
        List<Trials.Event> events = List.of(new Trials.Event(t[0], verb + " " + node, start),
            new Trials.Event(t[0] + t[1], "restore " + node, restore));
        result.summary.put("eventAtMillis", t[0]);
        result.summary.put("eventMillis", t[1]);
        result.summary.put("node", node);
        for (Contender c : env.select(leastContenders(env)))
        {
            try (Contender.Running r = c.start(env, cluster, cluster.backends(), 1, null))
            {
                try
                {
                    result.trials.addAll(trials.repeated(id, c.label(), node + " " + variant + " for " + t[1] / 1000 + " s",
                        load, List.of(r.stream("lb", 0, "work", load * capacity())), cluster, r, trials.warmupMillis(), t[2],
                        t[0], t[0] + t[1], events));
                }
                finally
                {
                    restore.run();
                }
            }
        }
        return result;
    }

    /** Scenario 8: 8, 4, 4 and 2 workers, all at the same speed, at 85% of their capacity. */
    static ScenarioResult honestHeterogeneity(Env env, Trials trials) throws Exception
    {
        ScenarioResult result = new ScenarioResult("8", "Honest heterogeneity");
        try (Cluster cluster = new Cluster(env, "backend-s8", null, List.of(1.0, 1.0, 1.0, 1.0), List.of(8, 4, 4, 2), "1s"))
        {
            double load = env.quick ? 0.7 : 0.85;
            System.out.printf("Scenario 8: workers 8, 4, 4, 2; capacity %.0f req/s; %.0f req/s%n", cluster.capacity(),
                load * cluster.capacity());
            for (Contender c : env.select(leastContenders(env)))
            {
                try (Contender.Running r = c.start(env, cluster, cluster.backends(), 1, null))
                {
                    result.trials.addAll(trials.repeated("8", c.label(), "8/4/4/2 workers", load,
                        List.of(r.stream("lb", 0, "work", load * cluster.capacity())), cluster, r, trials.warmupMillis(),
                        shortMeasure(env, trials), 0, 0, List.of()));
                }
            }
        }
        return result;
    }

    /** The newer scenarios' measured window: with --quick only long enough to prove the harness works. */
    private static long shortMeasure(Env env, Trials trials)
    {
        return env.quick ? 2_000 : trials.measureMillis();
    }

    /** When the event starts, how long it lasts, and the measured window: shorter with --quick. */
    private static long[] eventTimes(Env env)
    {
        if (env.quick)
            return new long[] {1_000, 2_000, 4_000};
        return new long[] {EVENT_AT_MILLIS, EVENT_MILLIS, EVENT_TRIAL_MILLIS};
    }

    static ScenarioResult staleness(Env env, Trials trials) throws Exception
    {
        ScenarioResult result = new ScenarioResult("4", "Staleness");
        List<String> intervals = env.quick ? List.of("10ms", "1s") : List.of("10ms", "100ms", "1s", "5s");
        double load = env.quick ? 0.7 : 0.85;
        BackhandContender chain = BackhandContender.defaultChain();
        System.out.println("Scenario 4: " + chain.label() + " at " + Math.round(load * 100) + "% with the backends announcing every " + intervals);
        for (String interval : intervals)
        {
            try (Cluster cluster = new Cluster(env, "backend-s4-" + interval, null, SLOWDOWNS, interval);
                 Contender.Running r = chain.start(env, cluster, cluster.backends(), 1, null))
            {
                String variant = interval.equals("10ms") ? "10ms (oracle)" : interval;
                result.trials.add(trials.open("4", chain.label(), variant, load,
                    List.of(StreamSpec.open("lb", List.of(r.entries().get(0) + "work"), load * capacity(), true)), cluster, r,
                    trials.warmupMillis(), trials.measureMillis()));
            }
        }
        return result;
    }
}
