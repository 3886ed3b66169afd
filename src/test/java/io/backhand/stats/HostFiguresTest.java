package io.backhand.stats;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostFiguresTest
{
    @Test
    void loadAverageIsTheFirstFigureOfLoadavg()
    {
        assertEquals(520, ProcHostFigures.parseLoad1000("0.52 0.58 0.59 1/467 12345\n"));
        assertEquals(12_345, ProcHostFigures.parseLoad1000("12.345 1.00 1.00 3/900 1"));
    }

    @Test
    void cpuIdleIsTheDeltaOfIdlePlusIowaitOverTheDeltaOfAll()
    {
        long[] boot = ProcHostFigures.parseCpuLine("cpu  4705 356 584 3699 23 23 0 0 0 0");
        assertEquals(3699 + 23, boot[0]);
        assertEquals(4705 + 356 + 584 + 3699 + 23 + 23, boot[1], "guest time is already inside user and nice");
        ProcHostFigures f = new ProcHostFigures();
        assertEquals(3722L * 1000 / 9390, f.cpuIdle1000(boot), "the first sample: the share since boot");
        long[] later = ProcHostFigures.parseCpuLine("cpu  4805 356 584 3999 23 23 0 0 0 0");
        assertEquals(750, f.cpuIdle1000(later), "300 idle of 400 jiffies");
        assertEquals(750, f.cpuIdle1000(later), "no time passed: the last figure stands");
    }

    @Test
    void memoryComesFromMemAvailableInBytes()
    {
        List<String> meminfo = List.of("MemTotal:       16303428 kB", "MemFree:          512000 kB",
            "MemAvailable:   12000000 kB", "Buffers:          100000 kB");
        assertEquals(16_303_428L * 1024, ProcHostFigures.parseMeminfo(meminfo, "MemTotal:"));
        assertEquals(12_000_000L * 1024, ProcHostFigures.memAvailable(meminfo));
        List<String> oldKernel = List.of("MemTotal:       16303428 kB", "MemFree:          512000 kB");
        assertEquals(512_000L * 1024, ProcHostFigures.memAvailable(oldKernel), "before 3.14: MemFree");
    }

    @Test
    void onLinuxTheFiguresComeFromProcAndAreSane()
    {
        HostFigures host = HostFigures.forThisHost();
        assertInstanceOf(ProcHostFigures.class, host, "this project is tested on Linux");
        assertSane(host.sample());
        assertSane(host.sample());
    }

    @Test
    void theMxBeanFallbackIsSaneToo()
    {
        assertSane(new MXBeanHostFigures().sample());
    }

    private static void assertSane(HostSample s)
    {
        assertTrue(s.load1000() >= 0, s.toString());
        assertTrue(s.cpuIdle1000() >= 0 && s.cpuIdle1000() <= 1000, s.toString());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.cpuCount());
        assertTrue(s.memTotalBytes() > 0 && s.memFreeBytes() > 0 && s.memFreeBytes() <= s.memTotalBytes(), s.toString());
    }
}
