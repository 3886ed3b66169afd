package io.backhand.candidacy.functions;

import java.util.List;

import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.error;
import static io.backhand.candidacy.TestCluster.fn;
import static io.backhand.candidacy.TestCluster.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByAgeTest
{
    private final ClusterView view = TestCluster.create().self("s")
        .peer("fresh", 1, b -> b).peer("six", 6, b -> b).peer("seven", 7, b -> b).peer("old", 30, b -> b).view();

    @Test
    void anEmptyListStaysEmpty()
    {
        assertEquals(List.of(), run(fn("byAge 6"), view, List.of()));
    }

    @Test
    void aSingleServerIsKeptWhenFreshAndDroppedWhenSilent()
    {
        assertEquals(List.of("fresh"), run(fn("byAge 6"), view, List.of("fresh")));
        assertEquals(List.of(), run(fn("byAge 6"), view, List.of("old")));
        assertEquals(List.of("s"), run(fn("byAge 6"), view, List.of("s")));
    }

    @Test
    void whenAllPeersAreStaleOnlyThisNodeRemainsBecauseItIsNeverStale()
    {
        ClusterView stale = TestCluster.create().peer("a", 60, b -> b).self("s").peer("b", 25, b -> b).view();
        assertEquals(List.of("s"), run(fn("byAge"), stale));
        assertEquals(List.of(), run(fn("byAge"), stale, List.of("a", "b")));
    }

    @Test
    void withoutThisNodeItIsNotAddedBack()
    {
        assertEquals(List.of("fresh", "six"), run(fn("byAge 6"), view, List.of("old", "fresh", "six", "seven")));
    }

    @Test
    void exactlyTheLimitIsStillHeardAndOrderIsKept()
    {
        // "Not heard from within secs": a server exactly secs old was heard within them.
        assertEquals(List.of("six", "s", "fresh"), run(fn("byAge 6"), view, List.of("six", "s", "seven", "fresh")));
    }

    @Test
    void theLimitDecidesWhoIsKept()
    {
        assertEquals(List.of("s", "fresh", "six"), run(fn("byAge 6"), view));
        assertEquals(List.of("s", "fresh", "six", "seven"), run(fn("byAge 7.5"), view));
        assertEquals(List.of("s", "fresh"), run(fn("byAge 1"), view));
        assertEquals(List.of("s"), run(fn("byAge 0.5"), view));
    }

    @Test
    void theDefaultIsTwentySeconds()
    {
        ClusterView v = TestCluster.create().self("s").peer("19s", 19, b -> b).peer("21s", 21, b -> b).view();
        assertEquals(List.of("s", "19s"), run(fn("byAge"), v));
    }

    @Test
    void badArgumentsAreNamed()
    {
        ChainException e = error("byAge six");
        assertEquals("six", e.word());
        assertTrue(e.problem().contains("expects the largest age in seconds, a number from 0.001 to 86400"), e.getMessage());
        assertEquals("0", error("byAge 0").word());
        assertEquals("-1", error("byAge -1").word());
        assertEquals("NaN", error("byAge NaN").word());
        ChainException extra = error("byAge 6 7");
        assertEquals("7", extra.word());
        assertTrue(extra.problem().contains("at most 1 argument"), extra.getMessage());
    }
}
