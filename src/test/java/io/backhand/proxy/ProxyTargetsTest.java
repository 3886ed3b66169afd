package io.backhand.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import io.backhand.stats.ServerStats;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which request targets the proxy may forward (only paths, origin-form; anything else is served here), and the
 * request it builds for one: the member's host and port, the client's path and query byte for byte.
 */
class ProxyTargetsTest
{
    private static final HttpClient CLIENT = new HttpClient();

    @AfterAll
    static void close() throws Exception
    {
        CLIENT.stop();
    }

    @Test
    void onlyAPathIsForwarded()
    {
        assertTrue(ProxyTargets.isOriginForm("/"));
        assertTrue(ProxyTargets.isOriginForm("/a/b"));
        assertFalse(ProxyTargets.isOriginForm("*"), "OPTIONS * names no resource to forward");
        assertFalse(ProxyTargets.isOriginForm("http://evil.example/"));
        assertFalse(ProxyTargets.isOriginForm(""));
        assertFalse(ProxyTargets.isOriginForm(null));
    }

    @Test
    void theMemberGivesHostAndPortTheClientOnlyPathAndQuery() throws Exception
    {
        Member m = member("127.0.0.7", 8123, false);
        assertSent(m, "/a/b", null, "http", "127.0.0.7", 8123, "/a/b", null);
        assertSent(m, "/search", "q=a%20b&x=1", "http", "127.0.0.7", 8123, "/search", "q=a%20b&x=1");
        assertSent(m, "/", "", "http", "127.0.0.7", 8123, "/", "");
        // Paths that would read as an authority, or as a URL, stay paths on the member.
        assertSent(m, "//other.example/x", null, "http", "127.0.0.7", 8123, "//other.example/x", null);
        assertSent(m, "//user@other.example/x", "y", "http", "127.0.0.7", 8123, "//user@other.example/x", "y");
        assertSent(m, "/http://other.example/x", null, "http", "127.0.0.7", 8123, "/http://other.example/x", null);
        // Characters java.net.URI refuses but HTTP servers accept are sent exactly as the client sent them.
        Request odd = ProxyTargets.newRequest(CLIENT, m, "/a|b{c}", "d^e");
        assertEquals("/a|b{c}?d^e", odd.getQuery() == null ? odd.getPath() : odd.getPath() + "?" + odd.getQuery());
        assertEquals("127.0.0.7", odd.getHost());
        assertEquals(8123, odd.getPort());
    }

    @Test
    void anIpv6MemberIsBracketedWithoutItsZoneAndTlsIsAnnounced() throws Exception
    {
        Member v6 = member("fe80::1%1", 9443, true);
        assertEquals("https://[fe80:0:0:0:0:0:0:1]:9443", ProxyTargets.origin(v6));
        assertEquals("[fe80:0:0:0:0:0:0:1]", ProxyTargets.urlHost(v6));
        Request r = ProxyTargets.newRequest(CLIENT, v6, "/x", "y=1");
        assertEquals("https", r.getScheme());
        assertEquals(9443, r.getPort());
        assertEquals("/x", r.getPath());
        assertEquals("y=1", r.getQuery());
        assertEquals("http://[0:0:0:0:0:0:0:1]:80", ProxyTargets.origin(member("::1", 80, false)));
    }

    @Test
    void aTargetThatCannotBeForwardedUnchangedIsRefused() throws Exception
    {
        Member m = member("127.0.0.7", 8123, false);
        assertThrows(IllegalArgumentException.class, () -> ProxyTargets.newRequest(CLIENT, m, "*", null));
        assertThrows(IllegalArgumentException.class, () -> ProxyTargets.newRequest(CLIENT, m, "http://other.example/", null));
    }

    private static void assertSent(Member m, String path, String query, String scheme, String host, int port,
                                   String sentPath, String sentQuery)
    {
        Request r = ProxyTargets.newRequest(CLIENT, m, path, query);
        assertEquals(scheme, r.getScheme(), path);
        assertEquals(host, r.getHost(), path);
        assertEquals(port, r.getPort(), path);
        assertEquals(sentPath, r.getPath(), path);
        assertEquals(sentQuery, r.getQuery(), path);
    }

    private static Member member(String address, int port, boolean secure) throws Exception
    {
        InetAddress a = InetAddress.getByName(address);
        ServerStats stats = ServerStats.builder().name("n").hostname("n.example").contactAddress(a).contactPort(port)
            .secure(secure).workerName("n").build();
        return new Member(stats, new InetSocketAddress(a, port), a, 0, false, new PeerLedger());
    }
}
