package io.backhand.candidacy.functions;

import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.Decision;
import io.backhand.candidacy.Redirect;
import io.backhand.candidacy.RequestView;
import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.context;
import static io.backhand.candidacy.TestCluster.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTPRedirectToIP and HTTPRedirectToName: the same decision, answered with a redirect instead of a proxy. */
class HTTPRedirectTest
{
    private static Decision decide(String text, ClusterView v) throws Exception
    {
        Chain chain = ChainParser.standard().parse(text);
        return chain.decide(v, new Candidates(), RequestView.NONE, context(v), 3);
    }

    private final ClusterView view = TestCluster.create().self("s", b -> b.inFlight(5))
        .peer("a", b -> b.inFlight(1).hostname("web1")).peer("b", b -> b.inFlight(3)).peer("old", 60, b -> b).view();

    @Test
    void redirectsToTheWinnerOnly() throws Exception
    {
        Decision ip = decide("byAge 6\nbyBusyChildren\nHTTPRedirectToIP", view);
        assertEquals(Decision.Kind.REDIRECT, ip.kind());
        assertEquals(Redirect.TO_IP, ip.redirect());
        assertEquals(1, ip.targets().length);
        assertEquals("a", ip.target().name());
        Decision name = decide("byAge 6\nbyBusyChildren\nHTTPRedirectToName %s.example.com", view);
        assertEquals(Decision.Kind.REDIRECT, name.kind());
        assertEquals(Redirect.toName("%s.example.com"), name.redirect());
        assertEquals("a", name.target().name());
    }

    @Test
    void itsPlaceInTheChainDoesNotMatter() throws Exception
    {
        Decision d = decide("HTTPRedirectToIP\nbyAge 6\nbyBusyChildren", view);
        assertEquals(Decision.Kind.REDIRECT, d.kind());
        assertEquals("a", d.target().name());
    }

    @Test
    void anEmptyListDeclinesAndUnderRemoveSelfRefuses() throws Exception
    {
        assertEquals(Decision.Kind.DECLINED, decide("byHostname none\nHTTPRedirectToIP", view).kind());
        assertEquals(Decision.Kind.UNAVAILABLE, decide("removeSelf\nbyHostname none\nHTTPRedirectToIP", view).kind());
    }

    @Test
    void whenThisNodeWinsItServesInsteadOfRedirectingToItselfForever() throws Exception
    {
        ClusterView alone = TestCluster.create().self("s").view();
        Decision d = decide("HTTPRedirectToIP", alone);
        assertEquals(Decision.Kind.LOCAL, d.kind());
        assertNull(d.redirect());
        ClusterView idleSelf = TestCluster.create().self("s", b -> b.inFlight(0)).peer("a", b -> b.inFlight(4)).view();
        assertEquals(Decision.Kind.LOCAL, decide("byBusyChildren\nHTTPRedirectToName %s.example.com", idleSelf).kind());
    }

    @Test
    void allStaleSingleAndSelfMissing() throws Exception
    {
        ClusterView stale = TestCluster.create().self("s").peer("x", 60, b -> b).peer("y", 60, b -> b).view();
        assertEquals(Decision.Kind.UNAVAILABLE, decide("removeSelf\nbyAge 6\nHTTPRedirectToIP", stale).kind());
        ClusterView single = TestCluster.create().self("s").peer("x").view();
        Decision d = decide("removeSelf\nHTTPRedirectToIP", single);
        assertEquals(Decision.Kind.REDIRECT, d.kind());
        assertEquals("x", d.target().name());
    }

    @Test
    void theFormatDefaultsToTheHostnameAndNeedsOnePlaceholderMakingAHostName() throws Exception
    {
        assertEquals(Redirect.toName("%s"), decide("removeSelf\nHTTPRedirectToName", view).redirect());
        for (String bad : new String[] {"example.com", "%s.%s.example.com", "%d.example.com", "%s/path", "%"})
        {
            ChainException e = error("HTTPRedirectToName " + bad);
            assertEquals(bad, e.word());
            assertTrue(e.problem().contains("such as %s.example.com"), e.getMessage());
        }
        assertEquals("x", error("HTTPRedirectToIP x").word());
    }
}
