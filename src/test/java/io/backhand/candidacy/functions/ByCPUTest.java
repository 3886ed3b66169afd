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

class ByCPUTest
{
    @Test
    void anEmptyListAndASingleServer()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.cpuIdle1000(0)).view();
        assertEquals(List.of(), run(fn("byCPU"), v, List.of()));
        assertEquals(List.of("s"), run(fn("byCPU"), v));
    }

    @Test
    void mostIdleFirst()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.cpuIdle1000(500))
            .peer("a", b -> b.cpuIdle1000(100)).peer("b", b -> b.cpuIdle1000(950)).peer("c", b -> b.cpuIdle1000(700)).view();
        assertEquals(List.of("b", "c", "s", "a"), run(fn("byCPU"), v));
    }

    @Test
    void staleServersAreRankedLikeAnyOther()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.cpuIdle1000(100))
            .peer("a", 60, b -> b.cpuIdle1000(900)).view();
        assertEquals(List.of("a", "s"), run(fn("byCPU"), v));
    }

    @Test
    void withoutThisNodeItIsNotAdded()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.cpuIdle1000(1000))
            .peer("a", b -> b.cpuIdle1000(300)).peer("b", b -> b.cpuIdle1000(600)).view();
        assertEquals(List.of("b", "a"), run(fn("byCPU"), v, List.of("a", "b")));
    }

    @Test
    void tiesKeepTheirIncomingOrder()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.cpuIdle1000(800))
            .peer("a", b -> b.cpuIdle1000(800)).peer("b", b -> b.cpuIdle1000(800)).view();
        assertEquals(List.of("b", "s", "a"), run(fn("byCPU"), v, List.of("b", "s", "a")));
    }

    @Test
    void requestsSentSinceTheAnnouncementFlipTheOrderUnlessFiguresAreRaw()
    {
        // byCPU has no bias; what flips its order is the interpreted figure: each request sent there since
        // the announcement is taken to keep one CPU busy. a: 0.9 - 2/4 = 0.4 idle, behind b's 0.6.
        TestCluster t = TestCluster.create().self("s", b -> b.cpuIdle1000(0))
            .peer("a", b -> b.cpuIdle1000(900).cpuCount(4)).peer("b", b -> b.cpuIdle1000(600).cpuCount(4));
        ClusterView v = t.view();
        t.sent("a", 2);
        assertEquals(List.of("b", "a", "s"), run(fn("byCPU"), v, List.of("s", "a", "b"), RequestView.NONE, context(v, true, 1)));
        assertEquals(List.of("a", "b", "s"), run(fn("byCPU"), v, List.of("s", "a", "b"), RequestView.NONE, context(v, false, 1)));
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("0.5", error("byCPU 0.5").word());
    }
}
