package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;
import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table on its own, with time given by the test: what it keeps, replaces, forgets and publishes. */
class ClusterTableTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long FORGET = 30 * SECOND;
    private static final long GAP = 20_000_000L;
    private static final long T0 = 1_000 * SECOND;
    private static final long WALL = 1_700_000_000_000L;
    private static final InetAddress SOURCE = ip("127.0.0.1");

    private static ServerStats self()
    {
        return ServerStats.builder().name("self").startedAtMillis(WALL - 5000).sentAtMillis(WALL).build();
    }

    private static ServerStats.Builder peer(String name)
    {
        return ServerStats.builder().name(name).hostname(name + ".example").startedAtMillis(WALL - 10_000)
            .sentAtMillis(WALL).sequence(1).contactPort(8080);
    }

    private static ClusterTable table(long freshnessMillis)
    {
        return new ClusterTable(self(), new InetSocketAddress(ip("127.0.0.1"), 8080), FORGET, freshnessMillis, GAP,
            null, T0);
    }

    @Test
    void aRestartWithANewStartTimeReplacesTheOldEntry()
    {
        ClusterTable t = table(0);
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("a").sequence(900).load1000(5000).build(), SOURCE, T0, WALL));
        ClusterView before = t.publishNow(T0);
        PeerLedger ledger = before.byName("a").ledger();
        // The new incarnation counts from 1 again: only its newer start time lets it in.
        ServerStats restarted = peer("a").startedAtMillis(WALL + 1).sequence(1).load1000(100).build();
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(restarted, SOURCE, T0 + SECOND, WALL + 1000));
        ClusterView after = t.publishNow(T0 + SECOND);
        assertEquals(2, after.size(), after.members().toString());
        assertEquals(restarted, after.byName("a").stats());
        assertSame(ledger, after.byName("a").ledger(), "what this node observed of the peer survives its restart");
        assertEquals(ClusterTable.Offer.REPLAYED, t.offer(peer("a").sequence(901).build(), SOURCE, T0 + SECOND, WALL),
            "the old incarnation is over, whatever its sequence number");
    }

    @Test
    void aNewContactAddressReplacesTheOldOneAtOnce()
    {
        ClusterTable t = table(0);
        t.offer(peer("a").contactAddress(ip("10.0.0.1")).build(), SOURCE, T0, WALL);
        t.publishNow(T0);
        t.offer(peer("a").sequence(2).contactAddress(ip("10.0.0.2")).build(), SOURCE, T0 + SECOND, WALL);
        ClusterView v = t.publishNow(T0 + SECOND);
        assertEquals(2, v.size());
        assertEquals(new InetSocketAddress(ip("10.0.0.2"), 8080), v.byName("a").contact());
        assertTrue(v.members().stream().noneMatch(m -> m.contact().getAddress().equals(ip("10.0.0.1"))), "no ghost");
    }

    @Test
    void withoutAnAdvertisedAddressTheContactIsWhereTheAnnouncementCameFrom()
    {
        ClusterTable t = table(0);
        t.offer(peer("a").contactAddress(null).contactPort(9090).build(), ip("127.0.0.9"), T0, WALL);
        assertEquals(new InetSocketAddress(ip("127.0.0.9"), 9090), t.publishNow(T0).byName("a").contact());
    }

    @Test
    void aNodeBackUnderAnotherNameLeavesAGhostNoLongerThanTheAgeLimit()
    {
        ClusterTable t = table(0);
        t.offer(peer("old-name").contactAddress(ip("10.0.0.1")).build(), SOURCE, T0, WALL);
        t.publishNow(T0);
        long later = T0 + 2 * SECOND;
        t.offer(peer("new-name").contactAddress(ip("10.0.0.2")).build(), SOURCE, later, WALL + 2000);
        ClusterView both = t.publishNow(later);
        assertEquals(3, both.size(), "the old entry is still listed, as stale, until the age limit");
        assertTrue(both.byName("old-name").ageSeconds(later) >= 2);
        assertTrue(t.publishNow(T0 + FORGET).byName("old-name") != null, "kept up to the limit");
        ClusterView gone = t.publishNow(T0 + FORGET + 1);
        assertNull(gone.byName("old-name"), "gone past the limit");
        assertTrue(gone.byName("new-name") != null);
    }

    @Test
    void aLeavingNodeIsDroppedAtOnceAndItsOldPacketsStayOld()
    {
        ClusterTable t = table(0);
        t.offer(peer("a").sequence(5).build(), SOURCE, T0, WALL);
        PeerLedger ledger = t.publishNow(T0).byName("a").ledger();
        assertEquals(ClusterTable.Offer.LEFT, t.offer(peer("a").sequence(6).state(NodeState.LEAVING).build(), SOURCE, T0 + 1, WALL));
        assertNull(t.publishNow(T0 + 1).byName("a"));
        assertTrue(ledger.isDown());
        assertEquals(ClusterTable.Offer.REPLAYED, t.offer(peer("a").sequence(5).build(), SOURCE, T0 + 2, WALL),
            "a delayed announcement from before the goodbye must not bring the node back");
    }

    @Test
    void aNodeRestartedWithItsClockSetBackIsShutOutOnlyUntilItsOldEntryExpires()
    {
        ClusterTable t = table(0);
        t.offer(peer("a").startedAtMillis(WALL).sequence(50).build(), SOURCE, T0, WALL);
        ServerStats setBack = peer("a").startedAtMillis(WALL - 60_000).sequence(1).build();
        assertEquals(ClusterTable.Offer.REPLAYED, t.offer(setBack, SOURCE, T0 + FORGET, WALL));
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(setBack, SOURCE, T0 + FORGET + 1, WALL),
            "without a secret, order matters only while the member is listed");

        ClusterTable signed = table(300_000);
        signed.offer(peer("a").startedAtMillis(WALL).sequence(50).build(), SOURCE, T0, WALL);
        long tenMinutes = 600 * SECOND;
        assertEquals(ClusterTable.Offer.REPLAYED, signed.offer(setBack, SOURCE, T0 + FORGET + tenMinutes, WALL),
            "with a secret, until no recording of the old incarnation could still pass the freshness check");
        assertEquals(ClusterTable.Offer.ACCEPTED, signed.offer(setBack, SOURCE, T0 + FORGET + tenMinutes + 1, WALL));
    }

    @Test
    void repeatsAndOlderSequencesAreReplaysButGapsAreFine()
    {
        ClusterTable t = table(0);
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("a").sequence(10).build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.REPLAYED, t.offer(peer("a").sequence(10).build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.REPLAYED, t.offer(peer("a").sequence(9).build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("a").sequence(15).build(), SOURCE, T0, WALL), "lost packets");
    }

    @Test
    void withASecretAnAnnouncementFarFromOurClockIsAReplay()
    {
        ClusterTable t = table(300_000);
        assertEquals(ClusterTable.Offer.REPLAYED, t.offer(peer("a").sentAtMillis(WALL - 300_001).build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.REPLAYED, t.offer(peer("a").sentAtMillis(WALL + 300_001).build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("a").sentAtMillis(WALL - 299_000).build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.ACCEPTED, table(0).offer(peer("a").sentAtMillis(1).build(), SOURCE, T0, WALL),
            "without a secret a skewed clock is no reason to drop anyone");
    }

    @Test
    void ourOwnEchoIsIgnoredButAnotherNodeUsingOurNameIsAClash()
    {
        ClusterTable t = table(0);
        assertEquals(ClusterTable.Offer.OWN, t.offer(self().toBuilder().sequence(99).build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.NAME_CLASH,
            t.offer(self().toBuilder().startedAtMillis(WALL - 1).build(), ip("127.0.0.7"), T0, WALL));
        assertEquals(1, t.publishNow(T0).size());
    }

    @Test
    void membersAreSortedByNameWithSelfInItsPlace()
    {
        ClusterTable t = table(0);
        for (String n : List.of("zeta", "alpha", "tango", "sierra"))
            t.offer(peer(n).build(), SOURCE, T0, WALL);
        ClusterView v = t.publishNow(T0);
        assertEquals(List.of("alpha", "self", "sierra", "tango", "zeta"), v.members().stream().map(Member::name).toList());
        assertTrue(v.self().isSelf());
        assertSame(v.self(), v.byName("self"));
        assertNull(v.loneReason());
    }

    @Test
    void theTableKeepsAtMostItsLimitOfPeers()
    {
        ClusterTable t = table(0);
        for (int i = 0; i < ClusterTable.MAX_PEERS; i++)
            assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("n" + i).build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.FULL, t.offer(peer("one-too-many").build(), SOURCE, T0, WALL));
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("n7").sequence(2).build(), SOURCE, T0, WALL),
            "known members still update");
        assertEquals(ClusterTable.MAX_PEERS + 1, t.publishNow(T0).size());
    }

    @Test
    void snapshotsAreCoalescedWithinThePublishGap()
    {
        ClusterTable t = table(0);
        t.offer(peer("a").build(), SOURCE, T0, WALL);
        ClusterView first = t.publish(T0);
        assertEquals(2, first.size(), "the first change after a quiet spell is published at once");
        assertEquals(-1, t.nanosUntilDue(T0), "nothing waits");
        t.offer(peer("b").build(), SOURCE, T0 + 1_000_000, WALL);
        assertSame(first, t.publish(T0 + 1_000_000), "within the gap the change waits");
        assertEquals(GAP - 1_000_000, t.nanosUntilDue(T0 + 1_000_000));
        t.offer(peer("c").build(), SOURCE, T0 + 2_000_000, WALL);
        assertSame(first, t.view(), "the request path still sees the last snapshot");
        ClusterView next = t.publish(T0 + GAP);
        assertNotSame(first, next);
        assertEquals(4, next.size(), "both waiting announcements arrive in one snapshot");
        assertEquals(-1, t.nanosUntilDue(T0 + GAP));
    }

    @Test
    void theInFlightCorrectionRestartsWithTheSnapshotThatShowsTheNewFigures()
    {
        ClusterTable t = table(0);
        t.offer(peer("a").inFlight(3).build(), SOURCE, T0, WALL);
        Member a = t.publishNow(T0).byName("a");
        a.ledger().requestStarted();
        a.ledger().requestStarted();
        assertEquals(5, a.interpretedBusy());
        t.offer(peer("a").sequence(2).inFlight(5).build(), SOURCE, T0 + 1_000_000, WALL + 1);
        assertEquals(3, t.publish(T0 + 1_000_000).byName("a").stats().inFlight(), "coalesced: not yet published");
        assertEquals(5, t.view().byName("a").interpretedBusy(), "the two requests still count on top of the old figure");
        Member fresh = t.publish(T0 + GAP).byName("a");
        assertEquals(5, fresh.stats().inFlight());
        assertEquals(5, fresh.interpretedBusy(), "requests sent before the announcement are inside the announced figure");
    }

    @Test
    void theHighWaterMarkIsTheLargestSpeedNormalisedLoadRoundedUpToAPowerOfTwo()
    {
        ClusterTable t = table(0);
        assertEquals(1000, t.publishNow(T0).loadHighWater1000(), "an idle cluster's mark is 1");
        // "slow" runs at a quarter of "fast"'s speed: its load of 1.5 counts as 6, rounded up to 8.
        t.offer(peer("fast").arriba(4000).load1000(2500).build(), SOURCE, T0, WALL);
        t.offer(peer("slow").arriba(1000).load1000(1500).build(), SOURCE, T0, WALL);
        ClusterView v = t.publishNow(T0);
        assertEquals(4000, v.maxArriba());
        assertEquals(8000, v.loadHighWater1000());
        assertEquals(8000, t.ownHighWater1000(T0), "this node announces what it has seen");
        t.offer(peer("slow").sequence(2).arriba(1000).load1000(100).build(), SOURCE, T0 + SECOND, WALL);
        assertEquals(8000, t.publishNow(T0 + SECOND).loadHighWater1000(), "a mark does not drop when the load does");
    }

    @Test
    void theHighWaterMarkIsSharedAcrossTheClusterButNotEchoed()
    {
        ClusterTable t = table(0);
        t.offer(peer("far").loadHighWater1000(64_000).build(), SOURCE, T0, WALL);
        assertEquals(64_000, t.publishNow(T0).loadHighWater1000(), "a peer saw a load of up to 64 somewhere");
        assertEquals(1000, t.ownHighWater1000(T0), "but this node announces only what it has seen itself, so a "
            + "mark cannot circulate for ever between nodes that each repeat the other's");
        t.offer(peer("far").sequence(2).state(NodeState.LEAVING).build(), SOURCE, T0 + 1, WALL);
        assertEquals(1000, t.publishNow(T0 + 1).loadHighWater1000(), "the mark leaves with the node that saw it");
    }

    @Test
    void theHighWaterMarkFadesAnHourAfterTheLoadThatRaisedIt()
    {
        ClusterTable t = table(0);
        t.offer(peer("a").load1000(30_000).build(), SOURCE, T0, WALL);
        assertEquals(32_000, t.publishNow(T0).loadHighWater1000());
        t.offer(peer("a").sequence(2).load1000(500).build(), SOURCE, T0 + SECOND, WALL);
        long minute = 60 * SECOND;
        for (long at = T0 + minute; at < T0 + 59 * minute; at += minute)
        {
            t.offer(peer("a").sequence(at).load1000(500).build(), SOURCE, at, WALL);
            assertEquals(32_000, t.publishNow(at).loadHighWater1000());
        }
        long hourLater = T0 + 61 * minute;
        t.offer(peer("a").sequence(hourLater).load1000(500).build(), SOURCE, hourLater, WALL);
        assertEquals(1000, t.publishNow(hourLater).loadHighWater1000());
    }

    @Test
    void roundingUpToAPowerOfTwoIsBoundedByWhatTheWireCarries()
    {
        assertEquals(1000, LoadHighWater.roundUp1000(0));
        assertEquals(1000, LoadHighWater.roundUp1000(1000));
        assertEquals(2000, LoadHighWater.roundUp1000(1001));
        assertEquals(1024_000, LoadHighWater.roundUp1000(1_000_000));
        assertEquals(1000 << 20, LoadHighWater.roundUp1000(Long.MAX_VALUE));
        for (int k = 0; k <= 20; k++)
            assertTrue(StatsCodec.validHighWater(LoadHighWater.roundUp1000(1000L << k)));
        assertFalse(StatsCodec.validHighWater(1000 << 21), "2^21 is beyond the format");
    }

    @Test
    void theLoneReasonShowsOnlyWhileNoPeerIsKnown()
    {
        ClusterTable t = new ClusterTable(self(), new InetSocketAddress(ip("127.0.0.1"), 8080), FORGET, 0, GAP,
            "no AcceptStats", T0);
        assertEquals("no AcceptStats", t.view().loneReason());
        assertEquals(1, t.view().size());
    }

    private static ClusterTable guarded(String memberRange)
    {
        return new ClusterTable(self(), new InetSocketAddress(ip("127.0.0.1"), 8080), FORGET, 0, GAP, null,
            Admission.of(new AcceptStats(List.of(Cidr.parse(memberRange))), false, 3 * SECOND), T0);
    }

    /** Without a secret a name stays with its source until it is stale; then another source may have it. */
    @Test
    void withoutASecretANameIsHeldByItsSourceUntilStale()
    {
        ClusterTable t = guarded("10.0.0.0/8");
        InetAddress real = ip("10.0.0.1");
        InetAddress other = ip("10.0.0.66");
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("a").build(), real, T0, WALL));
        assertEquals(ClusterTable.Offer.NAME_HELD,
            t.offer(peer("a").startedAtMillis(WALL).contactAddress(other).build(), other, T0 + SECOND, WALL));
        assertEquals(ClusterTable.Offer.NAME_HELD,
            t.offer(peer("a").sequence(2).state(NodeState.LEAVING).build(), other, T0 + 3 * SECOND, WALL));
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("a").sequence(2).build(), real, T0 + 3 * SECOND, WALL),
            "its own source may speak for it, and keeps it fresh");
        assertEquals(ClusterTable.Offer.NAME_HELD, t.offer(peer("a").startedAtMillis(WALL).build(), other,
            T0 + 6 * SECOND, WALL), "exactly the hold since the last word from its source: still held");
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("a").startedAtMillis(WALL).build(), other,
            T0 + 6 * SECOND + 1, WALL), "stale: a restart elsewhere is taken in");
        assertEquals(new InetSocketAddress(other, 8080), t.publishNow(T0 + 7 * SECOND).byName("a").contact());
    }

    @Test
    void aContactOutsideTheMemberRangesIsRefusedWhetherNamedOrTakenFromTheSource()
    {
        ClusterTable t = guarded("10.0.0.0/24");
        assertEquals(ClusterTable.Offer.CONTACT_OUTSIDE,
            t.offer(peer("named").contactAddress(ip("10.0.1.1")).build(), ip("10.0.0.1"), T0, WALL));
        assertEquals(ClusterTable.Offer.CONTACT_OUTSIDE, t.offer(peer("sourced").build(), ip("10.0.1.2"), T0, WALL));
        assertEquals(ClusterTable.Offer.ACCEPTED,
            t.offer(peer("inside").contactAddress(ip("10.0.0.9")).build(), ip("10.0.1.2"), T0, WALL));
        assertEquals(2, t.publishNow(T0).size());
    }

    /** A source adds a burst of new names, then one every ten seconds; names it already has cost nothing. */
    @Test
    void newNamesFromOneSourceAreRationedAndRefilled()
    {
        ClusterTable t = guarded("10.0.0.0/8");
        InetAddress source = ip("10.0.0.1");
        for (int i = 0; i < NewNameBudget.BURST; i++)
            assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("n" + i).build(), source, T0, WALL));
        assertEquals(ClusterTable.Offer.NEW_NAMES_LIMITED, t.offer(peer("one-more").build(), source, T0, WALL));
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("n0").sequence(2).build(), source, T0 + SECOND, WALL),
            "a name it already has is no new name");
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("elsewhere").build(), ip("10.0.0.2"), T0, WALL),
            "every source has its own budget");
        long refilled = T0 + NewNameBudget.REFILL_NANOS;
        assertEquals(ClusterTable.Offer.ACCEPTED, t.offer(peer("one-more").build(), source, refilled, WALL));
        assertEquals(ClusterTable.Offer.NEW_NAMES_LIMITED, t.offer(peer("two-more").build(), source, refilled, WALL));
    }
}
