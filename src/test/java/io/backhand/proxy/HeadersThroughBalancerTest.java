package io.backhand.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The balancer is invisible in the bytes: each response a raw-socket client gets through it is the response
 * the same node gives directly, status line, header lines and body, apart from the Date the container
 * stamps. One application node behind a dedicated balancer; the application node runs no filter, so that
 * both requests reach exactly the same code.
 */
@Tag("cluster")
class HeadersThroughBalancerTest
{
    @RegisterExtension
    static final Nodes.AppBehindBalancer NODES = new Nodes.AppBehindBalancer();

    private record Pair(RawHttp.Response direct, RawHttp.Response proxied)
    {
    }

    private static Pair both(String method, String target, List<String> headers, byte[] body) throws IOException
    {
        RawHttp.Response direct = RawHttp.exchange(NODES.app().port(), method, target, headers, body);
        RawHttp.Response proxied = RawHttp.exchange(NODES.balancer().port(), method, target, headers, body);
        return new Pair(direct, proxied);
    }

    /** Same status line, same header lines in the same order (Date aside), same body, same framing. */
    private static void assertSameBytes(Pair p)
    {
        assertEquals(p.direct.statusLine(), p.proxied.statusLine());
        assertNotNull(p.direct.header("Date"));
        assertNotNull(p.proxied.header("Date"));
        assertEquals(withoutDate(p.direct.headerLines()), withoutDate(p.proxied.headerLines()),
            "header lines, direct vs through the balancer");
        assertArrayEquals(p.direct.body(), p.proxied.body(), () -> "body: direct\n" + p.direct.bodyText()
            + "\nthrough the balancer\n" + p.proxied.bodyText());
        assertEquals(p.direct.chunked(), p.proxied.chunked(), "chunked framing");
    }

    private static List<String> withoutDate(List<String> lines)
    {
        return lines.stream().filter(l -> !l.regionMatches(true, 0, "Date:", 0, 5)).toList();
    }

    @Test
    void head() throws IOException
    {
        Pair p = both("HEAD", "/etag", List.of("Host: shop.example"), null);
        assertEquals(200, p.proxied.status());
        assertEquals("21", p.proxied.header("Content-Length"), "HEAD keeps the length of the GET body");
        assertSameBytes(p);
    }

    @Test
    void noContent() throws IOException
    {
        Pair p = both("GET", "/204", List.of("Host: shop.example"), null);
        assertEquals(204, p.proxied.status());
        assertSameBytes(p);
    }

    @Test
    void notModifiedKeepsTheQuotedETag() throws IOException
    {
        Pair fresh = both("GET", "/etag", List.of("Host: shop.example"), null);
        assertEquals("\"v1-a,b\"", fresh.proxied.header("ETag"));
        assertSameBytes(fresh);
        Pair p = both("GET", "/etag", List.of("Host: shop.example", "If-None-Match: \"v1-a,b\""), null);
        assertEquals(304, p.proxied.status());
        assertSameBytes(p);
    }

    @Test
    void multipleSetCookieHeadersStaySeparateAndIntact() throws IOException
    {
        Pair p = both("GET", "/cookies", List.of("Host: shop.example"), null);
        assertEquals(List.of("session=abc123; Path=/; HttpOnly",
            "pref=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/",
            "lang=fr; Max-Age=3600; SameSite=Lax"), p.proxied.headers("Set-Cookie"));
        assertSameBytes(p);
    }

    @Test
    void headersTheBackendNamesInConnectionStopAtTheBalancer() throws IOException
    {
        Pair named = both("GET", "/hop?named", List.of("Host: shop.example"), null);
        assertEquals("for the balancer only", named.direct.header("X-Hop"), "the backend sent it");
        assertNull(named.proxied.header("X-Hop"), () -> String.join("\n", named.proxied.headerLines()));
        assertEquals("end to end", named.proxied.header("X-Kept"));
        // Connection naming only keep-alive (hop-by-hop already): every other header passes.
        Pair plain = both("GET", "/hop", List.of("Host: shop.example"), null);
        assertEquals("for the balancer only", plain.proxied.header("X-Hop"));
        assertEquals("end to end", plain.proxied.header("X-Kept"));
    }

