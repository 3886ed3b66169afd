package io.backhand.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArribaTest
{
    @TempDir
    Path stateDir;
    private final AtomicInteger measurements = new AtomicInteger();

    private int measure()
    {
        return 1000 + measurements.incrementAndGet();
    }

    @Test
    void theSecondCallIsServedFromTheCache()
    {
        Arriba.Result first = Arriba.cachedOrMeasured(stateDir, "cpu-x|4|jvm-17", this::measure);
        assertFalse(first.cached());
        assertEquals(1001, first.arriba());
        Arriba.Result second = Arriba.cachedOrMeasured(stateDir, "cpu-x|4|jvm-17", this::measure);
        assertTrue(second.cached());
        assertEquals(1001, second.arriba());
        assertEquals(1, measurements.get(), "measured once");
        assertTrue(Files.exists(stateDir.resolve(Arriba.FILE)));
    }

    @Test
    void anotherMachineOrJvmMeasuresAgain()
    {
        Arriba.cachedOrMeasured(stateDir, "cpu-x|4|jvm-17.0.14", this::measure);
        Arriba.Result upgraded = Arriba.cachedOrMeasured(stateDir, "cpu-x|4|jvm-17.0.15", this::measure);
        assertFalse(upgraded.cached());
        assertEquals(1002, upgraded.arriba());
        assertTrue(Arriba.cachedOrMeasured(stateDir, "cpu-x|4|jvm-17.0.15", this::measure).cached(),
            "the new key is what the cache holds now");
        assertEquals(2, measurements.get());
    }

    @Test
    void aDamagedCacheIsMeasuredAgainAndRepaired() throws Exception
    {
        Files.writeString(stateDir.resolve(Arriba.FILE), "key=k\narriba=not a number\n");
        assertFalse(Arriba.cachedOrMeasured(stateDir, "k", this::measure).cached());
        assertTrue(Arriba.cachedOrMeasured(stateDir, "k", this::measure).cached());
        Files.writeString(stateDir.resolve(Arriba.FILE), "key=k\narriba=-5\n");
        assertFalse(Arriba.cachedOrMeasured(stateDir, "k", this::measure).cached(), "a speed must be positive");
    }

    @Test
    void anUnwritableStateDirCostsOnlyTheCache() throws Exception
    {
        Path notADirectory = Files.writeString(stateDir.resolve("file"), "x");
        Arriba.Result r = Arriba.cachedOrMeasured(notADirectory, "k", this::measure);
        assertEquals(1001, r.arriba());
        assertFalse(Arriba.cachedOrMeasured(notADirectory, "k", this::measure).cached());
    }

    @Test
    void thisMachineIsMeasuredOnceAndThenReadFromTheStateDir()
    {
        Arriba.Result first = Arriba.forThisMachine(stateDir);
        assertTrue(first.arriba() > 0);
        Arriba.Result second = Arriba.forThisMachine(stateDir);
        assertTrue(second.cached());
        assertEquals(first.arriba(), second.arriba());
        String key = Arriba.machineKey();
        assertEquals(key, second.key());
        assertTrue(key.contains(System.getProperty("java.vm.version")) && key.contains(System.getProperty("os.arch"))
            && key.contains("|" + Runtime.getRuntime().availableProcessors() + "|"), key);
    }

    @Test
    void anUnsettledFigureIsMeasuredAgainAtTheNextStartAndTheBetterKept()
    {
        Arriba.Result noisy = Arriba.cachedOrMeasured(stateDir, "k", () -> new Arriba.Measurement(60, false));
        assertEquals(60, noisy.arriba());
        Arriba.Result calmer = Arriba.cachedOrMeasured(stateDir, "k", () -> new Arriba.Measurement(170, false));
        assertFalse(calmer.cached(), "an unsettled figure is not trusted");
        assertEquals(170, calmer.arriba());
        Arriba.Result settled = Arriba.cachedOrMeasured(stateDir, "k", () -> new Arriba.Measurement(150, true));
        assertEquals(170, settled.arriba(), "a lower figure never replaces a higher one: interference only slows");
        Arriba.Result cached = Arriba.cachedOrMeasured(stateDir, "k", () -> new Arriba.Measurement(1, true));
        assertTrue(cached.cached());
        assertEquals(170, cached.arriba());
    }

    /**
     * Three nodes starting at the same moment on this (shared, two-core) machine: three JVMs measure at once,
     * competing with each other and whatever else runs here. Identical machines must get figures within 15%
     * of their mean, or one noisy start decides how byLoad splits the traffic.
     */
    @Test
    void threeNodesStartingAtOnceOnThisMachineMeasureAlike() throws Exception
    {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<Process> processes = new java.util.ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                processes.add(new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                    ArribaProbe.class.getName()).redirectErrorStream(true).start());
            }
            java.util.List<Integer> figures = new java.util.ArrayList<>();
            for (Process p : processes)
            {
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the probe ended");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("ARRIBA (\\d+) (true|false)").matcher(out);
                assertTrue(m.find(), out);
                figures.add(Integer.parseInt(m.group(1)));
            }
            double mean = figures.stream().mapToInt(Integer::intValue).average().orElseThrow();
            for (int f : figures)
                assertTrue(Math.abs(f - mean) <= 0.15 * mean, "figures " + figures + ": " + f + " is more than 15% from " + mean);
        }
        finally
        {
            processes.forEach(Process::destroyForcibly);
        }
    }
}
