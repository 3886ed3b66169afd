package io.backhand.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The benchmark harness (bench/run): runs the scenarios, writes {@code results.json} and {@code report.md}
 * under target/bench/run-TIMESTAMP/ (and copies both to target/bench/), and fails only when the harness itself
 * is broken (a trial with no answer at all, or mostly errors), never because a target was missed: targets are
 * read from the results, not asserted.
 *
 * <p>Options: {@code --quick} (short trials, a subset of contenders: for CI), {@code --scenarios 1,2,3,4},
 * {@code --contenders backhand,nginx} (only those whose label contains one of these), {@code --out DIR}, {@code --profile} (record JFR in our balancer JVMs, under the run's jfr/ folder),
 * {@code --compare-build LABEL=DIR} (repeatable: also run the embedded balancer with the default chain from another
 * build's classes directory, or from the target/classes of the checkout DIR, as the contender "backhand LABEL").</p>
 */
public final class Bench
{
    private Bench()
    {
    }

    public static void main(String[] args) throws Exception
    {
        boolean quick = false;
        boolean profile = false;
        Set<String> scenarios = new LinkedHashSet<>(List.of("1", "2", "3", "4", "5", "6", "7", "8"));
        Path base = Path.of("target", "bench");
        List<String> only = List.of();
        Integer repeats = null;
        Long warmupSeconds = null;
        Long measureSeconds = null;
        Long jvmWarmup = null;
        List<Double> loads = null;
        List<BackhandContender> otherBuilds = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--quick" -> quick = true;
                case "--profile" -> profile = true;
                case "--scenarios" -> scenarios = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--out" -> base = Path.of(args[++i]);
                case "--contenders" -> only = List.of(args[++i].split(","));
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Long.parseLong(args[++i]);
                case "--measure-seconds" -> measureSeconds = Long.parseLong(args[++i]);
                case "--jvm-warmup" -> jvmWarmup = Long.parseLong(args[++i]);
                case "--loads" -> loads = java.util.Arrays.stream(args[++i].split(",")).map(Double::parseDouble).toList();
                case "--compare-build" -> otherBuilds.add(otherBuild(args[++i]));
                default -> usage();
            }
        }
        ZonedDateTime now = ZonedDateTime.now();
        String stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        base = base.toAbsolutePath();
        Path out = base.resolve("run-" + stamp);
        Env env = new Env(out, quick, profile, otherBuilds.size());
        env.only = only;
        if (otherBuilds.stream().map(BackhandContender::label).distinct().count() < otherBuilds.size())
        {
            System.err.println("--compare-build: each build needs a label of its own");
            usage();
        }
        env.otherBuilds = List.copyOf(otherBuilds);
        env.repeats = repeats != null ? repeats : quick ? 1 : 3;
        if (warmupSeconds != null)
            env.warmupMillis = warmupSeconds * 1000;
        if (measureSeconds != null)
            env.measureMillis = measureSeconds * 1000;
        if (jvmWarmup != null)
            env.jvmWarmupRequests = jvmWarmup;
        if (loads != null)
            env.loads = loads;
        String command = System.getProperty("bench.command", "bench/run " + String.join(" ", args));
        Map<String, String> machine = Machine.describe();
        Map<String, String> versions = Machine.peerVersions();
        System.out.println("Benchmark run " + stamp + (quick ? " (quick)" : "") + ": scenarios " + scenarios + ", output " + out);
        System.out.println("Machine: " + machine);
        System.out.println("Peers: " + versions);
        List<ScenarioResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Agent[] agent = {new Agent(env)};
        env.agent = agent[0];
        try
        {
            if (scenarios.contains("1"))
                attempt("1", failures, env, agent, () -> results.add(OverheadScenario.run(env, agent[0], new Trials(env, agent[0]))));
            if (scenarios.stream().anyMatch(List.of("2", "3", "5", "6", "7")::contains))
            {
                try (Cluster cluster = new Cluster(env, "backend-s2", null, ClusterScenarios.SLOWDOWNS, "1s"))
                {
                    if (scenarios.contains("2"))
                        attempt("2", failures, env, agent, () -> results.add(ClusterScenarios.heterogeneous(env, new Trials(env, agent[0]), cluster)));
                    if (scenarios.contains("3"))
                        attempt("3", failures, env, agent, () -> results.add(ClusterScenarios.hiddenLoad(env, new Trials(env, agent[0]), cluster)));
                    if (scenarios.contains("5"))
                        attempt("5", failures, env, agent, () -> results.add(ClusterScenarios.fourBalancers(env, new Trials(env, agent[0]), cluster)));
                    if (scenarios.contains("6"))
                        attempt("6", failures, env, agent, () -> results.add(ClusterScenarios.slowdown(env, new Trials(env, agent[0]), cluster)));
                    if (scenarios.contains("7"))
                        attempt("7", failures, env, agent, () -> results.add(ClusterScenarios.failing(env, new Trials(env, agent[0]), cluster)));
                }
            }
            if (scenarios.contains("8"))
                attempt("8", failures, env, agent, () -> results.add(ClusterScenarios.honestHeterogeneity(env, new Trials(env, agent[0]))));
            if (scenarios.contains("4"))
                attempt("4", failures, env, agent, () -> results.add(ClusterScenarios.staleness(env, new Trials(env, agent[0]))));
        }
        finally
        {
            agent[0].close();
        }
        Report report = new Report();
        String markdown = report.render(machine, versions, command, now.toString(), quick, results);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", now.toString());
        json.put("finished", ZonedDateTime.now().toString());
        json.put("command", command);
        json.put("quick", quick);
        json.put("machine", machine);
        json.put("loadAverageAtEnd", Machine.loadAverage());
        json.put("versions", versions);
        json.put("targets", report.targets());
        List<Map<String, Object>> sc = new ArrayList<>();
        for (ScenarioResult r : results)
        {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id);
            m.put("title", r.title);
            m.put("summary", r.summary);
            m.put("trials", r.trials);
            sc.add(m);
        }
        json.put("scenarios", sc);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        mapper.writeValue(out.resolve("results.json").toFile(), json);
        Files.writeString(out.resolve("report.md"), markdown);
        Files.copy(out.resolve("results.json"), base.resolve("results.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(out.resolve("report.md"), base.resolve("report.md"), StandardCopyOption.REPLACE_EXISTING);
        System.out.println();
        System.out.println(markdown);
        System.out.println("Results: " + out.resolve("results.json") + " and " + out.resolve("report.md"));
        List<String> broken = sanity(results);
        broken.addAll(failures);
        if (!broken.isEmpty())
        {
            System.err.println("The harness is broken (not a missed target):");
            broken.forEach(b -> System.err.println("  " + b));
            System.exit(1);
        }
    }

    private static void usage()
    {
        System.err.println("usage: bench/run [--quick] [--scenarios 1,2,3,4,5,6,7,8] [--contenders backhand,nginx,...] "
            + "[--repeats N] [--loads 0.5,0.7,0.85] [--warmup-seconds S] [--measure-seconds S] [--jvm-warmup REQUESTS] [--out DIR] [--profile] "
            + "[--compare-build LABEL=DIR]...");
        System.exit(2);
    }

    /**
     * LABEL=DIR: DIR is another build's classes directory, or a checkout whose target/classes is one (built with
     * mvn compile). Checked here, so that a typo stops the run before anything starts.
     */
    private static BackhandContender otherBuild(String spec)
    {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1)
        {
            System.err.println("--compare-build wants LABEL=DIR, got '" + spec + "'");
            usage();
        }
        String label = spec.substring(0, eq).strip();
        Path dir = Path.of(spec.substring(eq + 1)).toAbsolutePath().normalize();
        for (Path classes : List.of(dir, dir.resolve("target").resolve("classes")))
        {
            if (Files.isRegularFile(classes.resolve("io/backhand/demo/EmbeddedNode.class")))
                return BackhandContender.otherBuild(label, classes);
        }
        System.err.println("--compare-build " + spec + ": neither " + dir + " nor " + dir.resolve("target/classes")
            + " holds a compiled Backhand (io/backhand/demo/EmbeddedNode.class); build it with mvn compile");
        System.exit(2);
        return null;
    }

    interface Step
    {
        void run() throws Exception;
    }

    /** Runs one scenario; if it fails, says why, starts a fresh load agent, and lets the other scenarios run. */
    private static void attempt(String id, List<String> failures, Env env, Agent[] agent, Step step) throws Exception
    {
        try
        {
            step.run();
        }
        catch (Exception e)
        {
            System.err.println("Scenario " + id + " failed: " + e);
            e.printStackTrace();
            failures.add("scenario " + id + " failed: " + e);
            agent[0].close();
            agent[0] = new Agent(env);
            env.agent = agent[0];
        }
    }

    /**
     * Trials that say the harness, not a balancer, failed: no request sent, or a peer or the direct path answering
     * nothing. Every balancer, ours included, has already proved at start that it reaches every backend; how ours
     * then fares under load is a result, never a reason to fail the run.
     */
    private static List<String> sanity(List<ScenarioResult> results)
    {
        List<String> broken = new ArrayList<>();
        for (ScenarioResult r : results)
        {
            for (TrialRecord t : r.trials)
            {
                var b = t.balanced();
                if (b.sent() == 0 || (!t.contender().startsWith("backhand") && b.ok() == 0))
                    broken.add("scenario " + r.id + ", " + t.contender() + ", " + t.variant() + ": " + b.ok() + " answered, errors " + b.errors());
            }
        }
        return broken;
    }
}
