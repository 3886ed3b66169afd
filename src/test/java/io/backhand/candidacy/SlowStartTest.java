package io.backhand.candidacy;

import java.util.List;

import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slow start: a server's share of the requests it would win grows linearly over its first slowStart. */
class SlowStartTest
{
    private static final long TEN_SECONDS = 10_000_000_000L;

    /** A peer "fresh" that has been up {@code upSeconds} (by its own clock) and an old peer "old". */
    private static ClusterView cluster(double upSeconds)
    {
        return TestCluster.create().self("self")
            .peer("fresh", 0, b -> b.startedAtMillis(1_000_000).sentAtMillis(1_000_000 + (long) (upSeconds * 1000)))
            .peer("old", 0, b -> b.startedAtMillis(1_000_000).sentAtMillis(1_000_000 + 3_600_000))
            .view();
    }

    private static double winsOfFresh(double upSeconds, long slowStartNanos)
    {
        ClusterView view = cluster(upSeconds);
        DecisionContext ctx = TestCluster.context(view, true, 42).slowStart(slowStartNanos);
        Candidates c = new Candidates();
        int wins = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++)
        {
            c.reset(List.of(view.byName("fresh"), view.byName("old")));
            if (Decision.from(c, 3, ctx).target().name().equals("fresh"))
                wins++;
        }
        return (double) wins / n;
    }

    @Test
    void theShareRampsLinearlyOverThePeriod()
    {
        assertEquals(0.0, winsOfFresh(0, TEN_SECONDS), 0.01);
        assertEquals(0.25, winsOfFresh(2.5, TEN_SECONDS), 0.02);
        assertEquals(0.5, winsOfFresh(5, TEN_SECONDS), 0.02);
        assertEquals(0.9, winsOfFresh(9, TEN_SECONDS), 0.02);
        assertEquals(1.0, winsOfFresh(10, TEN_SECONDS), 0.0);
        assertEquals(1.0, winsOfFresh(60, TEN_SECONDS), 0.0);
    }

    @Test
    void offMeansNoRamp()
    {
        assertEquals(1.0, winsOfFresh(0, 0), 0.0);
    }

    @Test
    void aHeldBackServerStaysAFallbackAndTheWinnerIsTheNextEligible()
    {
        ClusterView view = cluster(0);
        DecisionContext ctx = TestCluster.context(view, true, 7).slowStart(TEN_SECONDS);
        Candidates c = new Candidates().reset(List.of(view.byName("fresh"), view.byName("old")));
        Decision d = Decision.from(c, 3, ctx);
        assertEquals(List.of("old", "fresh"), d.targetList().stream().map(m -> m.name()).toList());
    }

    @Test
    void whenEveryoneIsWarmingUpTheChainsFirstChoiceStillWins()
    {
        ClusterView view = TestCluster.create().self("self")
            .peer("a", 0, b -> b.startedAtMillis(1_000_000).sentAtMillis(1_000_000))
            .peer("b", 0, b -> b.startedAtMillis(1_000_000).sentAtMillis(1_000_000)).view();
        DecisionContext ctx = TestCluster.context(view, true, 7).slowStart(TEN_SECONDS);
        Candidates c = new Candidates().reset(List.of(view.byName("b"), view.byName("a")));
        assertEquals("b", Decision.from(c, 3, ctx).target().name());
    }

    @Test
    void thisNodeAndAPinnedSessionOwnerAreNeverHeldBack()
    {
        ClusterView view = cluster(0);
        DecisionContext ctx = TestCluster.context(view, true, 7).slowStart(TEN_SECONDS);
        Candidates c = new Candidates().reset(List.of(view.byName("fresh"), view.byName("old")));
        c.pin(view.byName("fresh"));
        assertEquals("fresh", Decision.from(c, 3, ctx).target().name());
        assertTrue(SlowStart.share(view.self(), null, TEN_SECONDS, TestCluster.NOW) == 1.0);
    }
}
