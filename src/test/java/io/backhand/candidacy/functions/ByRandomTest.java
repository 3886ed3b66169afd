package io.backhand.candidacy.functions;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

class ByRandomTest
{
    private final ClusterView view = TestCluster.create().self("s").peer("a").peer("b").peer("c").view();

    private List<String> shuffled(List<String> input, long seed)
    {
        return run(fn("byRandom"), view, input, RequestView.NONE, context(view, true, seed));
    }

    @Test
    void anEmptyListAndASingleServerAreLeftAlone()
    {
        assertEquals(List.of(), shuffled(List.of(), 1));
        assertEquals(List.of("a"), shuffled(List.of("a"), 1));
    }

    @Test
    void staleServersAreShuffledLikeAnyOtherBecauseDroppingThemIsByAgesJob()
    {
        ClusterView stale = TestCluster.create().self("s").peer("x", 90, b -> b).peer("y", 90, b -> b).view();
        Set<String> first = new HashSet<>();
        for (long seed = 0; seed < 50; seed++)
        {
            List<String> out = run(fn("byRandom"), stale, List.of("s", "x", "y"), RequestView.NONE, context(stale, true, seed));
            assertEquals(Set.of("s", "x", "y"), new HashSet<>(out));
            first.add(out.get(0));
        }
        assertEquals(Set.of("s", "x", "y"), first, "the stale ones come first as often as any");
    }

    @Test
    void withoutThisNodeItIsNotAdded()
    {
        for (long seed = 0; seed < 50; seed++)
            assertEquals(Set.of("a", "b", "c"), new HashSet<>(shuffled(List.of("a", "b", "c"), seed)));
    }

    @Test
    void equalServersComeOutInEveryOrderAndEachFirstAboutEquallyOften()
    {
        Set<List<String>> orders = new HashSet<>();
        Map<String, Integer> first = new HashMap<>();
        int runs = 8000;
        for (long seed = 0; seed < runs; seed++)
        {
            List<String> out = shuffled(List.of("s", "a", "b", "c"), seed);
            orders.add(out);
            first.merge(out.get(0), 1, Integer::sum);
        }
        assertEquals(24, orders.size(), "every permutation of four servers");
        for (String n : List.of("s", "a", "b", "c"))
        {
            int f = first.getOrDefault(n, 0);
            assertTrue(f > runs / 4 * 0.85 && f < runs / 4 * 1.15, n + " first " + f + " times of " + runs);
        }
    }

    @Test
    void theDecisionsRandomSourceAloneDecidesTheOrder()
    {
        // Pure: the same random stream gives the same order, another stream flips it.
        assertEquals(shuffled(List.of("s", "a", "b", "c"), 42), shuffled(List.of("s", "a", "b", "c"), 42));
        boolean flipped = false;
        for (long seed = 0; seed < 20 && !flipped; seed++)
            flipped = !shuffled(List.of("a", "b"), seed).equals(shuffled(List.of("a", "b"), 42));
        assertTrue(flipped);
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("1", error("byRandom 1").word());
    }
}
