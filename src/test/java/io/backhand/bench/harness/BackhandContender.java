package io.backhand.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.bench.balancer.BalancerMain;
import io.backhand.bench.peers.Backend;

/**
 * Our balancer with one chain, in its own JVM ({@link BalancerMain}); each balancer hears the backends on a group
 * of its own ({@link Env#leaseGroups}).
 *
 * @param classes another build's classes directory to run instead of this build's (--compare-build), or null
 */
record BackhandContender(String label, String chain, String figures, Path classes) implements Contender
{
    /** The chain a filter runs when none is configured (FilterSetup's DEFAULT_CHAIN): keep the two alike. */
    static final String DEFAULT_CHAIN = "byAge 6;byLatency";
    /** What the label of the contender running the shipped default ends with; the targets are read off it. */
    static final String DEFAULT_MARK = " (default)";

    static final String BY_BUSY_CHILDREN = "byAge 6;byRandom;byLogWindow;byBusyChildren";
    static final String CLASSIC = "byAge 6;byRandom;byLogWindow;byLoad";
    static final String BY_LATENCY = "byAge 6;byLatency";
    static final String BY_EXPECTED_DELAY = "byAge 6;byExpectedDelay";
    static final String BY_EXTRAPOLATED_DELAY = "byAge 6;byExtrapolatedDelay";

    BackhandContender(String label, String chain, String figures)
    {
        this(label, chain, figures, null);
    }

    private static BackhandContender named(String name, String chain)
    {
        return new BackhandContender("backhand " + name + (chain.equals(DEFAULT_CHAIN) ? DEFAULT_MARK : ""), chain, "interpreted");
    }

    /**
     * The default chain run from another build's classes (the harness and the dependencies stay this build's), so
     * that a change is measured beside the code before it in the same rounds. The chain is this build's default,
     * and BalancerMain is this build's: a build that lacks one of the chain's functions, or an EmbeddedNode method
     * BalancerMain calls, fails at start, saying so in its log.
     */
    static BackhandContender otherBuild(String name, Path classes)
    {
        return new BackhandContender("backhand " + name, DEFAULT_CHAIN, "interpreted", classes);
    }

    static boolean isDefault(String label)
    {
        return label.startsWith("backhand") && label.endsWith(DEFAULT_MARK);
    }

    static BackhandContender defaultChain()
    {
        for (BackhandContender c : all())
        {
            if (c.chain.equals(DEFAULT_CHAIN))
                return c;
        }
        return named("default", DEFAULT_CHAIN);
    }

    /** Every chain the balancing scenarios compare. */
    static List<BackhandContender> all()
    {
        return List.of(byExpectedDelay(), byBusyChildren(), byLatency(), classic(), byExtrapolatedDelay());
    }

    static BackhandContender byExtrapolatedDelay()
    {
        return named("byExtrapolatedDelay", BY_EXTRAPOLATED_DELAY);
    }

    static BackhandContender byBusyChildren()
    {
        return named("byBusyChildren", BY_BUSY_CHILDREN);
    }

    /** mod_backhand's own recommended chain, ending in byLoad: on one shared kernel every load is the same. */
    static BackhandContender classic()
    {
        return named("mod_backhand classic", CLASSIC);
    }

    static BackhandContender byLatency()
    {
        return named("byLatency", BY_LATENCY);
    }

    static BackhandContender byExpectedDelay()
    {
        return named("byExpectedDelay", BY_EXPECTED_DELAY);
    }

    @Override
    public Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus) throws Exception
    {
        List<String> args = new ArrayList<>(List.of("--expect", Integer.toString(backends.size()), "--figures", figures));
        List<Integer> groups = env.leaseGroups(count);
        for (int g : groups)
            args.addAll(List.of("--balancer", "lb" + (g + 1), env.groups.get(g), chain));
        String name = "backhand-" + label.replace("backhand ", "").replace(DEFAULT_MARK, "").replaceAll("[^A-Za-z0-9]+", "-") + "-x" + count;
        Proc proc;
        try
        {
            proc = env.startJava(name, cpus, BalancerMain.class.getName(), args, true, classes);
        }
        catch (Exception e)
        {
            env.release(groups);
            throw e;
        }
        Runnable stop = () ->
        {
            proc.close();
            env.release(groups);
        };
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
            return new Started(entries, List.of(proc.pid()), stop);
        }
        catch (Exception e)
        {
            stop.run();
            throw e;
        }
    }
}
