package io.backhand.candidacy.functions;

import java.util.List;

import io.backhand.candidacy.RequestView;
import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.context;
import static io.backhand.candidacy.TestCluster.error;
import static io.backhand.candidacy.TestCluster.fn;
import static io.backhand.candidacy.TestCluster.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByLoadTest
{
    @Test
    void anEmptyListAndASingleServer()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.load1000(3000)).view();
        assertEquals(List.of(), run(fn("byLoad"), v, List.of()));
        assertEquals(List.of("s"), run(fn("byLoad 0.5"), v));
    }

    @Test
    void leastLoadedFirst()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.load1000(2000))
            .peer("a", b -> b.load1000(3000)).peer("b", b -> b.load1000(500)).peer("c", b -> b.load1000(1000)).view();
        assertEquals(List.of("b", "c", "s", "a"), run(fn("byLoad"), v));
    }

    @Test
    void staleServersAreRankedLikeAnyOtherBecauseDroppingThemIsByAgesJob()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.load1000(2000))
            .peer("a", 60, b -> b.load1000(100)).peer("b", 60, b -> b.load1000(50)).view();
        assertEquals(List.of("b", "a", "s"), run(fn("byLoad"), v));
    }

    @Test
    void withoutThisNodeTheBiasHasNothingToFavour()
    {
        ClusterView v = TestCluster.create().self("s").peer("a", b -> b.load1000(900)).peer("b", b -> b.load1000(400)).view();
        assertEquals(List.of("b", "a"), run(fn("byLoad 1"), v, List.of("a", "b")));
    }

    @Test
    void tiesKeepTheirIncomingOrderSoByRandomStillSpreadsThem()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.load1000(700))
            .peer("a", b -> b.load1000(700)).peer("b", b -> b.load1000(700)).view();
        assertEquals(List.of("b", "s", "a"), run(fn("byLoad"), v, List.of("b", "s", "a")));
        assertEquals(List.of("a", "b", "s"), run(fn("byLoad"), v, List.of("a", "b", "s")));
    }

    @Test
    void theBiasKeepsTheRequestHereUnlessAnotherIsClearlyBetter()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.load1000(1300)).peer("a", b -> b.load1000(1000)).view();
        assertEquals(List.of("a", "s"), run(fn("byLoad"), v));
        assertEquals(List.of("a", "s"), run(fn("byLoad 0.25"), v));
        assertEquals(List.of("s", "a"), run(fn("byLoad 0.5"), v));
    }

    @Test
    void loadIsNormalisedBySpeedSoASlowBoxsLoadCountsForMore()
    {
        // a: 0.6 at a third of the speed counts 1.8; b: 1.0 on the fastest box counts 1.0.
        ClusterView v = TestCluster.create().self("s", b -> b.load1000(5000).arriba(3000))
            .peer("a", b -> b.load1000(600).arriba(1000)).peer("b", b -> b.load1000(1000).arriba(3000)).view();
        assertEquals(List.of("b", "a", "s"), run(fn("byLoad"), v));
    }

    @Test
    void requestsSentSinceTheAnnouncementCountUnlessFiguresAreRaw()
    {
        TestCluster t = TestCluster.create().self("s", b -> b.load1000(1000))
            .peer("a", b -> b.load1000(0).cpuCount(2)).peer("b", b -> b.load1000(500).cpuCount(2));
        ClusterView v = t.view();
        t.sent("a", 3);  // a: 0 + 3/2 = 1.5 once interpreted
        assertEquals(List.of("b", "s", "a"), run(fn("byLoad"), v, List.of("s", "a", "b"), RequestView.NONE, context(v, true, 1)));
        assertEquals(List.of("a", "b", "s"), run(fn("byLoad"), v, List.of("s", "a", "b"), RequestView.NONE, context(v, false, 1)));
    }

    @Test
    void theBiasIsANumberFromZeroToOne()
    {
        assertEquals("1.5", error("byLoad 1.5").word());
        assertTrue(error("byLoad x").problem().contains("the bias in favour of this node, a number from 0 to 1"));
        assertEquals("2", error("byLoad 1 2").word());
    }
}
