package io.backhand.cluster;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.backhand.stats.ServerStats;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.backhand.cluster.PlaneTestbed.WAIT;
import static io.backhand.cluster.PlaneTestbed.awaitDrop;
import static io.backhand.cluster.PlaneTestbed.receive;
import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stats plane over real UDP sockets on loopback: every transport, and every kind of packet a receiver
 * must drop, each checked against its own drop counter.
 */
@Tag("cluster")
class StatsTransportTest
{
    private static final String SECRET = "the cluster's shared secret";
    private final PlaneTestbed bed = new PlaneTestbed();

    @AfterEach
    void closeAll()
    {
        bed.close();
    }

    private static void awaitMember(PlaneNode at, String name)
    {
        Wait.until(WAIT, at.name + " hearing " + name, () -> at.view().byName(name) != null);
    }

    private static ServerStats.Builder record(String name)
    {
        long now = System.currentTimeMillis();
        return ServerStats.builder().name(name).hostname(name + ".test").startedAtMillis(now - 1000).sentAtMillis(now)
            .sequence(1).contactAddress(ip("127.0.0.1")).contactPort(8080);
    }

    @Test
    void multicastOnLo() throws Exception
    {
        String line = Net.multicastLine();
        PlaneNode a = bed.start(PlaneNode.builder("a").line(line).iface("lo").accept("127.0.0.0/8").httpPort(8081));
        PlaneNode b = bed.start(PlaneNode.builder("b").line(line).iface("lo").accept("127.0.0.0/8").httpPort(8082));
        awaitMember(a, "b");
        awaitMember(b, "a");
        Member heard = b.view().byName("a");
        assertEquals(new InetSocketAddress(ip("127.0.0.1"), 8081), heard.contact(), "no advertised address: the source");
        assertEquals(48, heard.stats().idleWorkers());
        assertEquals(Map.of(), a.nonZeroDrops(), "hearing its own multicast is not a drop");
        assertEquals(Map.of(), b.nonZeroDrops());
        assertTrue(b.service.drops().acceptedCount() > 0);
    }

    /** A node that accepts nobody still hears its own multicast; that is no foreign packet to worry about. */
    @Test
    void ourOwnEchoIsNeverCountedAsForeign() throws Exception
    {
        String line = Net.multicastLine();
        PlaneNode shy = bed.start(PlaneNode.builder("shy").line(line).iface("lo").accept("10.0.0.0/8"));
        PlaneNode other = bed.start(PlaneNode.builder("other").line(line).iface("lo").accept("127.0.0.0/8"));
        awaitMember(other, "shy");
        awaitDrop(shy, DropReason.FOREIGN, 1);
        long sequence = other.view().byName("shy").stats().sequence();
        Wait.until(WAIT, "ten more announcements from shy, each echoed back to it",
            () -> other.view().byName("shy").stats().sequence() >= sequence + 10);
        long foreign = shy.dropped(DropReason.FOREIGN);
        Wait.until(WAIT, "ten more from other", () -> shy.dropped(DropReason.FOREIGN) >= foreign + 10);
        other.close();
        long afterOther = shy.dropped(DropReason.FOREIGN);
        long mine = shy.view().self().stats().sequence();
        Wait.until(WAIT, "ten more announcements from shy alone", () -> shy.view().self().stats().sequence() >= mine + 10);
        assertTrue(shy.dropped(DropReason.FOREIGN) <= afterOther + 1, "its own echoes were counted: "
            + (shy.dropped(DropReason.FOREIGN) - afterOther));
    }

    @Test
    void unicastPeers() throws Exception
    {
        int pa = Net.freeUdpPort();
        int pb = Net.freeUdpPort();
        PlaneNode a = bed.start(PlaneNode.builder("a").peer("127.0.0.1:" + pb).listen(pa).accept("127.0.0.1/32"));
        PlaneNode b = bed.start(PlaneNode.builder("b").peer("127.0.0.1:" + pa).listen(pb).accept("127.0.0.1/32"));
        awaitMember(a, "b");
        awaitMember(b, "a");
        assertEquals(Map.of(), a.nonZeroDrops());
        assertEquals(Map.of(), b.nonZeroDrops());
    }

