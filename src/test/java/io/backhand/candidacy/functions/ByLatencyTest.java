package io.backhand.candidacy.functions;

import java.util.List;

import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.NOW;
import static io.backhand.candidacy.functions.Observations.MS;
import static io.backhand.candidacy.functions.Observations.inFlight;
import static io.backhand.candidacy.functions.Observations.observed;
import static io.backhand.candidacy.TestCluster.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ByLatencyTest
{
    private static List<String> rank(ClusterView v, List<String> input, long now)
    {
        return Observations.rank("byLatency", v, input, now);
    }

    @Test
    void fastestObservedFirst()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").peer("b").view();
        observed(v, "s", 40, NOW);
        observed(v, "a", 90, NOW);
        observed(v, "b", 10, NOW);
        assertEquals(List.of("b", "s", "a"), rank(v, List.of("s", "a", "b"), NOW));
    }

    @Test
    void anEmptyListAndASingleServer()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").view();
        observed(v, "a", 500, NOW);
        assertEquals(List.of(), rank(v, List.of(), NOW));
        assertEquals(List.of("a"), rank(v, List.of("a"), NOW));
    }

    @Test
    void withNothingMeasuredItIsLeastRequestsInFlight()
    {
        // Stale or new, servers never measured are priced alike, so in-flight decides.
        ClusterView v = TestCluster.create().self("s").peer("a", 60, b -> b).peer("b", 60, b -> b).view();
        inFlight(v, "s", 2);
        inFlight(v, "a", 1);
        assertEquals(List.of("b", "a", "s"), rank(v, List.of("s", "a", "b"), NOW));
    }

    @Test
    void aNewServerIsPricedJustBelowTheBestSoItIsTriedWithoutTakingTheWholeBurst()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").peer("new").view();
        observed(v, "s", 100, NOW);
        observed(v, "a", 300, NOW);
        // 99.9 ms: new goes first while idle...
        assertEquals(List.of("new", "s", "a"), rank(v, List.of("a", "new", "s"), NOW));
        // ...behind s once one request waits on it (99.9 x 2), and behind a too with three (99.9 x 4).
        inFlight(v, "new", 1);
        assertEquals(List.of("s", "new", "a"), rank(v, List.of("a", "new", "s"), NOW));
        inFlight(v, "new", 2);
        assertEquals(List.of("s", "a", "new"), rank(v, List.of("a", "new", "s"), NOW));
    }

    /**
     * One request at a time, nothing in flight: with one server measured, the unmeasured ones must still go
     * before it, or they would never be measured and the first one would keep everything.
     */
    @Test
    void unmeasuredServersAreTriedEvenOneRequestAtATime()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").peer("b").view();
        observed(v, "s", 40, NOW);
        assertEquals(List.of("a", "b", "s"), rank(v, List.of("s", "a", "b"), NOW));
        observed(v, "a", 30, NOW);
        assertEquals(List.of("b", "a", "s"), rank(v, List.of("s", "a", "b"), NOW), "b still goes before the best");
    }

    @Test
    void thisNodeMissingIsNotAdded()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").peer("b").view();
        observed(v, "s", 1, NOW);
        observed(v, "a", 20, NOW);
        observed(v, "b", 10, NOW);
        assertEquals(List.of("b", "a"), rank(v, List.of("a", "b"), NOW));
    }

    @Test
    void tiesKeepTheirIncomingOrder()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").peer("b").view();
        for (String n : List.of("s", "a", "b"))
            observed(v, n, 50, NOW);
        assertEquals(List.of("b", "s", "a"), rank(v, List.of("b", "s", "a"), NOW));
    }

    @Test
    void requestsInFlightFlipTheOrderLikeFinaglesPeakEwma()
    {
        ClusterView v = TestCluster.create().self("s").peer("fast").peer("slow").view();
        observed(v, "fast", 10, NOW);
        observed(v, "slow", 25, NOW);
        assertEquals(List.of("fast", "slow"), rank(v, List.of("slow", "fast"), NOW));
        inFlight(v, "fast", 2);  // 10 x 3 = 30 > 25 x 1
        assertEquals(List.of("slow", "fast"), rank(v, List.of("slow", "fast"), NOW));
    }

    @Test
    void aSlowResponseTakesOverAtOnceAndIsForgivenOverTime()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").peer("b").view();
        observed(v, "a", 20, NOW);
        observed(v, "b", 30, NOW);
        observed(v, "a", 2000, NOW + 1);  // the peak: one slow answer counts in full
        assertEquals(List.of("b", "a"), rank(v, List.of("a", "b"), NOW + 2));
        // With no traffic both estimates decay at the same rate, so idle time alone does not flip them...
        assertEquals(List.of("b", "a"), rank(v, List.of("a", "b"), NOW + 60_000 * MS));
        // ...but b keeps getting 30 ms answers while a is left alone, and a's old peak fades below them.
        for (long t = 1; t <= 60; t++)
            observed(v, "b", 30, NOW + t * 1000 * MS);
        assertEquals(List.of("a", "b"), rank(v, List.of("b", "a"), NOW + 60_000 * MS));
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("2", error("byLatency 2").word());
    }
}
