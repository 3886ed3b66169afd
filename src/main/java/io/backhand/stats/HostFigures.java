package io.backhand.stats;

/**
 * Reads the host's load, CPU idle share and memory. {@link #forThisHost()} picks /proc on Linux, where
 * the figures are exact and cheap, and the JDK's OperatingSystemMXBean elsewhere.
 */
public interface HostFigures
{
    /** Not thread-safe: CPU idle is a delta since the previous call, so one sampler owns one instance. */
    HostSample sample();

    static HostFigures forThisHost()
    {
        if (ProcHostFigures.available())
            return new ProcHostFigures();
        return new MXBeanHostFigures();
    }
}
