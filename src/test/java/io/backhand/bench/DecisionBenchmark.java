package io.backhand.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.Decision;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.DecisionTrace;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.ClusterTable;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;
import io.backhand.node.DecisionLog;
import io.backhand.stats.ServerStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decision per request, as {@code BackhandFilter} makes it: a per-thread {@link Candidates} buffer and
 * {@link DecisionContext} re-armed with the clock, the thread's random source and the newest view, then
 * {@link Chain#decide}. The view has 64 servers (this node and 63 peers, 4 of them stale) built by the real
 * {@link ClusterTable}, with requests in flight so that the interpreted figures have something to add.
 *
 * <p>Targets: median under 2 µs and under 256 bytes allocated per decision on the project's machine.
 * Run with {@code bench/jmh Decision -prof gc}: the median is the {@code p0.50} row, the allocation
 * {@code gc.alloc.rate.norm}.</p>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecisionBenchmark
{
    static final int SERVERS = 64;
    static final int STALE = 4;

    /** The chain, as most mod_backhand set-ups wrote it. */
    @Param({"byAge 6; byRandom; byLogWindow; byBusyChildren"})
    public String chainText;

    @Param({"interpreted", "raw"})
    public String figures;

    private ClusterView view;
    private Chain chain;
    private boolean interpreted;
    private final Candidates candidates = new Candidates();
    private final DecisionContext context = new DecisionContext();
    private final DecisionLog log = new DecisionLog();

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        chain = ChainParser.standard().parse(chainText);
        interpreted = figures.equals("interpreted");
        view = cluster(System.nanoTime(), new SplittableRandom(64));
    }

    /**
     * Peers are heard "an hour from now" so that, with the real clock read per decision as the filter reads it,
     * the fresh ones stay fresh for the whole run and the stale ones stay stale.
     */
    static ClusterView cluster(long now, SplittableRandom r) throws Exception
    {
        ServerStats self = ServerStats.builder().name("self").contactAddress(InetAddress.getLoopbackAddress())
            .inFlight(r.nextInt(40)).build();
        ClusterTable table = new ClusterTable(self, new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080),
            TimeUnit.HOURS.toNanos(3), 0, 0, null, now);
        long fresh = now + TimeUnit.HOURS.toNanos(1);
        long stale = now - TimeUnit.SECONDS.toNanos(30);
        for (int i = 1; i < SERVERS; i++)
        {
            InetAddress address = InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
            ServerStats s = ServerStats.builder().name(String.format("node%02d", i)).hostname("node" + i)
                .contactAddress(address).contactPort(8080).startedAtMillis(1).sequence(1)
                .arriba(500 + r.nextInt(1500)).inFlight(r.nextInt(40)).load1000(r.nextInt(8000))
                .cpuIdle1000(r.nextInt(1000)).cpuCount(8).workerName("node" + i).build();
            table.offer(s, address, i <= STALE ? stale : fresh, 0);
        }
        ClusterView view = table.publish(now);
        for (Member m : view.members())
        {
            for (int k = r.nextInt(4); k > 0; k--)
                m.ledger().requestStarted();
        }
        if (view.size() != SERVERS)
            throw new IllegalStateException("expected " + SERVERS + " servers, got " + view.size());
        return view;
    }

    @Benchmark
    public Decision decide()
    {
        context.set(System.nanoTime(), ThreadLocalRandom.current(), view, interpreted);
        return chain.decide(view, candidates, RequestView.NONE, context, 3);
    }

    /**
     * What the balancing filter does when nobody asks for an explanation: the one-a-second sampling check, then
     * the plain decision (and, once a second, a traced one). Compared with {@link #decide}, this is the cost
     * of being able to explain.
     */
    @Benchmark
    public Decision decideOrSample()
    {
        long now = System.nanoTime();
        context.set(now, ThreadLocalRandom.current(), view, interpreted);
        if (log.sampleDue(now))
            return chain.explain(view, candidates, RequestView.NONE, context, 3, new DecisionTrace());
        return chain.decide(view, candidates, RequestView.NONE, context, 3);
    }

    /** A decision someone asked to see: the chain traced step by step (its cost falls only on those). */
    @Benchmark
    public DecisionTrace explain()
    {
        context.set(System.nanoTime(), ThreadLocalRandom.current(), view, interpreted);
        DecisionTrace trace = new DecisionTrace();
        chain.explain(view, candidates, RequestView.NONE, context, 3, trace);
        return trace;
    }
}
