package io.backhand.candidacy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chains compared on {@link BalancerSimulation}'s simulated clusters, the benchmark harness's scenarios 5 and 8
 * without the machine's noise: what a chain does when several balancers share one stale announcement, and when
 * servers differ in size.
 */
class SimulatedBalancersTest
{
    private static final int[] EQUAL = {4, 4, 4, 4};
    private static final double[] ONE_SLOW = {10, 10, 10, 30};

    private static double p99(String chain, int balancers, int[] workers, double[] meanMs) throws Exception
    {
        double[] latencies = new BalancerSimulation(chain, balancers, workers, meanMs).run(0.85, 25, 5, 1);
        double p99 = BalancerSimulation.percentile(latencies, 0.99);
        System.out.printf("simulated %d balancer(s), workers %s: %-45s p99 %7.1f ms%n", balancers,
            java.util.Arrays.toString(workers), chain, p99);
        return p99;
    }

    @Test
    void fourBalancersSharingOneStaleAnnouncementDoNotHerd() throws Exception
    {
        double expected = p99("byAge 6;byExpectedDelay", 4, EQUAL, ONE_SLOW);
        double extrapolated = p99("byAge 6;byExtrapolatedDelay", 4, EQUAL, ONE_SLOW);
        double latency = p99("byAge 6;byLatency", 4, EQUAL, ONE_SLOW);
        // byExpectedDelay takes the other three balancers to stand still for a second: all four crowd the server
        // that looked idle, and queues grow to seconds.
        assertTrue(expected > 500, "byExpectedDelay no longer herds here, so this test shows nothing: " + expected);
        assertTrue(extrapolated < 1.2 * latency, "byExtrapolatedDelay " + extrapolated + " ms, byLatency " + latency);
    }

    @Test
    void serversOfDifferentSizesTakeTheirShareByWorkers() throws Exception
    {
        int[] sizes = {8, 4, 4, 2};
        double[] same = {10, 10, 10, 10};
        double extrapolated = p99("byAge 6;byExtrapolatedDelay", 1, sizes, same);
        double latency = p99("byAge 6;byLatency", 1, sizes, same);
        assertTrue(extrapolated < 0.95 * latency, "byExtrapolatedDelay " + extrapolated + " ms, byLatency " + latency);
    }
}
