package io.backhand.stats;

/** The host's own figures at one instant: what the operating system says, independent of Jetty. */
public record HostSample(int load1000, int cpuIdle1000, int cpuCount, long memTotalBytes, long memFreeBytes)
{
}
