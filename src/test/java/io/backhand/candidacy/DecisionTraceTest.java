package io.backhand.candidacy;

import java.util.List;

import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A traced decision is the same decision, and its trace is what each function left: the candidates in order
 * and, for the functions that ranked them, each one's own figure.
 */
class DecisionTraceTest
{
    // s is this node; c was last heard 10 s ago, too old for byAge 6.
    private final TestCluster cluster = TestCluster.create().self("s", b -> b.inFlight(5))
        .peer("a", b -> b.inFlight(1).workerName("node1"))
        .peer("b", b -> b.inFlight(3).workerName("node2"))
        .peer("c", 10, b -> b.inFlight(0));
    private final ClusterView view = cluster.view();

    private static Chain chain(String text) throws ChainException
    {
        return ChainParser.standard().parse(text);
    }

    private static List<String> names(DecisionTrace.Step s)
    {
        return s.candidates().stream().map(DecisionTrace.Candidate::server).toList();
    }

    private static List<Double> figures(DecisionTrace.Step s)
    {
        return s.candidates().stream().map(DecisionTrace.Candidate::figure).toList();
    }

    @Test
    void eachStepShowsTheCandidatesItLeftAndTheFiguresItRankedBy() throws Exception
    {
        Chain chain = chain("byAge 6\nbyBusyChildren\nbyLogWindow");
        DecisionTrace trace = new DecisionTrace();
        Decision d = chain.explain(view, new Candidates(), RequestView.NONE, TestCluster.context(view), 3, trace);

        List<DecisionTrace.Step> steps = trace.steps();
        assertEquals(List.of("start", "byAge 6", "byBusyChildren", "byLogWindow"),
            steps.stream().map(DecisionTrace.Step::function).toList());
        assertEquals(List.of("s", "a", "b", "c"), names(steps.get(0)));
        assertEquals(List.of("s", "a", "b"), names(steps.get(1)));
        assertTrue(steps.get(1).candidates().stream().noneMatch(DecisionTrace.Candidate::hasFigure), "byAge ranks nothing");
        assertEquals(List.of("a", "b", "s"), names(steps.get(2)));
        assertEquals(List.of(1.0, 3.0, 5.0), figures(steps.get(2)));
        assertEquals(List.of("a", "b"), names(steps.get(3)));
        assertTrue(steps.get(3).candidates().stream().noneMatch(DecisionTrace.Candidate::hasFigure),
            "byLogWindow ranks nothing; byBusyChildren's figures are not carried over to it");

        assertEquals(Decision.Kind.PROXY, d.kind());
        assertSame(cluster.get("a"), d.target());
        assertEquals("proxy", trace.outcome());
        assertEquals("a", trace.winner());
        assertEquals("start: s a b c; byAge 6: s a b; byBusyChildren: a=1 b=3 s=5; byLogWindow: a b; -> proxy a",
            trace.line());
    }

    @Test
    void aTracedDecisionIsTheDecisionTheChainMakesUntraced() throws Exception
    {
        Chain chain = chain("byAge 6\nbyRandom\nbyLogWindow\nbyBusyChildren");
        for (long seed = 1; seed <= 50; seed++)
        {
            Decision plain = chain.decide(view, new Candidates(), RequestView.NONE, TestCluster.context(view, true, seed), 3);
            Decision traced = chain.explain(view, new Candidates(), RequestView.NONE, TestCluster.context(view, true, seed), 3,
                new DecisionTrace());
            assertEquals(plain.kind(), traced.kind());
            assertEquals(plain.targetList(), traced.targetList(), "seed " + seed);
        }
    }

    @Test
    void aPinnedSessionOwnerKeepsItsOwnFigureWhenItIsMovedFirst() throws Exception
    {
        Chain chain = chain("bySession\nbyBusyChildren");
        DecisionTrace trace = new DecisionTrace();
        RequestView owner = TestRequest.create().cookie("JSESSIONID", "abc.node2");
        chain.explain(view, new Candidates(), owner, TestCluster.context(view), 3, trace);

        DecisionTrace.Step ranked = trace.steps().get(2);
        assertEquals(List.of("b", "c", "a", "s"), names(ranked));
        assertEquals(List.of(3.0, 0.0, 1.0, 5.0), figures(ranked));
        assertEquals("b", trace.winner());
    }

    @Test
    void theHeaderLineIsPrintableAsciiWhateverAServerIsCalled() throws Exception
    {
        ClusterView odd = TestCluster.create().self("s").peer("ü;x=1\r\nSet-Cookie: y", b -> b.inFlight(2)).view();
        DecisionTrace trace = new DecisionTrace();
        chain("removeSelf\nbyBusyChildren").explain(odd, new Candidates(), RequestView.NONE, TestCluster.context(odd), 1, trace);
        String line = trace.line();
        assertTrue(line.chars().allMatch(ch -> ch >= ' ' && ch < 0x7f), line);
        assertEquals("start: s ??x?1??Set-Cookie:?y; removeSelf: ??x?1??Set-Cookie:?y; "
            + "byBusyChildren: ??x?1??Set-Cookie:?y=2; -> proxy ??x?1??Set-Cookie:?y", line);
    }

    @Test
    void figuresReadAsPeopleWriteThem()
    {
        assertEquals("3", DecisionTrace.figure(3.0));
        assertEquals("0.123", DecisionTrace.figure(0.12345));
        assertEquals("-1.5", DecisionTrace.figure(-1.5));
        assertEquals("inf", DecisionTrace.figure(Double.POSITIVE_INFINITY));
    }
}
