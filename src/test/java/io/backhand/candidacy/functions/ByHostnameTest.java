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

class ByHostnameTest
{
    private final ClusterView view = TestCluster.create().self("s", b -> b.hostname("bal1.example.com"))
        .peer("a", b -> b.hostname("sun3.example.com")).peer("b", b -> b.hostname("alpha1.example.com"))
        .peer("c", 60, b -> b.hostname("www2.example.com")).view();

    @Test
    void keepsServersWhoseHostnameMatchesAnywhereInOrder()
    {
        // The example of Apache: The Definitive Guide, verbatim.
        assertEquals(List.of("a", "b"), run(fn("byHostname (sun|alpha)"), view));
        assertEquals(List.of("b", "a"), run(fn("byHostname (sun|alpha)"), view, List.of("c", "b", "s", "a")));
        assertEquals(List.of("a"), run(fn("byHostname ^sun"), view));
        assertEquals(List.of("s", "a", "b", "c"), run(fn("byHostname example\\.com$"), view));
    }

    @Test
    void anEmptyListAndASingleServer()
    {
        assertEquals(List.of(), run(fn("byHostname www"), view, List.of()));
        assertEquals(List.of("c"), run(fn("byHostname www"), view, List.of("c")));
        assertEquals(List.of(), run(fn("byHostname www"), view, List.of("a")));
    }

    @Test
    void staleServersMatchLikeAnyOtherAndNoneMatchingLeavesNothing()
    {
        assertEquals(List.of("c"), run(fn("byHostname www"), view));
        assertEquals(List.of(), run(fn("byHostname nosuchhost"), view));
    }

    @Test
    void thisNodeIsKeptOnlyWhenItMatchesAndNeverAdded()
    {
        assertEquals(List.of("s"), run(fn("byHostname ^bal"), view));
        assertEquals(List.of(), run(fn("byHostname ^bal"), view, List.of("a", "b")));
    }

    @Test
    void theRegularExpressionDecidesWhoStays()
    {
        assertEquals(List.of("a"), run(fn("byHostname sun"), view));
        assertEquals(List.of("b"), run(fn("byHostname alpha"), view));
        assertEquals(List.of("a", "b"), run(fn("byHostname \"(sun|alpha)[0-9]\""), view));
    }

    @Test
    void aBadRegularExpressionIsNamedWithWhereItBreaks()
    {
        ChainException e = error("byAge 6\nbyHostname (sun|alpha");
        assertEquals(2, e.line());
        assertEquals("(sun|alpha", e.word());
        assertTrue(e.problem().contains("byHostname expects a regular expression"), e.getMessage());
        assertTrue(e.problem().contains("Unclosed group"), e.getMessage());
        ChainException missing = error("byHostname");
        assertTrue(missing.problem().contains("missing argument; usage: byHostname regex"), missing.getMessage());
        assertEquals("x", error("byHostname a x").word());
    }
}