    /**
     * Two MulticastStats lines at once, one multicast and one unicast, each advertising its own contact
     * address: each network learns the address that is right for it, not the one the datagram came from.
     */
    @Test
    void twoDestinationsAtOnceEachWithItsOwnAdvertisedAddress() throws Exception
    {
        String multicast = Net.multicastLine();
        int multicastPort = Destination.parse(multicast).target().getPort();
        int pc = Net.freeUdpPort();
        PlaneNode a = bed.start(PlaneNode.builder("a").httpPort(8090)
            .line("127.0.0.11 " + multicast).iface("lo")
            .line("127.0.0.12:9443 127.0.0.1:" + pc)
            .listen(multicastPort).accept("127.0.0.0/8"));
        PlaneNode b = bed.start(PlaneNode.builder("b").line(multicast).iface("lo").accept("127.0.0.0/8"));
        PlaneNode c = bed.start(PlaneNode.builder("c").listen(pc).accept("127.0.0.0/8"));
        awaitMember(b, "a");
        awaitMember(c, "a");
        assertEquals(new InetSocketAddress(ip("127.0.0.11"), 8090), b.view().byName("a").contact());
        assertEquals(new InetSocketAddress(ip("127.0.0.12"), 9443), c.view().byName("a").contact());
        assertEquals(ip("127.0.0.12"), c.view().byName("a").source(), "sent from the advertised address, a local one");
        assertEquals(ip("127.0.0.11"), b.view().byName("a").source(), "multicast too");
        assertEquals(Map.of(), b.nonZeroDrops());
        assertEquals(Map.of(), c.nonZeroDrops());
    }

    /**
     * Unicast over ::1 (IPv6 multicast does not route on this host's lo, so it is not tested here). The IPv6
     * node's socket is dual-stack, so it also hears an IPv4 node, and refuses it: 127.0.0.1 is not in ::1/128.
     */
    @Test
    void ipv6LoopbackAndAnIpv6OnlyAcceptStatsThatRefusesIpv4() throws Exception
    {
        int pa = Net.freeUdpPort();
        int pb = Net.freeUdpPort();
        PlaneNode a = bed.start(PlaneNode.builder("a").peer("[::1]:" + pb).listen(pa).accept("::1/128"));
        PlaneNode b = bed.start(PlaneNode.builder("b").peer("[::1]:" + pa).listen(pb).accept("::1/128"));
        bed.start(PlaneNode.builder("v4").peer("127.0.0.1:" + pa).listen(Net.freeUdpPort()).accept("127.0.0.0/8"));
        awaitMember(a, "b");
        awaitMember(b, "a");
        Member heard = b.view().byName("a");
        assertInstanceOf(Inet6Address.class, heard.source());
        assertEquals(new InetSocketAddress(ip("::1"), 8080), heard.contact());
        assertEquals(Map.of(), b.nonZeroDrops());
        awaitDrop(a, DropReason.FOREIGN, 2);
        assertNull(a.view().byName("v4"));
        assertEquals(Map.of(DropReason.FOREIGN, a.dropped(DropReason.FOREIGN)), a.nonZeroDrops());
    }

    @Test
    void broadcastOnTheLoopbackBroadcastAddress() throws Exception
    {
        String line = "127.255.255.255:" + Net.freeUdpPort();
        assertEquals(Destination.Kind.BROADCAST, Destination.parse(line).kind());
        PlaneNode a = bed.start(PlaneNode.builder("a").line(line).iface("lo").accept("127.0.0.0/8"));
        PlaneNode b = bed.start(PlaneNode.builder("b").line(line).iface("lo").accept("127.0.0.0/8"));
        awaitMember(a, "b");
        awaitMember(b, "a");
        assertEquals(Map.of(), a.nonZeroDrops());
        assertEquals(Map.of(), b.nonZeroDrops());
    }

