package io.backhand.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** Portable figures from the JDK, for hosts without /proc. */
final class MXBeanHostFigures implements HostFigures
{
    @Override
    public HostSample sample()
    {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        int cpus = os.getAvailableProcessors();
        double load = os.getSystemLoadAverage();
        int load1000 = load < 0 ? 0 : (int) Math.round(load * 1000);
        int cpuIdle1000 = 1000;
        long memTotal = Runtime.getRuntime().maxMemory();
        long memFree = Runtime.getRuntime().freeMemory();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun)
        {
            double cpuLoad = sun.getCpuLoad();
            if (cpuLoad >= 0)
                cpuIdle1000 = (int) Math.round((1 - cpuLoad) * 1000);
            memTotal = sun.getTotalMemorySize();
            memFree = sun.getFreeMemorySize();
        }
        return new HostSample(load1000, cpuIdle1000, cpus, memTotal, memFree);
    }
}
