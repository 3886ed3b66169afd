package io.backhand.candidacy.functions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.ClusterTable;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import io.backhand.stats.ServerStats;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.error;
import static io.backhand.candidacy.TestCluster.fn;
import static io.backhand.candidacy.TestCluster.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ByExtrapolatedDelayTest
{
    private static final long T0 = 7_000_000_000_000L;
    private static final long MS = 1_000_000;

    /**
     * A balancer's view built by the real {@link ClusterTable}: each peer announces {@code announced[name]} busy
     * workers at a moment when this balancer had {@code ownAtAnnouncement[name]} requests running there, so that
     * the ledgers hold what production ledgers hold. Every peer answered in 10 ms, and has 4 workers.
     */
    private static ClusterView announced(Map<String, Integer> announced, Map<String, Integer> ownAtAnnouncement)
        throws Exception
    {
        ServerStats self = ServerStats.builder().name("lb").hostname("lb").contactAddress(InetAddress.getLoopbackAddress())
            .contactPort(9000).startedAtMillis(1).sequence(1).build();
        ClusterTable table = new ClusterTable(self, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000),
            Long.MAX_VALUE / 4, 0, 0, null, T0);
        for (int round = 1; round <= 2; round++)
        {
            int i = 0;
            for (var e : announced.entrySet())
            {
                i++;
                ServerStats s = ServerStats.builder().name(e.getKey()).hostname(e.getKey()).contactPort(8000 + i)
                    .startedAtMillis(1).sequence(round).totalWorkers(4).inFlight(round == 2 ? e.getValue() : 0).build();
                table.offer(s, InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (10 + i)}), T0 + round * 1000 * MS, 0);
            }
            ClusterView v = table.publishNow(T0 + round * 1000 * MS);
            if (round == 1)
            {
                // The requests this balancer has running when the second round of announcements is taken in.
                for (var e : ownAtAnnouncement.entrySet())
                    Observations.inFlight(v, e.getKey(), e.getValue());
                for (Member m : v.members())
                    Observations.observed(v, m.name(), 10, T0 + round * 1000 * MS);
            }
        }
        return table.view();
    }

    private static List<String> rank(String directive, ClusterView v, boolean interpreted)
    {
        return rank(directive, v, interpreted, 100);
    }

    /** The order at {@code ageMillis} after the announcements. */
    private static List<String> rank(String directive, ClusterView v, boolean interpreted, long ageMillis)
    {
        long now = T0 + (2000 + ageMillis) * MS;
        return run(fn(directive), v, List.of("a", "b", "c"), RequestView.NONE,
            new DecisionContext(now, new SplittableRandom(1), v, interpreted));
    }

    @Test
    void withFourSendersItsOwnRequestsSinceTheAnnouncementCountFourTimes() throws Exception
    {
        // b and c announced 4 busy, of which this balancer had 1 each: four senders' worth. a announced idle, and
        // since then this balancer sent it 2: the others, reading the same announcement, will have sent it about 6.
        ClusterView v = announced(Map.of("a", 0, "b", 4, "c", 4), Map.of("b", 1, "c", 1));
        Observations.inFlight(v, "a", 2);
        assertEquals(4.0, ByExtrapolatedDelay.senders(v), 1e-9);
        assertEquals(8.0, ByExtrapolatedDelay.busy(v.byName("a"), 4), 1e-9);
        assertEquals(List.of("b", "c", "a"), rank("byExtrapolatedDelay", v, true));
        // byExpectedDelay takes the others to stand still: a holds 2 against 4, and every balancer crowds it.
        assertEquals("a", rank("byExpectedDelay", v, true).get(0));
    }

    @Test
    void requestsEndedSinceTheAnnouncementFreeTheServerForEverySender() throws Exception
    {
        // a announced 8, of which this balancer had 2; both have ended since, and so, most likely, have the
        // others' four. b announced 4 with this balancer's 2 still running; c announced idle.
        ClusterView v = announced(Map.of("a", 8, "b", 4, "c", 0), Map.of("a", 2, "b", 2));
        assertEquals(3.0, ByExtrapolatedDelay.senders(v), 1e-9);
        endOwn(v, "a", 2);
        assertEquals(2.0, ByExtrapolatedDelay.busy(v.byName("a"), 3), 1e-9);
        assertEquals(List.of("c", "a", "b"), rank("byExtrapolatedDelay", v, true));
        assertEquals(List.of("c", "b", "a"), rank("byExpectedDelay", v, true), "taken on trust, a still holds 6");
    }

    @Test
    void withOneSenderTheFigureIsTheInterpretedBusyCount() throws Exception
    {
        ClusterView v = announced(Map.of("a", 3, "b", 1, "c", 2), Map.of("a", 3, "b", 1, "c", 2));
        Observations.inFlight(v, "a", 1);
        endOwn(v, "c", 1);
        assertEquals(1.0, ByExtrapolatedDelay.senders(v), 1e-9);
        for (String n : List.of("a", "b", "c"))
            assertEquals(v.byName(n).interpretedBusy(), ByExtrapolatedDelay.busy(v.byName(n), 1), 1e-9, n);
    }

    @Test
    void loadFromElsewhereStaysWhenThisNodeHadNothingThere() throws Exception
    {
        // Clients calling b and c directly: this balancer had nothing running anywhere, so it cannot tell how many
        // senders there are and takes the announcement as it is, as the interpreted count does.
        ClusterView v = announced(Map.of("a", 0, "b", 10, "c", 10), Map.of());
        Observations.inFlight(v, "a", 5);
        assertEquals(1.0, ByExtrapolatedDelay.senders(v), 1e-9);
        assertEquals(List.of("a", "b", "c"), rank("byExtrapolatedDelay", v, true));
        Observations.inFlight(v, "a", 6);
        assertEquals(List.of("b", "c", "a"), rank("byExtrapolatedDelay", v, true));
    }

    @Test
    void withAFadeTheAnnouncementsWordOnTheOthersGivesWayToTheExtrapolation() throws Exception
    {
        // Two senders' worth (12 announced, 6 of them this balancer's). a announced 6 with none of this balancer's
        // and has one of them now; b and c announced 3 each, all this balancer's, still running.
        ClusterView v = announced(Map.of("a", 6, "b", 3, "c", 3), Map.of("b", 3, "c", 3));
        Observations.inFlight(v, "a", 1);
        assertEquals(2.0, ByExtrapolatedDelay.senders(v), 1e-9);
        // Fresh, the announcement stands: a holds 6 + 2, b and c 3 each.
        assertEquals(List.of("b", "c", "a"), rank("byExtrapolatedDelay 0.5", v, true, 10));
        // Three seconds on, what a held then has long been served: a is taken to hold twice this balancer's one.
        assertEquals(List.of("a", "b", "c"), rank("byExtrapolatedDelay 0.5", v, true, 3000));
        assertEquals(List.of("b", "c", "a"), rank("byExtrapolatedDelay", v, true, 3000), "without a fade it stands");
    }

    @Test
    void rawFiguresAreTheAnnouncementAlone() throws Exception
    {
        ClusterView v = announced(Map.of("a", 0, "b", 4, "c", 4), Map.of("b", 1, "c", 1));
        Observations.inFlight(v, "a", 20);
        assertEquals("a", rank("byExtrapolatedDelay", v, false).get(0));
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("0", error("byExtrapolatedDelay 0").word());
        assertEquals("2", error("byExtrapolatedDelay 1 2").word());
    }

    private static void endOwn(ClusterView v, String name, int n)
    {
        // Requests started before the announcement end in an earlier period than the current one.
        for (int i = 0; i < n; i++)
            v.byName(name).ledger().requestCancelled(new PeerLedger.Period());
    }
}
