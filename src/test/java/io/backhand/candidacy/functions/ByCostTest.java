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

class ByCostTest
{
    private static final long GB = 1L << 30;

    @Test
    void theCostIsNToTheUtilisationOfCpuPlusNToTheUtilisationOfMemory()
    {
        // Four servers, high-water mark 4: a at load 2 (u=0.5) with 3 of 4 GB in use (u=0.75).
        ClusterView v = TestCluster.create().highWater(4).self("s")
            .peer("a", b -> b.load1000(2000).memTotalBytes(4 * GB).memFreeBytes(GB)).peer("b").peer("c").view();
        double expected = Math.pow(4, 0.5) + Math.pow(4, 0.75);
        assertEquals(expected, ByCost.cost(v.byName("a"), context(v)), 1e-9);
    }

    @Test
    void anEmptyListAndASingleServer()
    {
        ClusterView v = TestCluster.create().self("s").view();
        assertEquals(List.of(), run(fn("byCost"), v, List.of()));
        assertEquals(List.of("s"), run(fn("byCost"), v));
    }

    @Test
    void cheapestFirstAndANearlyFullResourceIsVeryExpensive()
    {
        // b is idle on CPU but nearly out of memory; a is busier on CPU with memory to spare.
        ClusterView v = TestCluster.create().highWater(4).self("s", b -> b.load1000(3000).memFreeBytes(GB / 2))
            .peer("a", b -> b.load1000(1000).memTotalBytes(GB).memFreeBytes(GB / 2))
            .peer("b", b -> b.load1000(0).memTotalBytes(GB).memFreeBytes(GB / 100)).view();
        assertEquals(List.of("a", "b", "s"), run(fn("byCost"), v));
    }

    @Test
    void staleServersAreRankedLikeAnyOther()
    {
        ClusterView v = TestCluster.create().highWater(2).self("s", b -> b.load1000(2000))
            .peer("a", 60, b -> b.load1000(0)).view();
        assertEquals(List.of("a", "s"), run(fn("byCost"), v));
    }

    @Test
    void withoutThisNodeItIsNotAdded()
    {
        ClusterView v = TestCluster.create().highWater(2).self("s").peer("a", b -> b.load1000(1500))
            .peer("b", b -> b.load1000(500)).view();
        assertEquals(List.of("b", "a"), run(fn("byCost"), v, List.of("a", "b")));
    }

    @Test
    void tiesKeepTheirIncomingOrder()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").peer("b").view();
        assertEquals(List.of("b", "s", "a"), run(fn("byCost"), v, List.of("b", "s", "a")));
    }

    @Test
    void requestsSentSinceTheAnnouncementRaiseTheCpuCostUnlessFiguresAreRaw()
    {
        TestCluster t = TestCluster.create().highWater(4).self("s", b -> b.load1000(4000))
            .peer("a", b -> b.load1000(0)).peer("b", b -> b.load1000(1000));
        ClusterView v = t.view();
        t.sent("a", 2);  // one CPU: a's load reads 2
        assertEquals(List.of("b", "a", "s"), run(fn("byCost"), v, List.of("s", "a", "b"), RequestView.NONE, context(v, true, 1)));
        assertEquals(List.of("a", "b", "s"), run(fn("byCost"), v, List.of("s", "a", "b"), RequestView.NONE, context(v, false, 1)));
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("2", error("byCost 2").word());
    }
}
