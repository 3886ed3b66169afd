package io.backhand.stats;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mod_backhand's "arriba": a short CPU benchmark run at start-up that gives this machine's relative speed,
 * so that byLoad can weigh a slow box's load more heavily. Larger is faster.
 *
 * <p>It must give identical machines identical figures even when they all start at once on a busy machine, or
 * one noisy start-up would decide the split of the traffic for good; see {@link #measureCarefully()}.</p>
 *
 * <p>The result is cached in the state directory under a key made of everything that changes the answer
 * (CPU model, CPU count, architecture, JVM), so a restart on the same machine and JVM costs nothing and a
 * JVM upgrade measures again.</p>
 */
public final class Arriba
{
    static final String FILE = "arriba.properties";
    private static final Logger LOG = LoggerFactory.getLogger("backhand.stats");
    private static final ConcurrentMap<String, Measurement> MEASURED_IN_THIS_JVM = new ConcurrentHashMap<>();

    private Arriba()
    {
    }

    /** A measured or cached speed, and whether it came from the cache. */
    public record Result(int arriba, boolean cached, String key)
    {
    }

    /**
     * This machine's speed: from the cache in {@code stateDir} when it was measured on the same machine and
     * JVM, else measured now (0.3 s, up to 3 s on a busy machine) and cached. Several nodes in one JVM measure once.
     */
    public static Result forThisMachine(Path stateDir)
    {
        String key = machineKey();
        Result r = cachedOrMeasured(stateDir, key, () -> MEASURED_IN_THIS_JVM.computeIfAbsent(key, k -> measureCarefully()));
        LOG.info("Arriba (relative speed) {}{}", r.arriba(), r.cached() ? ", cached in " + stateDir.resolve(FILE)
            : ", measured now and cached in " + stateDir.resolve(FILE));
        return r;
    }

    /** The cache logic on its own, so that a test can change the key and count the measurements. */
    static Result cachedOrMeasured(Path stateDir, String key, IntSupplier measure)
    {
        return cachedOrMeasured(stateDir, key, () -> new Measurement(measure.getAsInt(), true));
    }

    /**
     * A settled figure in the cache is used as it is. An unsettled one (measured on a machine too busy to tell)
     * is measured again, and the better of the two kept: interference only ever lowers the figure.
     */
    static Result cachedOrMeasured(Path stateDir, String key, Supplier<Measurement> measure)
    {
        Measurement cached = readCache(stateDir, key);
        if (cached != null && cached.settled())
            return new Result(cached.arriba(), true, key);
        Measurement now = measure.get();
        int arriba = cached == null ? now.arriba() : Math.max(cached.arriba(), now.arriba());
        writeCache(stateDir, key, new Measurement(arriba, now.settled()));
        return new Result(arriba, false, key);
    }

    static String machineKey()
    {
        // The method's version first: a figure from an older, noisier measurement is not reused.
        return "arriba2|" + machineId() + "|" + cpuModel() + "|" + Runtime.getRuntime().availableProcessors() + "|"
            + System.getProperty("os.arch") + "|" + System.getProperty("java.vm.name") + " "
            + System.getProperty("java.vm.version");
    }

    /** systemd's machine id, so that a state directory copied or shared to another machine measures again. */
    private static String machineId()
    {
        try
        {
            return Files.readString(Path.of("/etc/machine-id"), StandardCharsets.US_ASCII).strip();
        }
        catch (IOException | RuntimeException e)
        {
            return "no-machine-id";
        }
    }

    private static String cpuModel()
    {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try (var lines = Files.lines(cpuinfo))
        {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown-cpu");
        }
        catch (IOException | RuntimeException e)
        {
            return "unknown-cpu";
        }
    }

    /** Operations in one round: about a millisecond, shorter than a scheduler's time slice. */
    private static final int OPS_PER_ROUND = 200_000;
    /** Rounds run before any counts: the first ones run interpreted or half-compiled. */
    private static final int WARM_UP_ROUNDS = 30;
    /** Rounds within {@link #PLATEAU} of the best that make the best believable. */
    private static final int PLATEAU_ROUNDS = 12;
    private static final double PLATEAU = 1.03;
    private static final long MIN_NANOS = 300_000_000L;
    private static final long MAX_NANOS = 3_000_000_000L;

    /**
     * One measurement.
     *
     * @param settled whether the best round was met again often enough to trust it; an unsettled figure came
     *                from a machine too busy to leave this one core to itself for a dozen milliseconds, and
     *                is measured again at the next start
     */
    record Measurement(int arriba, boolean settled)
    {
    }

    static int measure()
    {
        return measureCarefully().arriba();
    }

    /**
     * Operations per millisecond on a fixed mix of integer arithmetic, branches and memory walks, from the
     * fastest of many rounds of about a millisecond each. A busy neighbour (another node starting on the same
     * machine, a build, this JVM's own compiler threads) can only make a round slower, never faster, and a
     * round short enough fits between two preemptions; so the fastest round is this machine's speed, and how
     * many rounds came close to it says whether it was seen often enough to believe. It runs for at least
     * 0.3 s, and on until the best has been met a dozen times, at most 3 s.
     */
    static Measurement measureCarefully()
    {
        int[] data = new int[1 << 16];
        for (int i = 0; i < data.length; i++)
            data[i] = i * 2654435761L > 0 ? i : -i;
        long best = Long.MAX_VALUE;
        int nearBest = 0;
        long sink = 0;
        long begin = System.nanoTime();
        for (int round = 0; ; round++)
        {
            long start = System.nanoTime();
            sink += round(data, round);
            long end = System.nanoTime();
            long elapsed = end - start;
            if (round >= WARM_UP_ROUNDS)
            {
                if (elapsed * PLATEAU < best)
                {
                    // A clearly faster round: the ones near the old best no longer count.
                    best = elapsed;
                    nearBest = 1;
                }
                else
                {
                    best = Math.min(best, elapsed);
                    if (elapsed <= best * PLATEAU)
                        nearBest++;
                }
            }
            boolean settled = nearBest >= PLATEAU_ROUNDS;
            if ((settled && end - begin >= MIN_NANOS) || end - begin >= MAX_NANOS)
            {
                if (sink == 42)
                    System.out.print("");
                long opsPerMilli = OPS_PER_ROUND * 1_000_000L / Math.max(1, best);
                return new Measurement((int) Math.max(1, Math.min(Integer.MAX_VALUE, opsPerMilli / 1000)), settled);
            }
        }
    }

    /** One round, in a method of its own so that every JVM compiles it alike (not as an on-stack replacement). */
    private static long round(int[] data, long seed)
    {
        long acc = seed;
        for (int i = 0; i < OPS_PER_ROUND; i++)
        {
            int v = data[(int) ((acc + i) & (data.length - 1))];
            acc = (acc * 31 + v) ^ (acc >>> 7);
            if ((acc & 3) == 0)
                acc += i;
        }
        return acc;
    }

    private static Measurement readCache(Path stateDir, String key)
    {
        Path file = stateDir.resolve(FILE);
        if (!Files.isReadable(file))
            return null;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            p.load(r);
            if (!key.equals(p.getProperty("key")))
                return null;
            int v = Integer.parseInt(p.getProperty("arriba", ""));
            return v > 0 ? new Measurement(v, !"false".equals(p.getProperty("settled"))) : null;
        }
        catch (IOException | RuntimeException e)
        {
            return null;
        }
    }

    private static void writeCache(Path stateDir, String key, Measurement m)
    {
        Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("arriba", Integer.toString(m.arriba()));
        p.setProperty("settled", Boolean.toString(m.settled()));
        try
        {
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, FILE, ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))
            {
                p.store(w, "Backhand arriba benchmark; delete to measure again");
            }
            try
            {
                Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (AtomicMoveNotSupportedException e)
            {
                Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (IOException e)
        {
            // The state dir was checked writable at start-up; losing the cache only costs a re-measure.
            LOG.debug("Could not cache arriba in {}", stateDir, e);
        }
    }
}
