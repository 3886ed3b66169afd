package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import io.backhand.stats.ServerStats;
import io.backhand.testing.Closing;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unicast membership that follows the cluster while it runs, over real UDP sockets on loopback: each node
 * receives on its own 127.0.x.y and the same port, as nodes on several hosts would. Host names are looked up
 * in the test's own map (the JDK reads a hosts file once per JVM, so it cannot change under a running test).
 */
@Tag("cluster")
class PeerMembershipTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Long enough that a loaded build machine does not eat the three-interval budget, short enough for a quick test. */
    private static final Duration INTERVAL = Duration.ofMillis(400);
    private static final String SECRET = "the cluster's shared secret";
    private static final String NAME = "members.backhand.test";

    private final List<AutoCloseable> open = new ArrayList<>();
    /** This test's own addresses, so that tests run at the same time on this host never share one. */
    private final String net = "127." + ThreadLocalRandom.current().nextInt(1, 250) + "."
        + ThreadLocalRandom.current().nextInt(1, 250) + ".";
    private final int port = Net.freeUdpPort();
    /** What each host name resolves to now; the nodes' resolvers read it at every refresh. */
    private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
    private final Function<String, List<InetAddress>> resolver = host ->
    {
        List<InetAddress> a = dns.get(host);
        if (a == null)
            throw new IllegalStateException(host + " is unknown");
        return a;
    };

    @AfterEach
    void closeAll() throws Exception
    {
        Closing.closeAll(open);
    }

    private String ipOf(int host)
    {
        return net + host;
    }

    private void resolve(String name, int... hosts)
    {
        List<InetAddress> a = new ArrayList<>();
        for (int h : hosts)
            a.add(ip(ipOf(h)));
        dns.put(name, List.copyOf(a));
    }

    private PlaneNode.Builder node(String name, int host)
    {
        return PlaneNode.builder(name).address(ipOf(host)).listen(port).accept("127.0.0.0/8").interval(INTERVAL)
            .forgetAfter(Duration.ofSeconds(3)).resolver(resolver);
    }

    private PlaneNode start(PlaneNode.Builder b) throws Exception
    {
        PlaneNode n = b.start();
        open.add(n);
        return n;
    }

    private static boolean hearsAll(PlaneNode at, List<PlaneNode> nodes)
    {
        return nodes.stream().allMatch(n -> at.view().byName(n.name) != null) && at.view().members().size() == nodes.size();
    }

    private static void awaitFullMesh(List<PlaneNode> nodes)
    {
        for (PlaneNode n : nodes)
        {
            // The assertion inside the condition makes a timeout show the view as it was at the end.
            Wait.until(WAIT, n.name + " hearing exactly " + nodes.stream().map(x -> x.name).toList(), () ->
            {
                assertTrue(hearsAll(n, nodes), () -> n.name + " has " + n.view().members());
                return true;
            });
        }
    }

    @Test
    void aNodeAddedToTheNameIsInEveryMapWithinThreeIntervalsAndOneRemovedIsForgottenAndNoLongerSentTo() throws Exception
    {
        resolve(NAME, 1, 2, 3);
        List<PlaneNode> nodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++)
            nodes.add(start(node("n" + i, i).peerName(NAME, port).discovery(INTERVAL, 256)));
        awaitFullMesh(nodes);

        // Scale up: the name now lists a fourth node, which starts with the same configuration as the others.
        long t0 = System.nanoTime();
        resolve(NAME, 1, 2, 3, 4);
        PlaneNode n4 = start(node("n4", 4).peerName(NAME, port).discovery(INTERVAL, 256));
        nodes.add(n4);
        awaitFullMesh(nodes);
        long elapsed = System.nanoTime() - t0;
        System.out.printf("n4 was in every map, and every node in n4's, %d ms after the name listed it (interval %d ms)%n",
            elapsed / 1_000_000, INTERVAL.toMillis());
        assertTrue(elapsed <= 3 * INTERVAL.toNanos(), "n4 in every map after " + elapsed / 1_000_000 + " ms, more than "
            + "three announce intervals");
        // n4 hears the others only because they looked the name up again: nothing here learns, there is no secret.
        for (PlaneNode n : nodes)
            assertTrue(n.service.peerDestinations().contains(new InetSocketAddress(ip(ipOf(4)), port)), n.name);

        // Scale down: n3 stops dead (no goodbye) and the name no longer lists it.
        PlaneNode n3 = nodes.remove(2);
        n3.service.silence();
        resolve(NAME, 1, 2, 4);
        InetSocketAddress gone = new InetSocketAddress(ip(ipOf(3)), port);
        for (PlaneNode n : nodes)
        {
            Wait.until(WAIT, n.name + " no longer sending to n3's address", () -> !n.service.peerDestinations().contains(gone));
            Wait.until(WAIT, n.name + " showing n3 stale before forgetting it", () ->
            {
                Member m = n.view().byName("n3");
                return m != null && m.ageSeconds(System.nanoTime()) > 3 * INTERVAL.toMillis() / 1000.0;
            });
        }
        for (PlaneNode n : nodes)
            Wait.until(WAIT, n.name + " forgetting n3", () -> n.view().byName("n3") == null);
        awaitFullMesh(nodes);

        // On the wire: a socket where n3 listened hears nothing while each remaining node announces three times.
        DatagramChannel where3was = DatagramChannel.open();
        open.add(where3was);
        where3was.bind(gone);
        where3was.configureBlocking(false);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        for (PlaneNode n : nodes)
            sentAt.put(n.name, n4.view().byName(n.name) == null ? 0 : n4.view().byName(n.name).stats().sentAtMillis());
        sentAt.put("n4", nodes.get(0).view().byName("n4").stats().sentAtMillis());
        Wait.until(WAIT, "every node announcing three more times", () -> nodes.stream().allMatch(n ->
        {
            PlaneNode observer = n == n4 ? nodes.get(0) : n4;
            Member m = observer.view().byName(n.name);
            return m != null && m.stats().sentAtMillis() >= sentAt.get(n.name) + 3 * INTERVAL.toMillis();
        }));
        assertNull(where3was.receive(ByteBuffer.allocate(2048)), "an announcement still went to the removed node");
    }

    @Test
    void withASecretOneSeedIsEnoughForThreeNodesToHearEachOther() throws Exception
    {
        String seed = ipOf(1) + ":" + port;
        PlaneNode a = start(node("a", 1).peer(seed).secret(SECRET));
        PlaneNode b = start(node("b", 2).peer(seed).secret(SECRET));
        PlaneNode c = start(node("c", 3).peer(seed).secret(SECRET));
        awaitFullMesh(List.of(a, b, c));
        // b and c were never given each other: b sends to c because a's peer list introduced it, then goes on
        // because c is in its view.
        assertTrue(b.service.peerDestinations().contains(new InetSocketAddress(ip(ipOf(3)), port)));
        assertTrue(c.service.peerDestinations().contains(new InetSocketAddress(ip(ipOf(2)), port)));
        assertEquals(Map.of(), b.nonZeroDrops());
        assertEquals(Map.of(), c.nonZeroDrops());

        // A fourth node joins through the seed while the cluster runs.
        PlaneNode d = start(node("d", 4).peer(seed).secret(SECRET));
        awaitFullMesh(List.of(a, b, c, d));

        // It stops dead: every node forgets it, and then no node sends to it any more (b and c, which learned it
        // from a's lists, once their lists no longer name it and forgetAfter has passed).
        d.service.silence();
        InetSocketAddress dAddress = new InetSocketAddress(ip(ipOf(4)), port);
        for (PlaneNode n : List.of(a, b, c))
        {
            Wait.until(WAIT, n.name + " forgetting d", () -> n.view().byName("d") == null);
            Wait.until(WAIT, n.name + " no longer sending to d", () -> !n.service.peerDestinations().contains(dAddress));
        }
        awaitFullMesh(List.of(a, b, c));
    }

    @Test
    void withoutASecretNothingIsLearnedAndTheSeedListIsAllThereIs() throws Exception
    {
        String seed = ipOf(1) + ":" + port;
        PlaneNode a = start(node("a", 1).peer(seed));
        PlaneNode b = start(node("b", 2).peer(seed));
        PlaneNode c = start(node("c", 3).peer(seed));
        Wait.until(WAIT, "a hearing b and c", () -> a.view().members().size() == 3);
        long bSent = a.view().byName("b").stats().sentAtMillis();
        Wait.until(WAIT, "b announcing three more times", () ->
            a.view().byName("b").stats().sentAtMillis() >= bSent + 3 * INTERVAL.toMillis());
        assertNull(b.view().byName("c"), "b learned c without a secret");
        assertNull(c.view().byName("b"), "c learned b without a secret");
        InetSocketAddress seedAddress = new InetSocketAddress(ip(ipOf(1)), port);
        assertEquals(List.of(seedAddress), a.service.peerDestinations());
        assertEquals(List.of(seedAddress), b.service.peerDestinations());
    }

    @Test
    void aTrustedNodeCannotSendTrafficOutsideAcceptStatsOrToAGroup() throws Exception
    {
        PlaneNode a = start(node("a", 1).peer(ipOf(1) + ":" + port).secret(SECRET).accept("127.0.0.0/8"));
        InetSocketAddress target = new InetSocketAddress(ip(ipOf(1)), port);
        try (DatagramChannel sender = DatagramChannel.open())
        {
            sender.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
            // A signed announcement whose contact address is outside AcceptStats: refused as a member...
            long now = System.currentTimeMillis();
            ServerStats outside = ServerStats.builder().name("outside").hostname("outside.test").startedAtMillis(now - 1000)
                .sentAtMillis(now).sequence(1).contactPort(8080).contactAddress(ip("10.255.255.1")).build();
            sender.send(ByteBuffer.wrap(new StatsCodec(SECRET.getBytes(StandardCharsets.UTF_8)).encode(outside)), target);
            // ...and a signed peer list naming that address, a multicast group, a broadcast address and one good peer.
            InetSocketAddress good = new InetSocketAddress(ip(ipOf(9)), port);
            PeerListCodec lists = new PeerListCodec(SECRET.getBytes(StandardCharsets.UTF_8));
            for (byte[] p : lists.encode(List.of(new InetSocketAddress(ip("10.255.255.1"), port),
                new InetSocketAddress(ip("239.255.1.1"), port), new InetSocketAddress(ip("255.255.255.255"), port),
                new InetSocketAddress(ip("0.0.0.0"), port), good), now))
                sender.send(ByteBuffer.wrap(p), target);
            // A list with another key is dropped as a bad signature and introduces nothing.
            PeerListCodec forged = new PeerListCodec("somebody else's secret".getBytes(StandardCharsets.UTF_8));
            InetSocketAddress forgedPeer = new InetSocketAddress(ip(ipOf(10)), port);
            for (byte[] p : forged.encode(List.of(forgedPeer), now))
                sender.send(ByteBuffer.wrap(p), target);

            Wait.until(WAIT, "a refusing 'outside' and taking in the good peer",
                () -> a.dropped(DropReason.CONTACT_OUTSIDE) == 1 && a.service.peerDestinations().contains(good));
            Wait.until(WAIT, "the forged list counted", () -> a.dropped(DropReason.BAD_SIGNATURE) == 1);
            assertEquals(null, a.view().byName("outside"));
            List<InetSocketAddress> destinations = a.service.peerDestinations();
            assertEquals(List.of(target, good), destinations, "only the seed and the good peer");
            assertFalse(destinations.contains(forgedPeer));
            assertEquals(Map.of(DropReason.BAD_SIGNATURE, 1L, DropReason.CONTACT_OUTSIDE, 1L), a.nonZeroDrops());
        }
    }

    @Test
    void aLookupThatHangsDelaysNoAnnouncement() throws Exception
    {
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        PlaneNode b = start(node("b", 2).peer(ipOf(1) + ":" + port));
        PlaneNode a = start(node("a", 1).peerName(NAME, port).discovery(Duration.ofMillis(100), 256).resolver(host ->
        {
            if (lookups.incrementAndGet() > 1)
            {
                try
                {
                    dnsAnswers.await(); // a DNS server that never answers, until the test ends
                }
                catch (InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of(ip(ipOf(2)));
        }));
        try
        {
            Wait.until(WAIT, "a's second lookup hanging", () -> lookups.get() >= 2);
            Wait.until(WAIT, "b hearing a", () -> b.view().byName("a") != null);
            long sent = b.view().byName("a").stats().sentAtMillis();
            Wait.until(WAIT, "a announcing five more times while its lookup hangs", () ->
                b.view().byName("a").stats().sentAtMillis() >= sent + 5 * INTERVAL.toMillis());
            assertEquals(2, lookups.get(), "the hanging lookup is not started again on top of itself");
            assertEquals(List.of(new InetSocketAddress(ip(ipOf(2)), port)), a.service.peerDestinations(),
                "the last answer stays in use");
        }
        finally
        {
            dnsAnswers.countDown();
        }
    }
}
