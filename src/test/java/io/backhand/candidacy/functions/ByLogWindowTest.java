package io.backhand.candidacy.functions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.RequestView;
import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.context;
import static io.backhand.candidacy.TestCluster.error;
import static io.backhand.candidacy.TestCluster.fn;
import static io.backhand.candidacy.TestCluster.names;
import static io.backhand.candidacy.TestCluster.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByLogWindowTest
{
    @Test
    void theWindowIsFloorLog2PlusOne()
    {
        int[] expected = {0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5};
        for (int n = 0; n < expected.length; n++)
            assertEquals(expected[n], ByLogWindow.window(n), "n=" + n);
        assertEquals(7, ByLogWindow.window(64));
        assertEquals(7, ByLogWindow.window(127));
        assertEquals(8, ByLogWindow.window(128));
    }

    private static ClusterView cluster(int peers, double age)
    {
        TestCluster t = TestCluster.create().self("s");
        for (int i = 0; i < peers; i++)
            t.peer("p" + i, age, b -> b);
        return t.view();
    }

    @Test
    void anEmptyListAndASingleServerAreKept()
    {
        ClusterView v = cluster(3, 1);
        assertEquals(List.of(), run(fn("byLogWindow"), v, List.of()));
        assertEquals(List.of("p1"), run(fn("byLogWindow"), v, List.of("p1")));
    }

    @Test
    void keepsTheFirstInTheirOrderStaleOrNot()
    {
        ClusterView v = cluster(7, 90);
        assertEquals(List.of("p3", "s", "p0"), run(fn("byLogWindow"), v, List.of("p3", "s", "p0", "p1", "p2", "p4", "p5")));
    }

    @Test
    void withoutThisNodeItIsNotAdded()
    {
        ClusterView v = cluster(4, 1);
        assertEquals(List.of("p0", "p1", "p2"), run(fn("byLogWindow"), v, List.of("p0", "p1", "p2", "p3")));
    }

    @Test
    void afterByRandomItIsAUniformSampleOfEqualServers() throws Exception
    {
        // Ties: equal servers are all equally likely to make the window when it follows byRandom.
        ClusterView v = cluster(7, 1);
        Chain chain = ChainParser.standard().parse("byRandom\nbyLogWindow");
        Map<String, Integer> inWindow = new HashMap<>();
        Candidates c = new Candidates();
        int runs = 8000;
        for (long seed = 0; seed < runs; seed++)
        {
            c.reset(v);
            chain.run(c, RequestView.NONE, context(v, true, seed));
            assertEquals(4, c.size());
            for (String n : names(c))
                inWindow.merge(n, 1, Integer::sum);
        }
        assertEquals(8, inWindow.size());
        for (int count : inWindow.values())
            assertTrue(Math.abs(count - runs / 2.0) < runs / 2.0 * 0.1, inWindow.toString());
    }

    @Test
    void theListSizeDecidesTheWindow()
    {
        ClusterView v = cluster(15, 1);
        List<String> all = new ArrayList<>();
        v.members().forEach(m -> all.add(m.name()));
        assertEquals(4, run(fn("byLogWindow"), v, all.subList(0, 15)).size());
        assertEquals(5, run(fn("byLogWindow"), v, all).size());
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("3", error("byLogWindow 3").word());
    }
}
