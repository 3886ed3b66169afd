package io.backhand.proxy;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Net;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the balancer does when a backend fails: a failure before anything reached the backend is retried on
 * the next candidate whatever the method, and the refusing node is put aside at once; a failure after the
 * backend may have acted is retried only for idempotent methods; everything else is a 502 or 504 with a
 * short plain explanation (and a log line), or, once the response has begun, a cut connection rather than a
 * clean-looking end. The chain {@code removeSelf, byAge} keeps the members in name order, so {@code a-*}
 * is always tried before {@code b-good}.
 */
@Tag("cluster")
class FailureAnswersTest
{
    private static final String IN_NAME_ORDER = "removeSelf\nbyAge 6";
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EmbeddedNode balancer;
    private EmbeddedNode good;

    @AfterEach
    void stop()
    {
        Nodes.closeAll(closeables);
    }

    /**
     * A balancer, {@code b-good}, and a first candidate {@code a-<name>} that announces {@code contactPort}
     * (where a fake backend listens, or nothing) instead of its own.
     */
    private void cluster(String first, int contactPort, String... filterParams) throws Exception
    {
        String cluster = Nodes.newCluster();
        // A stop timeout long enough for a slow request to end, so that stopping it is not an error.
        EmbeddedNode.Builder a = Nodes.node(first, cluster).stopTimeout(5000);
        if (contactPort > 0)
            a.param("backhand.contactPort", Integer.toString(contactPort));
        closeables.add(a.start());
        good = Nodes.node("b-good", cluster).start();
        closeables.add(good);
        EmbeddedNode.Builder b = Nodes.node("balancer", cluster).balance(IN_NAME_ORDER);
        for (int i = 0; i < filterParams.length; i += 2)
            b.filterParam(filterParams[i], filterParams[i + 1]);
        balancer = b.start();
        closeables.add(0, balancer);
        Nodes.awaitServers(balancer, 3);
    }

    private RawHttp.Response send(String method, String target, byte[] body) throws IOException
    {
        List<String> headers = List.of("Host: shop.example", "Content-Length: " + (body == null ? 0 : body.length));
        return RawHttp.exchange(balancer.port(), method, target, headers, body);
    }

    private static void assertPlainExplanation(RawHttp.Response r, int status, String... mentions)
    {
        assertEquals(status, r.status(), r.statusLine() + "\n" + r.bodyText());
        assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
        assertEquals("no-store", r.header("Cache-Control"));
        assertTrue(r.bodyText().length() < 300, "short: " + r.bodyText());
        for (String m : mentions)
            assertTrue(r.bodyText().contains(m), "explanation mentions " + m + ": " + r.bodyText());
    }

    @Test
    void aRefusedConnectionIsRetriedEvenForAPostAndTheNodeIsPutAside() throws Exception
    {
        cluster("a-refusing", Net.freeTcpPort());
        byte[] body = "a body that must arrive exactly once".getBytes(StandardCharsets.UTF_8);
        RawHttp.Response r = send("POST", "/upload", body);
        assertEquals(200, r.status(), r.bodyText());
        assertEquals("b-good", r.header("X-Served-By"));
        assertTrue(r.bodyText().startsWith("bytes " + body.length + " sha256 "), r.bodyText());
        JsonNode refusing = Nodes.server(balancer, "a-refusing");
        assertNotNull(refusing);
        long retried = refusing.get("fromThisNode").get("retried").asLong();
        assertTrue(retried >= 1, refusing.toString());
        // Put aside until its next announcement; that one clears it, and the next refusal sets it again. So
        // the next ten requests meet the refusal once or twice (an announcement may fall among them), not ten
        // times.
        for (int i = 0; i < 10; i++)
            assertEquals("b-good", send("POST", "/upload", body).header("X-Served-By"));
        long retriedAfter = Nodes.server(balancer, "a-refusing").get("fromThisNode").get("retried").asLong();
        assertTrue(retriedAfter - retried <= 3, "tried again " + (retriedAfter - retried) + " times out of 10");
    }