    @Test
    void chunkedResponse() throws IOException
    {
        Pair p = both("GET", "/chunked", List.of("Host: shop.example"), null);
        assertTrue(p.direct.chunked(), "sent without a length, so chunked: " + p.direct.headerLines() + p.direct.bodyText());
        assertTrue(p.proxied.chunked(), "sent without a length, so chunked: " + p.proxied.headerLines());
        assertTrue(p.proxied.bodyText().startsWith("piece 0"), p.proxied.bodyText());
        assertSameBytes(p);
    }

    /**
     * Each piece the application flushes reaches the client before the application writes the next one,
     * down to a single byte: nothing waits in the balancer for more.
     */
    @Test
    void streamedPiecesAreNotHeldBack() throws IOException
    {
        for (int size : new int[] {1, 2, 100})
        {
            int pieces = 4;
            try (RawHttp c = RawHttp.connect(NODES.balancer().port()))
            {
                c.send(RawHttp.head("GET", "/drip?pieces=" + pieces + "&size=" + size, List.of("Host: shop.example")));
                RawHttp.Response head = c.readHead();
                assertEquals("chunked", head.header("Transfer-Encoding"), head.headerLines().toString());
                for (int i = 0; i < pieces; i++)
                {
                    byte[] piece;
                    try
                    {
                        piece = c.readChunk();
                    }
                    catch (IOException e)
                    {
                        throw new AssertionError("piece " + i + " of " + size + " bytes did not arrive", e);
                    }
                    assertEquals(size, piece.length, "piece " + i + " of " + size + " bytes");
                    if (i + 1 < pieces)
                        Nodes.app(NODES.app()).releaseDrip();
                }
                assertEquals(0, c.readChunk().length, "the last chunk");
            }
        }
    }

