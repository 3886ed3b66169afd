package io.backhand.cluster;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.backhand.cluster.PlaneTestbed.WAIT;
import static io.backhand.cluster.PlaneTestbed.awaitDrop;
import static io.backhand.cluster.PlaneTestbed.port;
import static io.backhand.cluster.PlaneTestbed.receive;
import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Announcements an attacker inside AcceptStats sends over real UDP sockets on loopback, each from its own
 * address (127.0.0.2 and up, while the real nodes send from 127.0.0.1): captured copies re-sent from
 * elsewhere, forged members, names taken over, floods of names. Each must leave the map as it was, or add
 * only what a real node could, and be counted under its reason.
 */
@Tag("cluster")
class HostileAnnouncementsTest
{
    private static final String SECRET = "the cluster's shared secret";
    private final PlaneTestbed bed = new PlaneTestbed();

    @AfterEach
    void closeAll()
    {
        bed.close();
    }

    private static ServerStats.Builder forged(String name)
    {
        long now = System.currentTimeMillis();
        return ServerStats.builder().name(name).hostname(name + ".test").startedAtMillis(now - 1000).sentAtMillis(now)
            .sequence(1).contactPort(8080);
    }

    private static void send(DatagramChannel from, byte[] packet, int toPort) throws Exception
    {
        from.send(ByteBuffer.wrap(packet), new InetSocketAddress(ip("127.0.0.1"), toPort));
    }

    // ---- a signed datagram re-sent from another address ----

    /**
     * A datagram a node sent to one peer, captured and re-sent from 127.0.0.3 to a balancer that never heard
     * the node: the balancer learns the node at the address it signed, not at the attacker's.
     */
    @Test
    void aCapturedSignedDatagramReSentFromAnotherAddressStillSendsRequestsToItsSender() throws Exception
    {
        DatagramChannel capture = bed.socketOn("127.0.0.1");
        bed.start(PlaneNode.builder("a").peer("127.0.0.1:" + port(capture)).listen(Net.freeUdpPort())
            .accept("127.0.0.1/32").secret(SECRET));
        byte[] copy = receive(capture);
        int pb = Net.freeUdpPort();
        PlaneNode balancer = bed.start(PlaneNode.builder("balancer").listen(pb).accept("127.0.0.0/8").secret(SECRET));

        send(bed.socketOn("127.0.0.3"), copy, pb);
        Wait.until(WAIT, "the balancer taking the copy in (or counting it)",
            () -> balancer.view().byName("a") != null || !balancer.nonZeroDrops().isEmpty());
        Member a = balancer.view().byName("a");
        assertNotNull(a, "the copy is a real announcement of a; dropped " + balancer.nonZeroDrops());
        assertEquals(ip("127.0.0.3"), a.source());
        assertEquals(new InetSocketAddress(ip("127.0.0.1"), 8080), a.contact(),
            "requests go to the address a signed, never to the one the copy came from");
    }

    /**
     * Every datagram of one round carries the same sequence: the copy a node sent to one peer, re-sent to
     * another that already has its own copy of that round, is counted as a replay and changes nothing. The
     * balancer is listed first, so its copy leaves first; the interval is long so that the next round cannot
     * come between.
     */
    @Test
    void theCopyForOnePeerIsNotNewAtAnother() throws Exception
    {
        int pb = Net.freeUdpPort();
        PlaneNode balancer = bed.start(PlaneNode.builder("balancer").listen(pb).accept("127.0.0.0/8").secret(SECRET));
        DatagramChannel capture = bed.socketOn("127.0.0.1");
        bed.start(PlaneNode.builder("a").peer("127.0.0.1:" + pb).peer("127.0.0.1:" + port(capture))
            .listen(Net.freeUdpPort()).accept("127.0.0.1/32").secret(SECRET).interval(Duration.ofSeconds(2)));
        byte[] copy = receive(capture);
        long sequence = new StatsCodec(SECRET.getBytes(StandardCharsets.UTF_8)).decode(copy, copy.length).stats()
            .sequence();
        Wait.until(WAIT, "the balancer hearing a", () -> balancer.view().byName("a") != null);

        send(bed.socketOn("127.0.0.3"), copy, pb);
        awaitDrop(balancer, DropReason.REPLAYED, 1);
        Member a = balancer.view().byName("a");
        assertEquals(ip("127.0.0.1"), a.source(), "the balancer's own copy, from a itself, stands");
        assertEquals(new InetSocketAddress(ip("127.0.0.1"), 8080), a.contact());
        assertTrue(a.stats().sequence() >= sequence, "the balancer's own copy of that round had the same sequence");
        assertEquals(Map.of(DropReason.REPLAYED, 1L), balancer.nonZeroDrops());
    }

