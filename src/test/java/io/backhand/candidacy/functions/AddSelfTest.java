package io.backhand.candidacy.functions;

import java.util.List;

import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.Decision;
import io.backhand.candidacy.RequestView;
import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.context;
import static io.backhand.candidacy.TestCluster.error;
import static io.backhand.candidacy.TestCluster.fn;
import static io.backhand.candidacy.TestCluster.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AddSelfTest
{
    private final ClusterView view = TestCluster.create().peer("a", b -> b.inFlight(1)).self("s", b -> b.inFlight(9))
        .peer("b", 60, b -> b).view();

    @Test
    void anEmptyListBecomesThisNode()
    {
        assertEquals(List.of("s"), run(fn("addSelf"), view, List.of()));
    }

    @Test
    void thisNodeGoesLastAsTheFallback()
    {
        assertEquals(List.of("a", "s"), run(fn("addSelf"), view, List.of("a")));
    }

    @Test
    void whenAllPeersWereStaleThisNodeStillServes() throws Exception
    {
        Chain chain = ChainParser.standard().parse("removeSelf\nbyAge 6\naddSelf");
        ClusterView stale = TestCluster.create().self("s").peer("a", 30, b -> b).view();
        Decision d = chain.decide(stale, new Candidates(), RequestView.NONE, context(stale), 3);
        assertEquals(Decision.Kind.LOCAL, d.kind());
    }

    @Test
    void presentSelfIsNeitherMovedNorDoubled()
    {
        assertEquals(List.of("s", "a"), run(fn("addSelf"), view, List.of("s", "a")));
        assertEquals(List.of("a", "s", "b"), run(fn("addSelf"), view, List.of("a", "s", "b")));
    }

    @Test
    void afterRemoveSelfItLiftsTheBanOnServingLocally() throws Exception
    {
        Chain chain = ChainParser.standard().parse("removeSelf\nbyBusyChildren\naddSelf");
        Candidates c = new Candidates().reset(view);
        chain.run(c, RequestView.NONE, context(view));
        assertEquals(List.of("b", "a", "s"), TestCluster.names(c));
        assertFalse(c.neverLocal());
    }

    @Test
    void tiesAndBiasDoNotApplyItAlwaysAppends()
    {
        // addSelf has no ranking of its own; a ranking after it decides where this node ends up.
        Candidates c = TestCluster.candidates(view, List.of("a"));
        fn("addSelf").apply(c, RequestView.NONE, context(view));
        fn("byBusyChildren 9").apply(c, RequestView.NONE, context(view));
        assertEquals(List.of("s", "a"), TestCluster.names(c));
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("now", error("addSelf now").word());
    }
}
