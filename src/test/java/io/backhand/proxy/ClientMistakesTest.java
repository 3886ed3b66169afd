package io.backhand.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's own mistakes are not blamed on the nodes: a request body that breaks HTTP's framing is the
 * client's fault, answered 400, logged at debug, and counted as a client error, never as a failure of the
 * node the request was on its way to. Otherwise a hostile client could push healthy nodes out through passive
 * health. Real sockets send the broken bodies, through a balancer to two nodes.
 */
@Tag("cluster")
class ClientMistakesTest
{
    /** A chunk size that overflows 64 bits. */
    static final String OVERFLOWING_CHUNK = "fffffffffffffffff1\r\nabc\r\n0\r\n\r\n";
    /** A chunk's data ended by a bare LF where CRLF must be. */
    static final String BARE_LF_IN_CHUNK = "5\r\nhello\n0\r\n\r\n";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EmbeddedNode balancer;

    @AfterEach
    void stop()
    {
        Nodes.closeAll(closeables);
    }

    private void cluster(String... filterParams) throws Exception
    {
        String cluster = Nodes.newCluster();
        closeables.add(Nodes.node("node1", cluster).start());
        closeables.add(Nodes.node("node2", cluster).start());
        balancer = Nodes.balancer(cluster, filterParams);
        closeables.add(0, balancer);
        Nodes.awaitServers(balancer, 3);
    }

    /** Sends a chunked POST whose body is exactly {@code rawBody} and returns the balancer's answer. */
    static RawHttp.Response sendChunked(int port, String prefix, String rawBody) throws Exception
    {
        try (RawHttp c = RawHttp.connect(port))
        {
            c.send(RawHttp.head("POST", "/upload", List.of("Host: shop.example", "Transfer-Encoding: chunked",
                "Content-Type: application/octet-stream")));
            if (!prefix.isEmpty())
                c.send(prefix);
            c.send(rawBody);
            return c.read("POST");
        }
    }

    /** Asserts that every node is healthy in the balancer's eyes: no failure counted, none put aside. */
    static void assertNodesBlameless(EmbeddedNode balancer, String... nodes)
    {
        for (String name : nodes)
        {
            JsonNode s = Nodes.server(balancer, name);
            assertFalse(s.get("down").asBoolean(), name + " put aside: " + s);
            assertEquals(0, s.get("fromThisNode").get("failed").asLong(), name + ": " + s.get("fromThisNode"));
        }
        JsonNode requests = Http.json(balancer.statusUri()).get("filters").get(0).get("requests");
        assertEquals(0, requests.get("failed").asLong(), requests.toString());
    }

    private void thousandBrokenBodies(String prefix) throws Exception
    {
        try (LogCapture log = new LogCapture("backhand.proxy"))
        {
            for (int i = 0; i < 1000; i++)
            {
                RawHttp.Response r = sendChunked(balancer.port(), prefix, i % 2 == 0 ? OVERFLOWING_CHUNK : BARE_LF_IN_CHUNK);
                assertEquals(400, r.status(), "request " + i + ": " + r.statusLine() + "\n" + r.bodyText());
                assertTrue(r.bodyText().startsWith("Backhand could not read the request body: "), r.bodyText());
                if (i < 2)
                    System.out.println("Answer to a broken body: " + r.bodyText().strip());
            }
            assertFalse(log.text().contains("WARN"), "no warning per broken request:\n" + log.text().lines().limit(5).toList());
        }
        assertNodesBlameless(balancer, "node1", "node2");
        JsonNode requests = Http.json(balancer.statusUri()).get("filters").get(0).get("requests");
        assertEquals(1000, requests.get("client_error").asLong(), requests.toString());
        // And the cluster still serves.
        RawHttp.Response ok = RawHttp.exchange(balancer.port(), "POST", "/upload", List.of("Host: shop.example",
            "Content-Length: 5"), "hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, ok.status(), ok.bodyText());
    }

    /**
     * The body is streamed to the node as it arrives (buffering off), so the framing breaks after the request
     * went out to a node: the case where the node used to be blamed.
     */
    @Test
    void aThousandBrokenChunkedBodiesStreamedToANodeLeaveEveryNodeHealthy() throws Exception
    {
        cluster("requestBuffer", "0");
        thousandBrokenBodies("");
    }

    /**
     * With request buffering (the default), a small broken body is found out before any node is chosen: the
     * answer is the same 400, and no node hears of it.
     */
    @Test
    void aThousandBrokenChunkedBodiesCaughtByTheBufferLeaveEveryNodeHealthy() throws Exception
    {
        cluster();
        thousandBrokenBodies("");
    }

    /**
     * A body of unknown length larger than the buffer is passed on as it arrives once the buffer is full; the
     * framing breaks after that, when the request is already on its way to a node.
     */
    @Test
    void aBrokenChunkedBodyBeyondTheBufferIsTheClientsFaultToo() throws Exception
    {
        cluster("requestBuffer", "1k");
        String fullChunk = "800\r\n" + "x".repeat(2048) + "\r\n";
        try (LogCapture log = new LogCapture("backhand.proxy"))
        {
            for (int i = 0; i < 50; i++)
            {
                RawHttp.Response r = sendChunked(balancer.port(), fullChunk, i % 2 == 0 ? OVERFLOWING_CHUNK : BARE_LF_IN_CHUNK);
                assertEquals(400, r.status(), "request " + i + ": " + r.statusLine() + "\n" + r.bodyText());
            }
            assertFalse(log.text().contains("WARN"), "no warning per broken request:\n" + log.text().lines().limit(5).toList());
        }
        assertNodesBlameless(balancer, "node1", "node2");
    }

    /** A client that goes away halfway through its body is no failure of the node it was sending to. */
    @Test
    void aClientThatLeavesMidBodyIsNotANodeFailure() throws Exception
    {
        cluster("requestBuffer", "0");
        try (LogCapture log = new LogCapture("backhand.proxy"))
        {
            for (int i = 0; i < 20; i++)
            {
                try (RawHttp c = RawHttp.connect(balancer.port()))
                {
                    c.send(RawHttp.head("POST", "/upload", List.of("Host: shop.example", "Content-Length: 100000")));
                    c.send(new byte[10_000]);
                }
            }
            Wait.until(Duration.ofSeconds(15), "20 client errors counted", () -> Http.json(balancer.statusUri())
                .get("filters").get(0).get("requests").get("client_error").asLong() == 20);
            assertFalse(log.text().contains("WARN"), "no warning per client that left:\n" + log.text().lines().limit(5).toList());
        }
        assertNodesBlameless(balancer, "node1", "node2");
    }
}