    /**
     * A signed announcement that names no contact (what a node of an older release sends, and the only kind a
     * copy could abuse) is refused: its contact would be the source, which the signature does not cover.
     */
    @Test
    void aSignedDatagramThatNamesNoContactIsRefused() throws Exception
    {
        int pb = Net.freeUdpPort();
        PlaneNode balancer = bed.start(PlaneNode.builder("balancer").listen(pb).accept("127.0.0.0/8").secret(SECRET));
        byte[] old = new StatsCodec(SECRET.getBytes(StandardCharsets.UTF_8)).encode(forged("older").build());
        send(bed.socketOn("127.0.0.3"), old, pb);
        awaitDrop(balancer, DropReason.UNNAMED_CONTACT, 1);
        assertNull(balancer.view().byName("older"));
        assertEquals(Map.of(DropReason.UNNAMED_CONTACT, 1L), balancer.nonZeroDrops());
    }

    // ---- without a secret ----

    /** A member whose contact lies outside the allowed range is never listed, so no request can go there. */
    @Test
    void aForgedMemberOutsideTheAllowedRangeIsNeverListed() throws Exception
    {
        int pb = Net.freeUdpPort();
        PlaneNode balancer = bed.start(PlaneNode.builder("balancer").listen(pb).accept("127.0.0.0/8")
            .memberAddresses("127.0.0.1/32"));
        DatagramChannel attacker = bed.socketOn("127.0.0.2");
        // Named only, never sent to: the test proves it is refused.
        send(attacker, new StatsCodec(null).encode(forged("outside").contactAddress(ip("10.255.255.1")).contactPort(80)
            .build()), pb);
        send(attacker, new StatsCodec(null).encode(forged("elsewhere").contactAddress(ip("127.0.0.9")).contactPort(2222)
            .build()), pb);
        send(attacker, new StatsCodec(null).encode(forged("itself").build()), pb);
        awaitDrop(balancer, DropReason.CONTACT_OUTSIDE, 3);
        assertEquals(1, balancer.view().size(), "only the balancer itself: " + balancer.view().members());
        assertEquals(Map.of(DropReason.CONTACT_OUTSIDE, 3L), balancer.nonZeroDrops());

        send(attacker, new StatsCodec(null).encode(forged("inside").contactAddress(ip("127.0.0.1")).contactPort(8080)
            .build()), pb);
        Wait.until(WAIT, "a member inside the range", () -> balancer.view().byName("inside") != null);
    }

    /** Without memberAddresses, AcceptStats is the range: 10.255.255.1 is outside 127.0.0.0/8. */
    @Test
    void byDefaultAMembersContactMustLieInsideAcceptStats() throws Exception
    {
        int pb = Net.freeUdpPort();
        PlaneNode balancer = bed.start(PlaneNode.builder("balancer").listen(pb).accept("127.0.0.0/8"));
        send(bed.socketOn("127.0.0.2"), new StatsCodec(null).encode(forged("outside").contactAddress(ip("10.255.255.1"))
            .contactPort(80).build()), pb);
        awaitDrop(balancer, DropReason.CONTACT_OUTSIDE, 1);
        assertNull(balancer.view().byName("outside"));
    }