    /**
     * With a secret, every datagram must name its contact, also on a line that advertises none: each kind of
     * destination names the address it leaves from, and signed nodes hear each other with nothing dropped.
     */
    @Test
    void signedAnnouncementsNameTheAddressTheyLeaveFromOnEveryKindOfDestination() throws Exception
    {
        String multicast = Net.multicastLine();
        String broadcast = "127.255.255.255:" + Net.freeUdpPort();
        int pc = Net.freeUdpPort();
        int multicastPort = Destination.parse(multicast).target().getPort();
        int broadcastPort = Destination.parse(broadcast).target().getPort();
        PlaneNode a = bed.start(PlaneNode.builder("a").line(multicast).line(broadcast).iface("lo").peer("127.0.0.1:" + pc)
            .listen(Net.freeUdpPort()).accept("127.0.0.0/8").secret(SECRET));
        PlaneNode byMulticast = bed.start(PlaneNode.builder("m").line(multicast).iface("lo").listen(multicastPort)
            .accept("127.0.0.0/8").secret(SECRET));
        PlaneNode byBroadcast = bed.start(PlaneNode.builder("b").listen(broadcastPort).accept("127.0.0.0/8").secret(SECRET));
        PlaneNode byPeer = bed.start(PlaneNode.builder("p").listen(pc).accept("127.0.0.0/8").secret(SECRET));
        for (PlaneNode n : List.of(byMulticast, byBroadcast, byPeer))
        {
            awaitMember(n, "a");
            assertEquals(ip("127.0.0.1"), n.view().byName("a").stats().contactAddress(), n.name + ": named, not taken");
            assertEquals(Map.of(), n.nonZeroDrops(), n.name);
        }
    }

    @Test
    void aSourceOutsideAcceptStatsIsDroppedAsForeign() throws Exception
    {
        int pb = Net.freeUdpPort();
        PlaneNode b = bed.start(PlaneNode.builder("b").listen(pb).accept("127.0.0.1/32"));
        byte[] packet = new StatsCodec(null).encode(record("intruder").build());
        InetSocketAddress target = new InetSocketAddress(ip("127.0.0.1"), pb);
        bed.socketOn("127.0.0.2").send(ByteBuffer.wrap(packet), target);
        awaitDrop(b, DropReason.FOREIGN, 1);
        assertNull(b.view().byName("intruder"));
        assertEquals(Map.of(DropReason.FOREIGN, 1L), b.nonZeroDrops());
        bed.socketOn("127.0.0.1").send(ByteBuffer.wrap(packet), target);
        awaitMember(b, "intruder");
        assertEquals(Map.of(DropReason.FOREIGN, 1L), b.nonZeroDrops(), "the same bytes from inside the range are fine");
    }

    @Test
    void aWrongSecretIsDroppedAsABadSignature() throws Exception
    {
        int pa = Net.freeUdpPort();
        int pb = Net.freeUdpPort();
        PlaneNode a = bed.start(PlaneNode.builder("a").peer("127.0.0.1:" + pb).listen(pa).accept("127.0.0.1/32")
            .secret(SECRET));
        PlaneNode b = bed.start(PlaneNode.builder("b").peer("127.0.0.1:" + pa).listen(pb).accept("127.0.0.1/32")
            .secret("not the cluster's secret at all"));
        awaitDrop(b, DropReason.BAD_SIGNATURE, 2);
        awaitDrop(a, DropReason.BAD_SIGNATURE, 2);
        assertEquals(1, b.view().size());
        assertEquals(1, a.view().size());
        assertEquals(0, b.service.drops().acceptedCount());
        assertEquals(Map.of(DropReason.BAD_SIGNATURE, b.dropped(DropReason.BAD_SIGNATURE)), b.nonZeroDrops());
    }

    @Test
    void signedAndUnsignedNodesDropEachOther() throws Exception
    {
        int pa = Net.freeUdpPort();
        int pb = Net.freeUdpPort();
        PlaneNode signed = bed.start(PlaneNode.builder("signed").peer("127.0.0.1:" + pb).listen(pa).accept("127.0.0.1/32")
            .secret(SECRET));
        PlaneNode plain = bed.start(PlaneNode.builder("plain").peer("127.0.0.1:" + pa).listen(pb).accept("127.0.0.1/32"));
        awaitDrop(signed, DropReason.UNSIGNED, 1);
        awaitDrop(plain, DropReason.UNEXPECTED_SIGNATURE, 1);
        assertEquals(1, signed.view().size());
        assertEquals(1, plain.view().size());
    }

