package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.backhand.stats.ServerStats;
import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directory on its own, with names looked up in the test's map and time given by the test. */
class PeerDirectoryTest
{
    private static final byte[] KEY = "the cluster's shared secret".getBytes(StandardCharsets.UTF_8);
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_000 * SECOND;
    private static final long WALL = 1_700_000_000_000L;
    private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();

    private static InetSocketAddress at(String ip, int port)
    {
        return new InetSocketAddress(ip(ip), port);
    }

    private PeerDirectory directory(byte[] secret, int learnMax, InetSocketAddress... entries)
    {
        TransportSettings t = new TransportSettings(List.of(), List.of(entries), List.of(4445), null,
            new PeerDiscovery(Duration.ofSeconds(10), learnMax), null);
        return new PeerDirectory(t, new AcceptStats(List.of(Cidr.parse("10.0.0.0/8"))), secret, 30 * SECOND, 300_000,
            host ->
            {
                List<InetAddress> a = dns.get(host);
                if (a == null)
                    throw new IllegalStateException(host + " does not resolve");
                return a;
            });
    }

    private static ClusterView view(String... contacts)
    {
        ServerStats self = ServerStats.builder().name("self").startedAtMillis(WALL).sentAtMillis(WALL).build();
        ClusterTable t = new ClusterTable(self, at("10.0.0.1", 8080), 30 * SECOND, 0, 0, null, T0);
        int i = 0;
        for (String c : contacts)
        {
            ServerStats s = ServerStats.builder().name("p" + i++).startedAtMillis(WALL).sentAtMillis(WALL).sequence(1)
                .contactPort(8080).contactAddress(ip(c)).build();
            t.offer(s, ip("10.0.0.1"), T0, WALL);
        }
        return t.publishNow(T0);
    }

    @Test
    void aNameIsResolvedToAllItsAddressesAndFollowsTheAnswerKeepingTheLastOneWhenALookupFails()
    {
        InetSocketAddress name = InetSocketAddress.createUnresolved("app.example", 4445);
        InetSocketAddress literal = at("10.0.9.9", 4445);
        PeerDirectory d = directory(null, 256, name, literal);
        assertEquals(List.of(literal), d.resolved(), "before the first lookup, only what is already an address");
        dns.put("app.example", List.of(ip("10.0.1.1"), ip("10.0.1.2")));
        assertEquals(List.of(at("10.0.1.1", 4445), at("10.0.1.2", 4445), literal), d.refresh());
        dns.put("app.example", List.of(ip("10.0.1.2"), ip("10.0.1.3")));
        assertEquals(List.of(at("10.0.1.2", 4445), at("10.0.1.3", 4445), literal), d.refresh(),
            "an address gone from the answer is no longer sent to");
        dns.remove("app.example");
        assertEquals(List.of(at("10.0.1.2", 4445), at("10.0.1.3", 4445), literal), d.refresh(),
            "a failed lookup keeps the last answer");
        dns.put("app.example", List.of());
        assertEquals(List.of(literal), d.refresh(), "an empty answer is an answer");
    }

    @Test
    void withoutASecretNothingIsLearnedFromTheView()
    {
        PeerDirectory d = directory(null, 256, at("10.0.0.1", 4445));
        d.refresh();
        assertFalse(d.learns());
        assertEquals(List.of(at("10.0.0.1", 4445)), d.destinations(view("10.0.0.2", "10.0.0.3"), T0));
    }

    @Test
    void withASecretTheViewsPeersAreLearnedOnTheSeedsPortOnlyInsideAcceptStatsAndAtMostLearnMax()
    {
        PeerDirectory d = directory(KEY, 2, at("10.0.0.1", 4445));
        d.refresh();
        assertTrue(d.learns());
        assertEquals(List.of(at("10.0.0.1", 4445), at("10.0.0.2", 4445), at("10.0.0.4", 4445)),
            d.destinations(view("10.0.0.2", "192.168.1.1", "10.0.0.4", "10.0.0.5"), T0),
            "192.168.1.1 is outside AcceptStats; 10.0.0.5 is one more than learnMax");
        assertEquals(List.of(at("10.0.0.1", 4445)), d.destinations(view(), T0), "a forgotten member is not sent to");
    }

    @Test
    void seedsOnSeveralPortsLearnNothing()
    {
        assertFalse(directory(KEY, 256, at("10.0.0.1", 4445), at("10.0.0.2", 4446)).learns());
        assertFalse(directory(KEY, 0, at("10.0.0.1", 4445)).learns());
    }

    @Test
    void anIntroducedAddressExpiresAfterForgetAfterUnlessIntroducedAgain()
    {
        PeerDirectory d = directory(KEY, 256, at("10.0.0.1", 4445));
        d.refresh();
        byte[] list = new PeerListCodec(KEY).encode(List.of(at("10.0.0.7", 4445)), WALL).get(0);
        assertEquals(null, d.heardPeerList(list, list.length, T0, WALL));
        assertTrue(d.destinations(view(), T0 + 29 * SECOND).contains(at("10.0.0.7", 4445)));
        assertFalse(d.destinations(view(), T0 + 31 * SECOND).contains(at("10.0.0.7", 4445)));
    }

    @Test
    void peerListsGoToEveryDestinationWithoutItsOwnAddressAndOnlyWhenDueOrChanged()
    {
        PeerDirectory d = directory(KEY, 256, at("10.0.0.1", 4445));
        d.refresh();
        ClusterView v = view("10.0.0.2", "10.0.0.3");
        List<InetSocketAddress> to = d.destinations(v, T0);
        List<String> sent = new ArrayList<>();
        PeerListCodec in = new PeerListCodec(KEY);
        long now = System.nanoTime();
        d.sendPeerLists(v, to, now, WALL, (a, p) -> sent.add(a.getAddress().getHostAddress() + " <- "
            + in.decode(p, p.length, WALL, 1000).peers().stream().map(x -> x.getAddress().getHostAddress()).toList()));
        assertEquals(List.of("10.0.0.1 <- [10.0.0.2, 10.0.0.3]", "10.0.0.2 <- [10.0.0.3]", "10.0.0.3 <- [10.0.0.2]"), sent);
        sent.clear();
        d.sendPeerLists(v, to, now + SECOND, WALL, (a, p) -> sent.add(a.toString()));
        assertEquals(List.of(), sent, "nothing changed and the refresh is not due");
        d.sendPeerLists(view("10.0.0.2"), to, now + 2 * SECOND, WALL, (a, p) -> sent.add(a.toString()));
        assertEquals(List.of("/10.0.0.1:4445", "/10.0.0.3:4445"), sent,
            "the peers changed: a new list at once (none to 10.0.0.2, which would hear only of itself)");
        sent.clear();
        d.sendPeerLists(view("10.0.0.2"), to, now + 13 * SECOND, WALL, (a, p) -> sent.add(a.toString()));
        assertEquals(2, sent.size(), "the refresh is due");
    }
}