    /**
     * A live node's name is not taken over from another source, neither by a newer incarnation nor by a
     * "leaving"; once the node has fallen silent for a few announcements, another source may announce it
     * (a node restarted on another address).
     */
    @Test
    void aLiveNodesNameIsNotTakenOverFromAnotherSourceUntilItIsStale() throws Exception
    {
        int pb = Net.freeUdpPort();
        PlaneNode balancer = bed.start(PlaneNode.builder("balancer").listen(pb).accept("127.0.0.0/8"));
        PlaneNode a = bed.start(PlaneNode.builder("a").peer("127.0.0.1:" + pb).listen(Net.freeUdpPort())
            .accept("127.0.0.0/8").httpPort(8081));
        Wait.until(WAIT, "the balancer hearing a", () -> balancer.view().byName("a") != null);
        DatagramChannel attacker = bed.socketOn("127.0.0.2");
        long later = System.currentTimeMillis() + 60_000;
        send(attacker, new StatsCodec(null).encode(forged("a").startedAtMillis(later).sequence(1_000_000)
            .contactAddress(ip("127.0.0.2")).contactPort(2222).idleWorkers(0).build()), pb);
        send(attacker, new StatsCodec(null).encode(forged("a").startedAtMillis(later).sequence(1_000_001)
            .state(NodeState.LEAVING).build()), pb);
        awaitDrop(balancer, DropReason.NAME_HELD, 2);
        Member held = balancer.view().byName("a");
        assertNotNull(held, "a forged 'leaving' did not remove it");
        assertEquals(new InetSocketAddress(ip("127.0.0.1"), 8081), held.contact());
        assertEquals(Map.of(DropReason.NAME_HELD, 2L), balancer.nonZeroDrops());

        a.service.silence();
        // Stale: silent for more than three of the balancer's 100 ms intervals.
        Wait.until(WAIT, "a stale at the balancer", () -> balancer.view().byName("a").ageSeconds(System.nanoTime()) > 0.4);
        send(attacker, new StatsCodec(null).encode(forged("a").startedAtMillis(later + 1).sequence(1)
            .contactAddress(ip("127.0.0.2")).contactPort(8082).build()), pb);
        Wait.until(WAIT, "a, restarted elsewhere, at its new address", () ->
            balancer.view().byName("a").contact().equals(new InetSocketAddress(ip("127.0.0.2"), 8082)));
    }

    /** One source may add a burst of new names, then one now and then: a flood of names fills nothing. */
    @Test
    void newNamesFromOneSourceAreRationed() throws Exception
    {
        int pb = Net.freeUdpPort();
        PlaneNode balancer = bed.start(PlaneNode.builder("balancer").listen(pb).accept("127.0.0.0/8"));
        DatagramChannel attacker = bed.socketOn("127.0.0.2");
        int sent = 3 * NewNameBudget.BURST;
        for (int i = 0; i < sent; i++)
            send(attacker, new StatsCodec(null).encode(forged("fake-" + i).build()), pb);
        Wait.until(WAIT, "every fake name taken in or counted",
            () -> balancer.service.drops().acceptedCount() + balancer.dropped(DropReason.NEW_NAMES_LIMITED) >= sent);
        assertEquals(NewNameBudget.BURST, balancer.service.drops().acceptedCount());
        assertEquals(Map.of(DropReason.NEW_NAMES_LIMITED, (long) sent - NewNameBudget.BURST), balancer.nonZeroDrops());
        Wait.until(WAIT, "the burst published", () -> balancer.view().size() == 1 + NewNameBudget.BURST);

        // A real node from another source is not held back by the flood.
        bed.start(PlaneNode.builder("real").peer("127.0.0.1:" + pb).listen(Net.freeUdpPort()).accept("127.0.0.0/8"));
        Wait.until(WAIT, "the balancer hearing the real node", () -> balancer.view().byName("real") != null);
    }