    /** Real announcements captured off the wire and sent again: the repeat and the older one are replays. */
    @Test
    void aReplayedPacketIsDropped() throws Exception
    {
        DatagramChannel capture = bed.socketOn("127.0.0.1");
        int captured = ((InetSocketAddress) capture.getLocalAddress()).getPort();
        bed.start(PlaneNode.builder("a").peer("127.0.0.1:" + captured).listen(Net.freeUdpPort()).accept("127.0.0.1/32")
            .secret(SECRET));
        byte[] first = receive(capture);
        byte[] second = receive(capture);
        int pb = Net.freeUdpPort();
        PlaneNode b = bed.start(PlaneNode.builder("b").listen(pb).accept("127.0.0.1/32").secret(SECRET));
        DatagramChannel attacker = bed.socketOn("127.0.0.1");
        InetSocketAddress target = new InetSocketAddress(ip("127.0.0.1"), pb);

        attacker.send(ByteBuffer.wrap(second), target);
        awaitMember(b, "a");
        long sequence = b.view().byName("a").stats().sequence();
        attacker.send(ByteBuffer.wrap(second), target);
        awaitDrop(b, DropReason.REPLAYED, 1);
        attacker.send(ByteBuffer.wrap(first), target);
        awaitDrop(b, DropReason.REPLAYED, 2);
        assertEquals(sequence, b.view().byName("a").stats().sequence());

        long tenMinutesAgo = System.currentTimeMillis() - 600_000;
        byte[] stale = new StatsCodec(SECRET.getBytes(StandardCharsets.UTF_8))
            .encode(record("recorded-long-ago").sentAtMillis(tenMinutesAgo).startedAtMillis(tenMinutesAgo).build());
        attacker.send(ByteBuffer.wrap(stale), target);
        awaitDrop(b, DropReason.REPLAYED, 3);
        assertNull(b.view().byName("recorded-long-ago"), "correctly signed, but too old to be believed");
        assertEquals(Map.of(DropReason.REPLAYED, 3L), b.nonZeroDrops());
        assertEquals(1, b.service.drops().acceptedCount());
    }

    /** Junk of every kind over the wire: each counted under its reason, and the listener carries on. */
    @Test
    void malformedTruncatedOversizedAndForeignFormatsAreCountedAndTheListenerSurvives() throws Exception
    {
        int pb = Net.freeUdpPort();
        PlaneNode b = bed.start(PlaneNode.builder("b").listen(pb).accept("127.0.0.1/32"));
        DatagramChannel sender = bed.socketOn("127.0.0.1");
        InetSocketAddress target = new InetSocketAddress(ip("127.0.0.1"), pb);
        byte[] good = new StatsCodec(null).encode(record("good").build());

        sender.send(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), target);
        sender.send(ByteBuffer.wrap(java.util.Arrays.copyOf(good, good.length - 3)), target);
        sender.send(ByteBuffer.wrap(new byte[4000]), target);
        byte[] future = good.clone();
        future[4] = 9;
        sender.send(ByteBuffer.wrap(future), target);
        byte[] badState = good.clone();
        badState[32] = 42;
        sender.send(ByteBuffer.wrap(badState), target);
        sender.send(ByteBuffer.wrap(good), target);

        awaitMember(b, "good");
        awaitDrop(b, DropReason.MALFORMED, 1);
        assertEquals(Map.of(DropReason.NOT_BACKHAND, 1L, DropReason.TRUNCATED, 1L, DropReason.OVERSIZED, 1L,
            DropReason.VERSION, 1L, DropReason.MALFORMED, 1L), b.nonZeroDrops());
    }

    @Test
    void aNodeThatClosesIsForgottenAtOnceAndOneThatFallsSilentIsNot() throws Exception
    {
        String line = Net.multicastLine();
        PlaneNode a = bed.start(PlaneNode.builder("a").line(line).iface("lo").accept("127.0.0.0/8"));
        PlaneNode b = bed.start(PlaneNode.builder("b").line(line).iface("lo").accept("127.0.0.0/8"));
        PlaneNode c = bed.start(PlaneNode.builder("c").line(line).iface("lo").accept("127.0.0.0/8"));
        awaitMember(a, "b");
        awaitMember(a, "c");
        b.close();
        Wait.until(WAIT, "a forgetting b, which said goodbye", () -> a.view().byName("b") == null);
        c.service.silence();
        // A silent node stays listed, ageing, until forgetAfter (30 s here): ten missed announcements later it
        // is still there. Had silence dropped it like a goodbye, byName would be null and the wait would fail.
        Wait.until(WAIT, "c's entry ageing while still listed", () ->
        {
            Member listed = a.view().byName("c");
            assertNotNull(listed, "a silent node stays listed (stale) until forgetAfter");
            return listed.ageSeconds(System.nanoTime()) > 1;
        });
        assertEquals(Map.of(), a.nonZeroDrops());
    }
}
