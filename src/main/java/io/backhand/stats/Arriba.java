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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mod_backhand's "arriba": a short CPU benchmark run at start-up that gives this machine's relative speed,
 * so that byLoad can weigh a slow box's load more heavily. Larger is faster.
 *
 * <p>The result is cached in the state directory under a key made of everything that changes the answer
 * (CPU model, CPU count, architecture, JVM), so a restart on the same machine and JVM costs nothing and a
 * JVM upgrade measures again.</p>
 */
public final class Arriba
{
    static final String FILE = "arriba.properties";
    private static final Logger LOG = LoggerFactory.getLogger("backhand.stats");
    private static final ConcurrentMap<String, Integer> MEASURED_IN_THIS_JVM = new ConcurrentHashMap<>();

    private Arriba()
    {
    }

    /** A measured or cached speed, and whether it came from the cache. */
    public record Result(int arriba, boolean cached, String key)
    {
    }

    /**
     * This machine's speed: from the cache in {@code stateDir} when it was measured on the same machine and
     * JVM, else measured now (about a tenth of a second) and cached. Several nodes in one JVM measure once.
     */
    public static Result forThisMachine(Path stateDir)
    {
        String key = machineKey();
        Result r = cachedOrMeasured(stateDir, key, () -> MEASURED_IN_THIS_JVM.computeIfAbsent(key, k -> measure()));
        LOG.info("Arriba (relative speed) {}{}", r.arriba(), r.cached() ? ", cached in " + stateDir.resolve(FILE)
            : ", measured now and cached in " + stateDir.resolve(FILE));
        return r;
    }

    /** The cache logic on its own, so that a test can change the key and count the measurements. */
    static Result cachedOrMeasured(Path stateDir, String key, IntSupplier measure)
    {
        Integer cached = readCache(stateDir, key);
        if (cached != null)
            return new Result(cached, true, key);
        int measured = measure.getAsInt();
        writeCache(stateDir, key, measured);
        return new Result(measured, false, key);
    }

    static String machineKey()
    {
        return machineId() + "|" + cpuModel() + "|" + Runtime.getRuntime().availableProcessors() + "|"
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

    /**
     * Operations per millisecond on a fixed mix of integer arithmetic, branches and memory walks,
     * best of several rounds so that a busy neighbour lowers the figure as little as possible.
     */
    static int measure()
    {
        int[] data = new int[1 << 16];
        for (int i = 0; i < data.length; i++)
            data[i] = i * 2654435761L > 0 ? i : -i;
        long best = Long.MAX_VALUE;
        long sink = 0;
        final int opsPerRound = 4_000_000;
        for (int round = 0; round < 7; round++)
        {
            long start = System.nanoTime();
            long acc = round;
            for (int i = 0; i < opsPerRound; i++)
            {
                int v = data[(int) ((acc + i) & (data.length - 1))];
                acc = (acc * 31 + v) ^ (acc >>> 7);
                if ((acc & 3) == 0)
                    acc += i;
            }
            long elapsed = System.nanoTime() - start;
            sink += acc;
            if (round >= 2)
                best = Math.min(best, elapsed);
        }
        if (sink == 42)
            System.out.print("");
        long opsPerMilli = opsPerRound * 1_000_000L / Math.max(1, best);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, opsPerMilli / 1000));
    }

    private static Integer readCache(Path stateDir, String key)
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
            return v > 0 ? v : null;
        }
        catch (IOException | RuntimeException e)
        {
            return null;
        }
    }

    private static void writeCache(Path stateDir, String key, int arriba)
    {
        Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("arriba", Integer.toString(arriba));
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
