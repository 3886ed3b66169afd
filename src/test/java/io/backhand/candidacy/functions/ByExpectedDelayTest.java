package io.backhand.candidacy.functions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.backhand.candidacy.TestCluster;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.PeerLedger;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.NOW;
import static io.backhand.candidacy.functions.Observations.MS;
import static io.backhand.candidacy.functions.Observations.inFlight;
import static io.backhand.candidacy.functions.Observations.observed;
import static io.backhand.candidacy.TestCluster.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByExpectedDelayTest
{
    private static List<String> rank(ClusterView v, List<String> input, long now)
    {
        return Observations.rank("byExpectedDelay", v, input, now);
    }

    @Test
    void equalServersGoByTheRequestsEverySenderHasRunningThere()
    {
        // a is idle as far as this node knows, but announced 6 requests from elsewhere (another balancer, or
        // clients that call it directly): what byLatency cannot see.
        ClusterView v = TestCluster.create().self("s").peer("a", b -> b.inFlight(6)).peer("b", b -> b.inFlight(1)).view();
        for (String n : List.of("s", "a", "b"))
            observed(v, n, 20, NOW);
        inFlight(v, "s", 2);
        assertEquals(List.of("b", "s", "a"), rank(v, List.of("s", "a", "b"), NOW));
    }

    @Test
    void moreWorkersTakeMoreBeforeTheyCostAsMuch()
    {
        // 8 workers with 5 busy expect less delay than 2 workers with 1 busy, at the same service time.
        ClusterView v = TestCluster.create().self("s")
            .peer("big", b -> b.totalWorkers(8).inFlight(5)).peer("small", b -> b.totalWorkers(2).inFlight(1)).view();
        observed(v, "big", 10, NOW);
        observed(v, "small", 10, NOW);
        assertEquals(List.of("big", "small"), rank(v, List.of("small", "big"), NOW));
    }

    @Test
    void aSlowerServerNeedsAShorterQueueToWin()
    {
        ClusterView v = TestCluster.create().self("s").peer("fast", b -> b.inFlight(2)).peer("slow").view();
        observed(v, "fast", 10, NOW);
        observed(v, "slow", 30, NOW);
        // 10 x 3 = 30 against 30 x 1: tied, the incoming order stands
        assertEquals(List.of("slow", "fast"), rank(v, List.of("slow", "fast"), NOW));
        ClusterView v2 = TestCluster.create().self("s").peer("fast", b -> b.inFlight(1)).peer("slow").view();
        observed(v2, "fast", 10, NOW);
        observed(v2, "slow", 30, NOW);
        assertEquals(List.of("fast", "slow"), rank(v2, List.of("slow", "fast"), NOW));
    }

    /**
     * The node that answers 503 in a millisecond: priced by its failures, not its speed. Followed request by
     * request through real ledgers for 30 s, it gets its first request, then another only when its failure
     * price has faded below what the good ones cost, some twenty seconds later.
     */
    @Test
    void aNodeThatFailsFastIsNotMistakenForAFastOne()
    {
        ClusterView v = TestCluster.create().self("s").peer("good1").peer("good2").peer("broken").view();
        Map<String, Integer> sent = new HashMap<>();
        java.util.List<Long> failedAt = new java.util.ArrayList<>();
        long now = NOW;
        // 6,000 requests at one every 5 ms, each to the first of the ranking; the good ones answer in 30 ms,
        // the broken one fails in 1 ms. Outcomes are recorded on the simulation's clock.
        java.util.ArrayDeque<Object[]> running = new java.util.ArrayDeque<>();
        for (int i = 0; i < 6000; i++)
        {
            now += 5 * MS;
            while (!running.isEmpty() && (long) running.peekFirst()[2] <= now)
            {
                Object[] r = running.pollFirst();
                PeerLedger l = (PeerLedger) r[0];
                l.requestCancelled((PeerLedger.Period) r[1]);
                l.ewma().record(30 * MS, (long) r[2]);
            }
            String target = rank(v, List.of("good1", "good2", "broken"), now).get(0);
            sent.merge(target, 1, Integer::sum);
            PeerLedger l = v.byName(target).ledger();
            PeerLedger.Period p = l.requestStarted();
            if (target.equals("broken"))
            {
                l.requestCancelled(p);
                l.ewma().recordFailure(MS, now + MS);
                failedAt.add((now - NOW) / MS);
            }
            else
            {
                running.addLast(new Object[] {l, p, now + 30 * MS});
            }
        }
        assertTrue(failedAt.size() >= 2 && failedAt.size() <= 3, "the broken node got requests at (ms) " + failedAt);
        assertTrue(failedAt.get(1) - failedAt.get(0) > 10_000, "tried again too soon: " + failedAt);
        assertTrue(sent.getOrDefault("good1", 0) > 2900 && sent.getOrDefault("good2", 0) > 2900, sent.toString());
    }

    @Test
    void aFailureIsPricedAtASecondAtLeastAndRepeatedFailuresDouble()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").view();
        PeerLedger l = v.byName("a").ledger();
        l.requestAnsweredWithServerError(l.requestStarted(), MS);
        double first = l.ewma().nanos(System.nanoTime());
        assertTrue(first > 0.99e9 && first <= 1e9, "first failure: " + first);
        l.requestEnded(l.requestStarted(), MS, false);
        double second = l.ewma().nanos(System.nanoTime());
        assertTrue(second > 1.9e9 && second <= 2e9, "second failure: " + second);
        assertEquals(0, l.failedCount() - 1, "a 5xx answer is not a proxy failure; the transport failure is");
        assertEquals(1, l.proxiedCount());
        assertEquals(0, l.inFlight());
    }

    @Test
    void serverErrorsAreTheFiveHundredsThatBlameTheServer()
    {
        for (int s : new int[] {500, 502, 503, 504, 599})
            assertTrue(PeerLedger.isServerError(s), String.valueOf(s));
        for (int s : new int[] {200, 302, 404, 429, 501, 505, 600})
            assertTrue(!PeerLedger.isServerError(s), String.valueOf(s));
    }

    @Test
    void anUnmeasuredServerIsTriedButPricedUpByWhatItIsGiven()
    {
        ClusterView v = TestCluster.create().self("s").peer("a").peer("new").view();
        observed(v, "s", 100, NOW);
        observed(v, "a", 300, NOW);
        assertEquals(List.of("new", "s", "a"), rank(v, List.of("a", "new", "s"), NOW));
        inFlight(v, "new", 1);
        assertEquals(List.of("s", "new", "a"), rank(v, List.of("a", "new", "s"), NOW));
    }

    @Test
    void anUnmeasuredServerAnnouncedSlowerIsPricedByItsSpeed()
    {
        ClusterView v = TestCluster.create().self("s", b -> b.arriba(1000)).peer("a", b -> b.arriba(1000))
            .peer("slowNew", b -> b.arriba(250)).peer("fastNew", b -> b.arriba(1000)).view();
        observed(v, "a", 10, NOW);
        assertEquals(List.of("fastNew", "a", "slowNew"), rank(v, List.of("slowNew", "a", "fastNew"), NOW));
    }

    @Test
    void takesNoArgument()
    {
        assertEquals("1", error("byExpectedDelay 1").word());
    }
}
