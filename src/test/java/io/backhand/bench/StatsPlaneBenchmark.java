package io.backhand.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.backhand.cluster.AcceptStats;
import io.backhand.cluster.Cidr;
import io.backhand.cluster.ClusterTable;
import io.backhand.cluster.StatsCodec;
import io.backhand.cluster.StatsService;
import io.backhand.cluster.StatsSettings;
import io.backhand.cluster.TransportSettings;
import io.backhand.stats.ContainerGauge;
import io.backhand.stats.HostFigures;
import io.backhand.stats.LocalSampler;
import io.backhand.stats.NodeState;
import io.backhand.stats.ProxyTotals;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The receiving side of the stats plane, which runs on every node all the time.
 *
 * <ul>
 * <li>{@code decode*}: one announcement decoded (and its HMAC-SHA256 checked, when signed).</li>
 * <li>{@code clusterOfMembersAt1Hz}: one announcement taken in exactly as the listener does it (AcceptStats,
 * decode and verify, replay check, table update, snapshot when due), from a simulated cluster of
 * {@code members} nodes each announcing once a second; simulated time advances 1 s / members per
 * announcement. So with 1,000 members, one operation is one millisecond of the cluster's life, and
 * <b>CPU share of one core = time per op (us) x 1000 / 1e6</b>; allocation per second = B/op x 1000.</li>
 * </ul>
 *
 * <p>{@code publish=coalesced} is the listener's policy (snapshots at most every 20 ms); {@code everyDatagram}
 * rebuilds the snapshot after each announcement, as the listener did before, for comparison.</p>
 *
 * <p>Announcements are pre-encoded, {@code ROUNDS} seconds' worth; when they run out, the benchmark starts
 * again with a fresh service, so the cost of 1,000 members joining is spread over {@code ROUNDS} x members
 * operations (under 1% of the time, a few % of the allocation).</p>
 *
 * <p>Run: {@code bench/jmh StatsPlane -f 1 -wi 3 -i 5 -prof gc}</p>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StatsPlaneBenchmark
{
    private static final byte[] SECRET = "benchmark shared secret, 32 bytes".getBytes(StandardCharsets.UTF_8);
    private static final long WALL = 1_700_000_000_000L;

    static ServerStats member(int i, long sequence, long sentAtMillis)
    {
        return ServerStats.builder().name("app-" + i).hostname("app-" + i + ".dc1.example.org")
            .contactAddress(address(i)).contactPort(8080).startedAtMillis(WALL - 3_600_000L).sentAtMillis(sentAtMillis)
            .sequence(sequence).arriba(800 + i % 400).totalWorkers(200).idleWorkers(150 + (int) (sequence % 50))
            .inFlight((int) (sequence % 50)).load1000(500 + (int) ((sequence * 37 + i) % 3000)).loadHighWater1000(4000)
            .cpuIdle1000(600).cpuCount(8).memTotalBytes(16L << 30).memFreeBytes(9L << 30)
            .requestsBackhanded(sequence * 3).avgServeMicros(2500).workerName("node" + i).version("1.0.0").build();
    }

    static InetAddress address(int i)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
        }
        catch (UnknownHostException e)
        {
            throw new IllegalStateException(e);
        }
    }

    @State(Scope.Thread)
    public static class OnePacket
    {
        StatsCodec signing;
        StatsCodec plain;
        byte[] signed;
        byte[] unsigned;

        @Setup
        public void setUp()
        {
            signing = new StatsCodec(SECRET);
            plain = new StatsCodec(null);
            signed = signing.encode(member(7, 42, WALL));
            unsigned = plain.encode(member(7, 42, WALL));
        }
    }

    @Benchmark
    public StatsCodec.Decoded decodeAndVerifySigned(OnePacket s)
    {
        return s.signing.decode(s.signed, s.signed.length);
    }

    @Benchmark
    public StatsCodec.Decoded decodeUnsigned(OnePacket s)
    {
        return s.plain.decode(s.unsigned, s.unsigned.length);
    }

    @State(Scope.Thread)
    public static class Cluster
    {
        static final int ROUNDS = 200;

        @Param({"1000"})
        int members;
        @Param({"true", "false"})
        boolean signed;
        @Param({"coalesced", "everyDatagram"})
        String publish;

        private byte[][] pool;
        private InetAddress[] sources;
        private StatsCodec codec;
        private StatsService service;
        private ClusterTable table;
        private ServerStats selfStats;
        private InetSocketAddress selfContact;
        private boolean everyDatagram;
        private long baseNanos;
        private long stepNanos;
        private int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            everyDatagram = publish.equals("everyDatagram");
            stepNanos = 1_000_000_000L / members;
            StatsCodec encoder = new StatsCodec(signed ? SECRET : null);
            pool = new byte[members * ROUNDS][];
            sources = new InetAddress[members];
            for (int i = 0; i < members; i++)
                sources[i] = address(i);
            for (int k = 0; k < pool.length; k++)
                pool[k] = encoder.encode(member(k % members, 1 + k / members, WALL + k * stepNanos / 1_000_000));
            codec = new StatsCodec(signed ? SECRET : null);
            selfStats = ServerStats.builder().name("self").startedAtMillis(WALL).sentAtMillis(WALL).build();
            selfContact = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
            startOver();
        }

        private void startOver()
        {
            TransportSettings transport = new TransportSettings(List.of(), List.of(), List.of(), null);
            StatsSettings settings = new StatsSettings(transport, new AcceptStats(List.of(Cidr.parse("10.0.0.0/8"))),
                signed ? SECRET : null, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
            AtomicReference<NodeState> state = new AtomicReference<>(NodeState.READY);
            LocalSampler sampler = new LocalSampler(new LocalSampler.Identity("self", "self.example.org", null, 8080,
                WALL, 1000, "bench"), HostFigures.forThisHost(), new IdleContainer(), ProxyTotals.NONE, state::get);
            service = new StatsService(settings, sampler, state);
            table = service.table();
            baseNanos = System.nanoTime();
            next = 0;
        }

        /** One announcement from the next member, at its moment of simulated time. */
        void receiveNext()
        {
            if (next == pool.length)
            {
                startOver();
                wraps++;
            }
            int k = next++;
            long nowNanos = baseNanos + k * stepNanos;
            byte[] p = pool[k];
            service.receive(codec, p, p.length, sources[k % members], nowNanos, WALL + k * stepNanos / 1_000_000);
            if (k % members == 0)
            {
                // The announcer's once-a-second turn: this node's own figures, published at once.
                table.updateSelf(selfStats, selfContact, nowNanos);
                table.publishNow(nowNanos);
            }
            else if (everyDatagram)
            {
                table.publishNow(nowNanos);
            }
            else
            {
                table.publish(nowNanos);
            }
        }

        int size()
        {
            return table.view().size();
        }

        private long cpuAtStart;
        private int opsAtStart;
        private long wrapsAtStart;
        private long wraps;

        /**
         * Wall-clock time per op overstates the cost on a machine shared with other work (this project's CI
         * host runs several builds at once), so each iteration also prints the benchmark thread's own CPU
         * time per announcement and the share of one core that makes at 1 Hz per member.
         */
        @Setup(Level.Iteration)
        public void startCpuClock()
        {
            cpuAtStart = THREADS.getCurrentThreadCpuTime();
            opsAtStart = next;
            wrapsAtStart = wraps;
        }

        @TearDown(Level.Iteration)
        public void reportCpu()
        {
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
            long ops = (wraps - wrapsAtStart) * pool.length + next - opsAtStart;
            if (ops > 0)
            {
                double nanosPerOp = (double) cpu / ops;
                System.out.printf("  [cpu] %.0f ns of CPU per announcement: %.3f%% of one core for %d members at 1 Hz%n",
                    nanosPerOp, nanosPerOp * members / 1e7, members);
            }
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Benchmark
    public int clusterOfMembersAt1Hz(Cluster c)
    {
        c.receiveNext();
        return c.size();
    }

    private static final class IdleContainer implements ContainerGauge
    {
        @Override
        public int maxWorkers()
        {
            return 200;
        }

        @Override
        public int idleWorkers()
        {
            return 200;
        }

        @Override
        public int inFlight()
        {
            return 0;
        }

        @Override
        public String workerName()
        {
            return "self";
        }

        @Override
        public int httpPort()
        {
            return 8080;
        }

        @Override
        public boolean secure()
        {
            return false;
        }

        @Override
        public String describe()
        {
            return "benchmark";
        }
    }
}