    // ---- the start-up warning ----

    @Test
    void aNodeWithoutASecretThatHearsPeersOrAWideRangeSaysWhatAnyoneThereCanDo()
    {
        TransportSettings peers = new TransportSettings(List.of(), List.of(new InetSocketAddress(ip("10.0.1.12"), 4445)),
            List.of(4445), null);
        TransportSettings multicast = new TransportSettings(List.of(Destination.parse("239.255.221.20:4445")), List.of(),
            List.of(4445), null);
        AcceptStats lan = new AcceptStats(List.of(Cidr.parse("10.0.1.0/24")));
        AcceptStats wide = new AcceptStats(List.of(Cidr.parse("10.0.0.0/8")));
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);

        String unicast = Exposure.warning(settings(peers, lan, null));
        assertNotNull(unicast);
        assertTrue(unicast.contains("backhand.secret is not set") && unicast.contains("backhand.peers")
            && unicast.contains("[10.0.1.0/24]") && unicast.contains("can add servers") && unicast.contains("false load"),
            unicast);
        String broad = Exposure.warning(settings(multicast, wide, null));
        assertNotNull(broad);
        assertTrue(broad.contains("more than a /16 of IPv4 or a /64 of IPv6 ([10.0.0.0/8])"), broad);
        assertNull(Exposure.warning(settings(multicast, new AcceptStats(List.of(Cidr.parse("10.0.0.0/16"),
            Cidr.parse("fd00:58:4::/64"))), null)), "a /16 and a /64 are one network each");
        assertNotNull(Exposure.warning(settings(multicast, new AcceptStats(List.of(Cidr.parse("fd00::/48"))), null)));
        assertNull(Exposure.warning(settings(multicast, new AcceptStats(List.of(Cidr.parse("127.0.0.0/8"))), null)),
            "loopback is this host only");
        assertNull(Exposure.warning(settings(multicast, lan, null)), "multicast inside one /24: no warning");
        assertNull(Exposure.warning(settings(peers, wide, key)), "signed: no warning");
        assertNull(Exposure.warning(settings(peers, AcceptStats.none(), null)), "believes nobody: no warning");
    }

    private static StatsSettings settings(TransportSettings t, AcceptStats accept, byte[] secret)
    {
        return new StatsSettings(t, accept, secret, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    // ---- the sending address ----

    /**
     * Announcements leave from the advertised address when it is one of this host's (any 127.0.0.0/8 address
     * is, on Linux): a peer that accepts only that address believes them, over unicast and multicast alike.
     */
    @Test
    void announcementsLeaveFromTheAdvertisedAddress() throws Exception
    {
        int pb = Net.freeUdpPort();
        String multicast = Net.multicastLine();
        int multicastPort = Destination.parse(multicast).target().getPort();
        PlaneNode unicastPeer = bed.start(PlaneNode.builder("unicast-peer").listen(pb).accept("127.0.0.21/32"));
        PlaneNode multicastPeer = bed.start(PlaneNode.builder("multicast-peer").line(multicast).iface("lo")
            .accept("127.0.0.22/32"));
        bed.start(PlaneNode.builder("a").line("127.0.0.21 127.0.0.1:" + pb).line("127.0.0.22 " + multicast).iface("lo")
            .listen(multicastPort).accept("127.0.0.0/8").httpPort(8081));
        Wait.until(WAIT, "the unicast peer believing a",
            () -> unicastPeer.view().byName("a") != null);
        Wait.until(WAIT, "the multicast peer believing a",
            () -> multicastPeer.view().byName("a") != null);
        assertEquals(ip("127.0.0.21"), unicastPeer.view().byName("a").source());
        assertEquals(ip("127.0.0.22"), multicastPeer.view().byName("a").source());
        assertEquals(Map.of(), unicastPeer.nonZeroDrops());
    }
}