    /**
     * A connect timeout is a connect failure like a refusal: nothing reached the backend. A listening socket
     * whose accept queue is full drops new SYNs, so connecting to it times out, even on loopback.
     */
    @Test
    void aConnectTimeoutIsRetriedEvenForAPost() throws Exception
    {
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            List<java.net.Socket> fillers = new ArrayList<>();
            try
            {
                for (int i = 0; i < 8; i++)
                {
                    java.net.Socket f = new java.net.Socket();
                    try
                    {
                        f.connect(full.getLocalSocketAddress(), 200);
                    }
                    catch (IOException e)
                    {
                        // the queue is full: what the balancer will meet
                    }
                    fillers.add(f);
                }
                cluster("a-unanswering", full.getLocalPort(), "connectTimeout", "500");
                byte[] body = "sent once".getBytes(StandardCharsets.UTF_8);
                long start = System.nanoTime();
                RawHttp.Response r = send("POST", "/upload", body);
                assertEquals(200, r.status(), r.bodyText());
                assertEquals("b-good", r.header("X-Served-By"));
                assertTrue(System.nanoTime() - start >= 400_000_000L, "it waited for the connect timeout first");
                assertTrue(Nodes.server(balancer, "a-unanswering").get("fromThisNode").get("retried").asLong() >= 1);
            }
            finally
            {
                for (java.net.Socket f : fillers)
                    f.close();
            }
        }
    }

    @Test
    void withoutRetriesAConnectFailureIsA502AndALogLine() throws Exception
    {
        cluster("a-refusing", Net.freeTcpPort(), "retries", "0");
        try (LogCapture log = new LogCapture("backhand.proxy"))
        {
            RawHttp.Response r = send("GET", "/page", null);
            assertPlainExplanation(r, 502, "a-refusing", "Connection refused");
            assertEquals(0, Nodes.app(good).served(), "retries 0: no second candidate");
            assertTrue(log.text().lines().anyMatch(l -> l.contains("WARN") && l.contains(r.bodyText().strip())),
                "the operator's log has the same words: " + log.text());
        }
    }

    @Test
    void aGetThatGotNoAnswerIsRetriedAPostIsNot() throws Exception
    {
        try (FakeBackend liar = new FakeBackend(FakeBackend.Fault.CLOSE_BEFORE_ANSWERING))
        {
            cluster("a-silent", liar.port());
            RawHttp.Response get = send("GET", "/page", null);
            assertEquals(200, get.status(), get.bodyText());
            assertEquals("b-good", get.header("X-Served-By"), "the GET went on to the next candidate");
            int heard = liar.requests();
            assertTrue(heard >= 1, "the first candidate did receive the GET");

            long servedBefore = Nodes.app(good).served();
            RawHttp.Response post = send("POST", "/order", null);
            assertPlainExplanation(post, 502, "a-silent", "connection was closed");
            assertEquals(servedBefore, Nodes.app(good).served(), "the POST may have been acted on: not sent twice");
            assertEquals(heard + 1, liar.requests());
        }
    }

    /** A request the proxy's client refuses to send (its head is too large) would fail alike anywhere. */
    @Test
    void aFailureThatAnyBackendWouldMeetIsNotRetried() throws Exception
    {
        cluster("a-first", 0, "maxRequestHeadersSize", "1024");
        RawHttp.Response r = RawHttp.exchange(balancer.port(), "GET", "/page",
            List.of("Host: shop.example", "X-Big: " + "x".repeat(2000)), null);
        assertPlainExplanation(r, 502, "a-first", "too large");
        assertEquals(0, Nodes.server(balancer, "a-first").get("fromThisNode").get("retried").asLong(), "not retried");
        assertEquals(0, Nodes.server(balancer, "b-good").get("fromThisNode").get("failed").asLong(), "b-good not tried");
    }

    @Test
    void aResponseCutShortReachesTheClientCutShort() throws Exception
    {
        try (FakeBackend liar = new FakeBackend(FakeBackend.Fault.CUT_RESPONSE_SHORT))
        {
            cluster("a-cut", liar.port());
            try (RawHttp c = RawHttp.connect(balancer.port()))
            {
                c.send(RawHttp.head("GET", "/page", List.of("Host: shop.example")));
                RawHttp.Response head = c.readHead();
                assertEquals(200, head.status());
                assertEquals("1000", head.header("Content-Length"));
                byte[] rest = c.readToEnd();
                assertEquals("0123456789", new String(rest, StandardCharsets.US_ASCII),
                    "what the backend sent, then the connection closes: never a clean end");
            }
            assertEquals(0, Nodes.app(good).served(), "a response had begun: not retried");
        }
    }

    @Test
    void aBackendSlowerThanIdleTimeoutIsA504AndIsNotRetried() throws Exception
    {
        cluster("a-slow", 0, "idleTimeout", "500");
        try (LogCapture log = new LogCapture("backhand.proxy"))
        {
            RawHttp.Response r = send("GET", "/page?work=3000", null);
            assertPlainExplanation(r, 504, "a-slow", "Timeout");
            assertEquals(0, Nodes.app(good).served(), "it may still be working on it: not sent twice");
            assertTrue(log.text().lines().anyMatch(l -> l.contains("WARN") && l.contains(r.bodyText().strip())),
                "the operator's log has the same words: " + log.text());
        }
    }

    /**
     * A node whose webapp is stopping still announces for a moment, and its container answers 404 for the
     * requests already on their way. The application never saw them: a GET goes on to the next candidate. A
     * POST is passed the 404: an application that reset its response (dropping the mark) would look the same.
     */
    @Test
    void aContainersAnswerInPlaceOfTheWebappIsRetriedForAGet() throws Exception
    {
        try (FakeBackend stopping = new FakeBackend(FakeBackend.Fault.CONTAINER_404))
        {
            cluster("a-stopping", stopping.port());
            RawHttp.Response first = send("GET", "/page", null);
            assertEquals(200, first.status(), first.bodyText());
            assertEquals("a-stopping", first.header("X-Served-By"));
            assertEquals(null, first.header("X-Backhand-Served"), "the mark goes no further than the balancer");

            RawHttp.Response get = send("GET", "/page", null);
            assertEquals(200, get.status(), get.bodyText());
            assertEquals("b-good", get.header("X-Served-By"), "the container's 404 was not the answer");
            assertEquals(2, stopping.requests());
            assertEquals(1, Nodes.server(balancer, "a-stopping").get("fromThisNode").get("retried").asLong());

            // Put aside until it announces again; wait for that, so the POST meets it first.
            io.backhand.testing.Wait.until(java.time.Duration.ofSeconds(5), "a-stopping to announce again",
                () -> !Nodes.server(balancer, "a-stopping").get("down").asBoolean());
            long servedBefore = Nodes.app(good).served();
            RawHttp.Response post = send("POST", "/order", "x".getBytes(StandardCharsets.UTF_8));
            assertEquals(404, post.status(), post.bodyText());
            assertEquals("Not Found\n", post.bodyText());
            assertEquals(servedBefore, Nodes.app(good).served());
            assertEquals(3, stopping.requests());
        }
    }

    /**
     * The application's own 404 and 503 carry the served mark (Jetty's error handling keeps it): passed on as
     * they are, never retried.
     */
    @Test
    void theApplicationsOwn404And503AreNotRetried() throws Exception
    {
        cluster("a-first", 0);
        assertEquals("a-first", send("GET", "/page", null).header("X-Served-By"));
        for (String path : List.of("/missing", "/overloaded"))
        {
            RawHttp.Response r = send("GET", path, null);
            assertEquals(path.equals("/missing") ? 404 : 503, r.status(), r.bodyText());
            assertEquals("a-first", r.header("X-Served-By"));
            assertEquals(null, r.header("X-Backhand-Served"));
        }
        assertEquals(0, Nodes.app(good).served());
        assertEquals(0, Nodes.server(balancer, "a-first").get("fromThisNode").get("retried").asLong());
    }
}
