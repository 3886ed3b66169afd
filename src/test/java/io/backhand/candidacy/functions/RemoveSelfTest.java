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
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoveSelfTest
{
    private final ClusterView view = TestCluster.create().peer("a").self("s").peer("b").view();

    private static Decision decide(String chainText, ClusterView v) throws Exception
    {
        Chain chain = ChainParser.standard().parse(chainText);
        return chain.decide(v, new Candidates(), RequestView.NONE, context(v), 3);
    }

    @Test
    void anEmptyListIsRefusedWith503NotServedHere() throws Exception
    {
        assertEquals(List.of(), run(fn("removeSelf"), view, List.of()));
        ClusterView alone = TestCluster.create().self("s").view();
        assertEquals(Decision.Kind.UNAVAILABLE, decide("removeSelf", alone).kind());
        // Without removeSelf, an empty result declines: the local application serves.
        assertEquals(Decision.Kind.DECLINED, decide("byHostname nomatch", alone).kind());
    }

    @Test
    void aSingleServerThatIsThisNodeLeavesNothing()
    {
        assertEquals(List.of(), run(fn("removeSelf"), view, List.of("s")));
        assertEquals(List.of("a"), run(fn("removeSelf"), view, List.of("a")));
    }

    @Test
    void whenAllPeersAreStaleTheBalancerAnswers503() throws Exception
    {
        ClusterView stale = TestCluster.create().self("s").peer("a", 30, b -> b).peer("b", 30, b -> b).view();
        Decision d = decide("removeSelf\nbyAge 6", stale);
        assertEquals(Decision.Kind.UNAVAILABLE, d.kind());
    }

    @Test
    void withoutThisNodeTheListIsUnchangedButServingLocallyIsStillForbidden() throws Exception
    {
        Candidates c = TestCluster.candidates(view, List.of("b", "a"));
        ChainParser.standard().parse("removeSelf").run(c, RequestView.NONE, context(view));
        assertEquals(List.of("b", "a"), TestCluster.names(c));
        assertTrue(c.neverLocal());
    }

    @Test
    void theOthersKeepTheirOrder()
    {
        assertEquals(List.of("b", "a"), run(fn("removeSelf"), view, List.of("b", "s", "a")));
    }

    @Test
    void aBiasForThisNodeCannotBringItBack() throws Exception
    {
        ClusterView v = TestCluster.create().self("s", b -> b.inFlight(0)).peer("a", b -> b.inFlight(50)).view();
        assertEquals("s", decide("byBusyChildren 100", v).target().name());
        Decision d = decide("removeSelf\nbyBusyChildren 100", v);
        assertEquals(Decision.Kind.PROXY, d.kind());
        assertEquals("a", d.target().name());
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("please", error("removeSelf please").word());
    }
}
