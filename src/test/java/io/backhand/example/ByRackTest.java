package io.backhand.example;

import java.util.List;

import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.Decision;
import io.backhand.candidacy.RequestView;
import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.context;
import static io.backhand.candidacy.TestCluster.error;
import static io.backhand.candidacy.TestCluster.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example plug-in as a class named with BackhandFromClass; ByRackPluginJarTest loads it from a jar by name. */
class ByRackTest
{
    private static final String RACK = "^(r[0-9]+)-";

    private final ClusterView view = TestCluster.create()
        .self("bal", b -> b.hostname("r1-bal.example.com"))
        .peer("a", b -> b.hostname("r2-web1.example.com").inFlight(0))
        .peer("b", b -> b.hostname("r1-web2.example.com").inFlight(5))
        .peer("c", b -> b.hostname("r2-web3.example.com").inFlight(1))
        .peer("r1-d", b -> b.hostname("unracked.example.com").inFlight(2))
        .view();

    private static ByRack byRack()
    {
        return new ByRack(RACK);
    }

    @Test
    void thisRacksServersComeFirstEachGroupInItsOrder()
    {
        // r1-d's hostname says nothing, so its node name is read.
        assertEquals(List.of("bal", "b", "r1-d", "a", "c"), run(byRack(), view));
        assertEquals(List.of("r1-d", "b", "c", "a"), run(byRack(), view, List.of("c", "r1-d", "a", "b")));
    }

    @Test
    void emptySingleAndSelfMissing()
    {
        assertEquals(List.of(), run(byRack(), view, List.of()));
        assertEquals(List.of("a"), run(byRack(), view, List.of("a")));
        assertEquals(List.of("b", "a"), run(byRack(), view, List.of("a", "b")));
    }

    @Test
    void whenThisNodesRackIsUnknownNothingChanges()
    {
        ClusterView v = TestCluster.create().self("bal", b -> b.hostname("balancer")).peer("a", b -> b.hostname("r1-x"))
            .peer("b", b -> b.hostname("r2-y")).view();
        assertEquals(List.of("b", "a", "bal"), run(byRack(), v, List.of("b", "a", "bal")));
    }

    @Test
    void staleServersAreReorderedLikeAnyOtherAndByAgeStillDropsThem() throws Exception
    {
        ClusterView v = TestCluster.create().self("bal", b -> b.hostname("r1-bal")).peer("near", 60, b -> b.hostname("r1-n"))
            .peer("far", b -> b.hostname("r2-f")).view();
        assertEquals(List.of("near", "far"), run(byRack(), v, List.of("far", "near")));
        Chain chain = ChainParser.standard().parse("removeSelf\nbyAge 6\nBackhandFromClass io.backhand.example.ByRack " + RACK);
        assertEquals("far", chain.decide(v, new Candidates(), RequestView.NONE, context(v), 3).target().name());
    }

    @Test
    void afterARankingItMeansTheBestOfMyRackElseTheBestElsewhere() throws Exception
    {
        Chain chain = ChainParser.standard().parse("removeSelf\nbyBusyChildren\nBackhandFromClass io.backhand.example.ByRack "
            + RACK);
        Decision d = chain.decide(view, new Candidates(), RequestView.NONE, context(view), 4);
        assertEquals(List.of("r1-d", "b", "a", "c"), d.targetList().stream().map(m -> m.name()).toList());
        // Ties of rank keep their incoming order; the rack flips the ranking's order.
        Chain plain = ChainParser.standard().parse("removeSelf\nbyBusyChildren");
        assertEquals("a", plain.decide(view, new Candidates(), RequestView.NONE, context(view), 1).target().name());
    }

    @Test
    void backhandFromClassTakesTheFunctionOrItsProvider() throws Exception
    {
        for (String cls : List.of("ByRack", "ByRackProvider"))
        {
            Chain c = ChainParser.standard().parse("Backhand BackhandFromClass io.backhand.example." + cls + " \"" + RACK + "\"");
            Candidates cands = new Candidates().reset(view);
            c.run(cands, RequestView.NONE, context(view));
            assertEquals(List.of("bal", "b", "r1-d", "a", "c"), TestCluster.names(cands), cls);
        }
    }

    @Test
    void backhandFromClassErrorsNameTheLineTheWordAndWhatWasExpected()
    {
        ChainException missingClass = error("byAge 6\nBackhandFromClass com.example.NoSuchRack r1");
        assertEquals(2, missingClass.line());
        assertEquals("com.example.NoSuchRack", missingClass.word());
        assertTrue(missingClass.problem().contains("class not found on the webapp's class path"), missingClass.getMessage());

        ChainException notAFunction = error("BackhandFromClass java.lang.String");
        assertTrue(notAFunction.problem().contains("expected a class implementing io.backhand.candidacy.CandidacyFunction"),
            notAFunction.getMessage());

        ChainException needsArgument = error("BackhandFromClass io.backhand.example.ByRack");
        assertTrue(needsArgument.problem().contains("expects an argument"), needsArgument.getMessage());

        ChainException badRegex = error("BackhandFromClass io.backhand.example.ByRack (r1");
        assertEquals("(r1", badRegex.word());
        assertTrue(badRegex.problem().contains("io.backhand.example.ByRack rejected its argument: byRack expects a "
            + "regular expression whose first group is the rack"), badRegex.getMessage());

        ChainException noGroup = error("BackhandFromClass io.backhand.example.ByRackProvider r1");
        assertTrue(noGroup.problem().contains("with a group that captures the rack"), noGroup.getMessage());

        ChainException tooMany = error("BackhandFromClass io.backhand.example.ByRack a b");
        assertEquals("b", tooMany.word());
        assertTrue(tooMany.problem().contains("at most one argument (quote an argument that contains blanks)"),
            tooMany.getMessage());

        ChainException noClass = error("BackhandFromClass");
        assertTrue(noClass.problem().contains("expected a class name"), noClass.getMessage());

        ChainException noArgAllowed = error("BackhandFromClass io.backhand.candidacy.functions.ByRandom x");
        assertTrue(noArgAllowed.problem().contains("takes no argument"), noArgAllowed.getMessage());
    }
}
