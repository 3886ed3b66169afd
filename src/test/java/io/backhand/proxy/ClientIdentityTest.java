package io.backhand.proxy;


import java.io.IOException;
import java.util.List;

import io.backhand.demo.EmbeddedNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application on the node that serves a proxied request sees the client, not the balancer, through
 * the plain servlet API; and only a trusted peer can make it believe anything. Two nodes that both run the
 * filter with {@code removeSelf}, so that whichever receives a request proxies it to the other, once. The
 * test client connects from 127.0.0.2 so that its address cannot be mistaken for the peers' (127.0.0.1).
 */
@Tag("cluster")
class ClientIdentityTest
{
    private static final String CLIENT = "127.0.0.2";
    private static final String SECRET = "a shared secret of the test cluster";
    @RegisterExtension
    final StartedNodes nodes = new StartedNodes();

    /** Nodes a and b; AcceptStats and the secret as given. */
    private void cluster(String acceptStats, String secret) throws Exception
    {
        String cluster = Nodes.newCluster();
        for (String name : List.of("a", "b"))
        {
            EmbeddedNode.Builder b = Nodes.node(name, cluster).param("backhand.acceptStats", acceptStats)
                .balance("removeSelf\nbyAge 6");
            if (secret != null)
                b.param("backhand.secret", secret);
            nodes.add(b.start());
        }
        for (EmbeddedNode n : nodes)
            Nodes.awaitServers(n, 2);
    }

    private EmbeddedNode node(String name)
    {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static RawHttp.Response get(EmbeddedNode to, List<String> headers) throws IOException
    {
        try (RawHttp c = RawHttp.connect(CLIENT, to.port()))
        {
            c.send(RawHttp.head("GET", "/who?x=1", headers));
            return c.read("GET");
        }
    }

    @Test
    void theServingApplicationSeesTheClientsAddressSchemeAndHost() throws Exception
    {
        cluster("127.0.0.1/32", null);
        RawHttp.Response r = get(node("a"), List.of("Host: shop.example:8080"));
        assertEquals(200, r.status(), r.bodyText());
        assertEquals("b", r.header("X-Served-By"), "proxied from a to b");
        assertEquals(CLIENT, r.header("X-Seen-Remote-Addr"), "getRemoteAddr()");
        assertEquals("http", r.header("X-Seen-Scheme"), "getScheme()");
        assertEquals("shop.example:8080", r.header("X-Seen-Host"), "getServerName():getServerPort()");
        assertTrue(r.bodyText().contains("request-url http://shop.example:8080/who\n"), r.bodyText());
        assertFalse(r.bodyText().toLowerCase().contains("x-backhand-proxied"), "the marker is hidden from the application");
    }

    @Test
    void aForgedMarkerAndForwardedHeadersFromOutsideAcceptStatsAreNotBelieved() throws Exception
    {
        cluster("127.0.0.1/32", null);
        RawHttp.Response r = get(node("b"), List.of("Host: shop.example", "X-Backhand-Proxied: node=a; ts="
            + System.currentTimeMillis(), "X-Forwarded-For: 198.51.100.7", "X-Forwarded-Proto: https",
            "X-Forwarded-Host: evil.example"));
        assertEquals(200, r.status(), r.bodyText());
        // Believed, the marker would have made b serve it; not believed, b balances it (removeSelf) to a.
        assertEquals("a", r.header("X-Served-By"), "b did not take the forged marker for a peer's");
        assertEquals(CLIENT, r.header("X-Seen-Remote-Addr"), "the forged X-Forwarded-For is not believed");
        assertEquals("http", r.header("X-Seen-Scheme"), "the forged X-Forwarded-Proto is not believed");
        assertEquals("shop.example:80", r.header("X-Seen-Host"), "the forged X-Forwarded-Host is not believed");
        assertEquals("1.1 backhand-b", r.header("X-Seen-Via"), "proxied exactly once");
    }

    @Test
    void withASecretOnlyAValidSignatureIsBelievedEvenFromInsideAcceptStats() throws Exception
    {
        // The client's address is inside AcceptStats here: the HMAC is all that stands in its way.
        cluster("127.0.0.0/8", SECRET);
        RawHttp.Response proxied = get(node("a"), List.of("Host: shop.example"));
        assertEquals("b", proxied.header("X-Served-By"));
        assertEquals(CLIENT, proxied.header("X-Seen-Remote-Addr"), "a signed marker is believed");

        long now = System.currentTimeMillis();
        RawHttp.Response forged = get(node("b"), List.of("Host: shop.example",
            "X-Backhand-Proxied: node=a; ts=" + now + "; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "X-Forwarded-For: 198.51.100.7"));
        assertEquals(200, forged.status(), forged.bodyText());
        assertEquals("a", forged.header("X-Served-By"), "a bad signature is not a peer's marker");
        assertEquals(CLIENT, forged.header("X-Seen-Remote-Addr"), "nor is the X-Forwarded-For that came with it");

        RawHttp.Response unsigned = get(node("b"), List.of("Host: shop.example", "X-Backhand-Proxied: node=a; ts=" + now,
            "X-Forwarded-For: 198.51.100.7"));
        assertEquals("a", unsigned.header("X-Served-By"), "an unsigned marker is not believed when a secret is set");
        assertEquals(CLIENT, unsigned.header("X-Seen-Remote-Addr"));
    }
}
