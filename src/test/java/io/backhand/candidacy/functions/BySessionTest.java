package io.backhand.candidacy.functions;

import java.net.InetAddress;
import java.util.List;

import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.Decision;
import io.backhand.candidacy.RequestView;
import io.backhand.candidacy.TestCluster;
import io.backhand.candidacy.TestRequest;
import io.backhand.cluster.ClusterView;
import io.backhand.stats.NodeState;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.context;
import static io.backhand.candidacy.TestCluster.error;
import static io.backhand.candidacy.TestCluster.fn;
import static io.backhand.candidacy.TestCluster.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BySessionTest
{
    // Jetty worker names as nodes announce them; b's contact address is 10.1.2.3 for mod_backhand's convention.
    private final ClusterView view = TestCluster.create().self("s", b -> b.workerName("node0"))
        .peer("a", b -> b.workerName("node1"))
        .peer("b", b -> b.workerName("node2").contactAddress(ip("10.1.2.3")))
        .peer("c", b -> b.workerName("node3").state(NodeState.DRAINING)).view();
    private final List<String> all = List.of("s", "a", "b", "c");

    private static InetAddress ip(String text)
    {
        try
        {
            return InetAddress.getByName(text);
        }
        catch (Exception e)
        {
            throw new IllegalStateException(e);
        }
    }

    private List<String> run(String line, List<String> input, RequestView r)
    {
        return TestCluster.run(fn(line), view, input, r, context(view));
    }

    @Test
    void jettysConventionNamesTheOwnerByWorkerNameAfterTheLastDot()
    {
        RequestView r = TestRequest.create().cookie("JSESSIONID", "node1abcdef0123.node2");
        assertEquals(List.of("b", "s", "a", "c"), run("bySession", all, r));
    }

    @Test
    void modBackhandsConventionNamesTheOwnerByItsAddressInHex()
    {
        RequestView r = TestRequest.create().cookie("JSESSIONID", "0a010203deadbeef");
        assertEquals(List.of("b", "s", "a", "c"), run("bySession", all, r));
    }

    @Test
    void theCookieThenTheQueryThenThePathParameter()
    {
        assertEquals("a", run("bySession", all, TestRequest.create().query("JSESSIONID", "x.node1")).get(0));
        assertEquals("a", run("bySession", all, TestRequest.create().pathParam("JSESSIONID", "x.node1")).get(0));
        assertEquals("b", run("bySession", all, TestRequest.create().cookie("JSESSIONID", "x.node2")
            .query("JSESSIONID", "x.node1").pathParam("JSESSIONID", "x.node3")).get(0));
        assertEquals("a", run("bySession", all, TestRequest.create().query("JSESSIONID", "x.node1")
            .pathParam("JSESSIONID", "x.node3")).get(0));
    }

    @Test
    void theCookieNameIsTheArgument()
    {
        RequestView r = TestRequest.create().cookie("PHPSESSID", "0a010203ffff").cookie("JSESSIONID", "x.node1");
        assertEquals("b", run("bySession PHPSESSID", all, r).get(0));
        assertEquals("a", run("bySession", all, r).get(0));
    }

    @Test
    void anEmptyListAndASingleServer()
    {
        RequestView r = TestRequest.create().cookie("JSESSIONID", "x.node1");
        assertEquals(List.of(), run("bySession", List.of(), r));
        assertEquals(List.of("a"), run("bySession", List.of("a"), r));
        assertEquals(List.of("c"), run("bySession", List.of("c"), r));
    }

    @Test
    void withoutASessionOrWithAnOwnerNotInTheListNothingChanges()
    {
        List<String> order = List.of("c", "a", "s");
        assertEquals(order, run("bySession", order, RequestView.NONE));
        assertEquals(order, run("bySession", order, TestRequest.create().cookie("JSESSIONID", "x.node2")));
        assertEquals(order, run("bySession", order, TestRequest.create().cookie("JSESSIONID", "x.node9")));
        assertEquals(order, run("bySession", order, TestRequest.create().cookie("JSESSIONID", "")));
        assertEquals(order, run("bySession", order, TestRequest.create().cookie("JSESSIONID", "x.")));
        assertEquals(order, run("bySession", order, TestRequest.create().cookie("JSESSIONID", "0a0102")));
    }

    @Test
    void anOwnerOfAStaleSessionThatByAgeDroppedIsNotBroughtBack() throws Exception
    {
        ClusterView v = TestCluster.create().self("s").peer("gone", 60, b -> b.workerName("node7")).view();
        Chain chain = ChainParser.standard().parse("byAge 6\nbySession");
        Decision d = chain.decide(v, new Candidates(), TestRequest.create().cookie("JSESSIONID", "x.node7"), context(v), 3);
        assertEquals(Decision.Kind.LOCAL, d.kind());
    }

    @Test
    void thisNodeMissingMeansItsOwnSessionsGoElsewhere()
    {
        RequestView mine = TestRequest.create().cookie("JSESSIONID", "x.node0");
        assertEquals(List.of("a", "b"), run("bySession", List.of("a", "b"), mine));
        assertEquals(List.of("s", "a", "b"), run("bySession", List.of("a", "b", "s"), mine));
    }

    @Test
    void anAddressSharedByTwoCandidatesIsAmbiguousAndChangesNothing()
    {
        ClusterView shared = TestCluster.create().self("s")
            .peer("a", b -> b.contactAddress(ip("10.0.0.9")).contactPort(8081))
            .peer("b", b -> b.contactAddress(ip("10.0.0.9")).contactPort(8082)).view();
        RequestView r = TestRequest.create().cookie("JSESSIONID", "0a000009abc");
        assertEquals(List.of("s", "a", "b"), TestCluster.run(fn("bySession"), shared, List.of("s", "a", "b"), r,
            context(shared)));
        assertEquals(List.of("b", "s"), TestCluster.run(fn("bySession"), shared, List.of("s", "b"), r, context(shared)));
    }

    @Test
    void theOwnerStaysFirstWhateverRanksAfterItAndWinsEvenWhileDraining() throws Exception
    {
        ClusterView v = TestCluster.create().self("s", b -> b.inFlight(0))
            .peer("busy", b -> b.inFlight(80).workerName("node5").state(NodeState.DRAINING))
            .peer("p1", b -> b.inFlight(1)).peer("p2", b -> b.inFlight(2)).peer("p3", b -> b.inFlight(3)).view();
        RequestView r = TestRequest.create().cookie("JSESSIONID", "abc.node5");
        // Ties of equal rank: bySession placed before byRandom, byLogWindow and a ranking still decides.
        Chain chain = ChainParser.standard().parse("byAge 6\nbySession\nbyRandom\nbyLogWindow\nbyBusyChildren");
        for (long seed = 0; seed < 200; seed++)
        {
            Decision d = chain.decide(v, new Candidates(), r, context(v, true, seed), 3);
            assertEquals(Decision.Kind.PROXY, d.kind());
            assertEquals("busy", d.target().name(), "seed " + seed);
        }
        // Without a session the draining server is passed over, even when it would rank first.
        ClusterView idleButDraining = TestCluster.create().self("s", b -> b.inFlight(5))
            .peer("busy", b -> b.inFlight(0).workerName("node5").state(NodeState.DRAINING))
            .peer("p1", b -> b.inFlight(1)).peer("p2", b -> b.inFlight(2)).view();
        Chain ranking = ChainParser.standard().parse("byAge 6\nbyBusyChildren");
        Decision d = ranking.decide(idleButDraining, new Candidates(), RequestView.NONE, context(idleButDraining), 3);
        assertEquals("p1", d.target().name());
        assertTrue(d.targetList().stream().noneMatch(m -> m.name().equals("busy")), "not even as a fallback");
    }

    @Test
    void aBadCookieNameIsRefused()
    {
        assertEquals("ID", error("bySession JSESSION ID").word());
        assertEquals("a=b", error("bySession a=b").word());
    }
}