    @Test
    void chunkedRequestBody() throws IOException
    {
        byte[] body = ("5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Pair p = both("POST", "/upload", List.of("Host: shop.example", "Transfer-Encoding: chunked"), body);
        assertEquals("bytes 12 sha256 " + sha256Hex("hello, world"), p.proxied.bodyText().strip());
        assertSameBytes(p);
    }

    @Test
    void expect100Continue() throws IOException
    {
        byte[] body = "a body sent only after 100 Continue".getBytes(StandardCharsets.US_ASCII);
        List<String> headers = List.of("Host: shop.example", "Content-Length: " + body.length, "Expect: 100-continue");
        List<RawHttp.Response> direct = continued(NODES.app().port(), headers, body);
        List<RawHttp.Response> proxied = continued(NODES.balancer().port(), headers, body);
        assertEquals(100, proxied.get(0).status());
        assertEquals(direct.get(0).statusLine(), proxied.get(0).statusLine());
        assertEquals(direct.get(0).headerLines(), proxied.get(0).headerLines());
        assertSameBytes(new Pair(direct.get(1), proxied.get(1)));
        assertEquals("bytes " + body.length + " sha256 " + sha256Hex(new String(body, StandardCharsets.US_ASCII)),
            proxied.get(1).bodyText().strip());
    }

    /**
     * An application that answers without reading the body (here a final response, no 100 Continue): the
     * client gets that answer and never sends the body, through the balancer as directly. The balancer must not
     * start the client's body either, which would send the client a 100 Continue for a body nobody wants.
     */
    @Test
    void expect100ContinueAnsweredWithoutReadingTheBody() throws IOException
    {
        List<String> headers = List.of("Host: shop.example", "Content-Length: 100000", "Expect: 100-continue");
        RawHttp.Response direct;
        try (RawHttp c = RawHttp.connect(NODES.app().port()))
        {
            c.send(RawHttp.head("POST", "/cookies", headers));
            direct = c.read("POST");
        }
        long failedBefore = Nodes.server(NODES.balancer(), "app").get("fromThisNode").get("failed").asLong();
        RawHttp.Response proxied;
        try (RawHttp c = RawHttp.connect(NODES.balancer().port()))
        {
            c.send(RawHttp.head("POST", "/cookies", headers));
            proxied = c.read("POST");
        }
        assertEquals(200, direct.status(), direct.statusLine());
        assertEquals(200, proxied.status(), "the first thing the client reads is the final answer, not a 100 Continue");
        assertSameBytes(new Pair(direct, proxied));
        assertEquals(failedBefore, Nodes.server(NODES.balancer(), "app").get("fromThisNode").get("failed").asLong(),
            "an answer given without reading the body is a success, not a failed request");
    }

    /** Sends the head, waits for the interim answer, and only then the body, as a careful client does. */
    private static List<RawHttp.Response> continued(int port, List<String> headers, byte[] body) throws IOException
    {
        try (RawHttp c = RawHttp.connect(port))
        {
            c.send(RawHttp.head("POST", "/upload", headers));
            RawHttp.Response interim = c.read("POST");
            c.send(body);
            return List.of(interim, c.read("POST"));
        }
    }

    @Test
    void percentEncodedUtf8PathAndQuery() throws IOException
    {
        String target = "/target/caf%C3%A9/%E2%82%AC%20x/na%C3%AFve;v=%C3%A9?q=%C3%A9t%C3%A9&a=b%26c&plus=a+b&empty=&raw=|{}";
        Pair p = both("GET", target, List.of("Host: shop.example"), null);
        assertEquals(200, p.proxied.status(), p.proxied.bodyText());
        assertEquals(target, p.proxied.bodyText().strip(), "the application sees the path and query as sent");
        assertSameBytes(p);
    }

    /**
     * The application sees the client's request headers unchanged, Host included, plus exactly the headers a
     * reverse proxy adds: Via, Forwarded, X-Forwarded-For/-Proto/-Host and the marker.
     */
    @Test
    void requestHeadersArriveAsSentWithTheForwardingHeadersAdded() throws IOException
    {
        List<String> headers = List.of("Host: shop.example:8080", "User-Agent: raw/1.0", "Accept: */*",
            "Cookie: a=1; b=\"x y\"", "X-Custom: a,b", "X-Custom:  c ", "X-Forwarded-For: 203.0.113.9");
        Pair p = both("GET", "/echo?x=1", headers, null);
        List<String> direct = seenHeaders(p.direct);
        List<String> proxied = seenHeaders(p.proxied);
        List<String> added = List.of("via", "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "x-backhand-proxied");
        assertEquals(direct.stream().filter(h -> !added.contains(name(h))).toList(),
            proxied.stream().filter(h -> !added.contains(name(h))).toList(), "the client's own headers, in order");
        assertTrue(proxied.contains("Host: shop.example:8080"), proxied.toString());
        assertTrue(proxied.contains("X-Forwarded-For: 203.0.113.9, 127.0.0.1"), proxied.toString());
        assertTrue(proxied.contains("X-Forwarded-Proto: http"), proxied.toString());
        assertTrue(proxied.contains("X-Forwarded-Host: shop.example:8080"), proxied.toString());
        assertTrue(proxied.contains("Via: 1.1 backhand-balancer"), proxied.toString());
        String forwarded = proxied.stream().filter(h -> name(h).equals("forwarded")).findFirst().orElseThrow();
        // Byte for byte what Jetty's own proxy writes (the value is built without its String.format).
        assertEquals("Forwarded: by=\"127.0.0.1\";for=\"127.0.0.1\";host=\"shop.example:8080\";proto=http", forwarded);
        assertTrue(proxied.stream().anyMatch(h -> name(h).equals("x-backhand-proxied")), proxied.toString());
    }

    /** A client's own Forwarded is kept and ours appended, as Jetty's proxy joins them. */
    @Test
    void aClientsOwnForwardedHeaderIsAppendedTo() throws IOException
    {
        Pair p = both("GET", "/echo", List.of("Host: shop.example", "Forwarded: for=203.0.113.9;proto=https"), null);
        String forwarded = seenHeaders(p.proxied).stream().filter(h -> name(h).equals("forwarded")).findFirst().orElseThrow();
        assertEquals("Forwarded: for=203.0.113.9;proto=https, by=\"127.0.0.1\";for=\"127.0.0.1\";host=\"shop.example\";proto=http",
            forwarded);
    }

    private static List<String> seenHeaders(RawHttp.Response r)
    {
        return r.bodyText().lines().filter(l -> l.startsWith("header ")).map(l -> l.substring(7)).toList();
    }

    private static String name(String headerLine)
    {
        return headerLine.substring(0, headerLine.indexOf(':')).toLowerCase(java.util.Locale.ROOT);
    }

    private static String sha256Hex(String s)
    {
        try
        {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
