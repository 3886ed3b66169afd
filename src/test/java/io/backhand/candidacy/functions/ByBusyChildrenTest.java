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

class ByBusyChildrenTest
{
    @Test
    void anEmptyListAndASingleServer()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.inFlight(9)).peer("a", b -> b.inFlight(1)).view();
        assertEquals(List.of(), run(fn("byBusyChildren"), v, List.of()));
        assertEquals(List.of("a"), run(fn("byBusyChildren"), v, List.of("a")));
    }

    @Test
    void fewestBusyWorkersFirst()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.inFlight(4))
            .peer("a", b -> b.inFlight(10)).peer("b", b -> b.inFlight(0)).peer("c", b -> b.inFlight(2)).view();
        assertEquals(List.of("b", "c", "s", "a"), run(fn("byBusyChildren"), v));
    }

    @Test
    void staleServersAreRankedLikeAnyOtherBecauseDroppingThemIsByAgesJob()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.inFlight(5))
            .peer("a", 60, b -> b.inFlight(3)).peer("b", 60, b -> b.inFlight(1)).view();
        assertEquals(List.of("b", "a", "s"), run(fn("byBusyChildren"), v));
    }

    @Test
    void withoutThisNodeTheBiasHasNothingToFavour()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.inFlight(0)).peer("a", b -> b.inFlight(5))
            .peer("b", b -> b.inFlight(4)).view();
        assertEquals(List.of("b", "a"), run(fn("byBusyChildren 10"), v, List.of("a", "b")));
    }

    @Test
    void tiesKeepTheirIncomingOrder()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.inFlight(2)).peer("a", b -> b.inFlight(2))
            .peer("b", b -> b.inFlight(2)).view();
        assertEquals(List.of("b", "a", "s"), run(fn("byBusyChildren"), v, List.of("b", "a", "s")));
    }

    @Test
    void theBiasInWorkersFlipsTheOrderInFavourOfThisNode()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.inFlight(7)).peer("a", b -> b.inFlight(4)).view();
        assertEquals(List.of("a", "s"), run(fn("byBusyChildren"), v));
        assertEquals(List.of("a", "s"), run(fn("byBusyChildren 2"), v));
        // 7 - 3 = 4 ties with a; the incoming order (self first) stands.
        assertEquals(List.of("s", "a"), run(fn("byBusyChildren 3"), v));
        assertEquals(List.of("s", "a"), run(fn("byBusyChildren 3.5"), v, List.of("a", "s")));
    }

    @Test
    void requestsSentSinceTheAnnouncementCountUnlessFiguresAreRaw()
    {
        TestCluster t = TestCluster.create().self("s", b -> b.inFlight(3))
            .peer("a", b -> b.inFlight(0)).peer("b", b -> b.inFlight(2));
        ClusterView v = t.view();
        t.sent("a", 4);
        assertEquals(List.of("b", "s", "a"), run(fn("byBusyChildren"), v, List.of("s", "a", "b"), RequestView.NONE,
            context(v, true, 1)));
        assertEquals(List.of("a", "b", "s"), run(fn("byBusyChildren"), v, List.of("s", "a", "b"), RequestView.NONE,
            context(v, false, 1)));
    }

    @Test
    void theBiasIsANonNegativeNumber()
    {
        assertEquals("-1", error("byBusyChildren -1").word());
        assertEquals("lots", error("byBusyChildren lots").word());
    }
}
