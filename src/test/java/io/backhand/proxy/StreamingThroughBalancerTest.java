package io.backhand.proxy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backhand.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 MB each way through the balancer, in a JVM whose heap (128 MB, direct memory capped the same) could
 * not hold one body: the balancer and the application node run in a child JVM started with -Xmx128m and
 * {@code -XX:+ExitOnOutOfMemoryError}, so buffering a body whole anywhere on the request path kills them
 * and fails the transfer. The test JVM generates the upload and hashes the download as they stream, and
 * checks both against the same pattern generated a second time; nothing holds a body here either.
 */
@Tag("cluster")
class StreamingThroughBalancerTest
{
    private static final long SIZE = 200L * 1024 * 1024;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private static final PatternBody.Digest EXPECTED = PatternBody.expected(SIZE);
    private static ChildNode child;
    private static URI balancer;

    @BeforeAll
    static void start() throws Exception
    {
        String cluster = Nodes.newCluster();
        Map<String, String> spec = Map.of(
            "nodes", "app,balancer",
            "app.param.backhand.multicastStats", cluster,
            "app.param.backhand.interface", "lo",
            "app.param.backhand.acceptStats", "127.0.0.0/8",
            "balancer.param.backhand.multicastStats", cluster,
            "balancer.param.backhand.interface", "lo",
            "balancer.param.backhand.acceptStats", "127.0.0.0/8",
            "balancer.chain", Nodes.BALANCER);
        child = ChildNode.start("streaming", spec,
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=128m", "-XX:+ExitOnOutOfMemoryError"));
        balancer = URI.create("http://127.0.0.1:" + child.port("balancer") + "/");
        io.backhand.testing.Wait.until(Duration.ofSeconds(15), "the balancer to hear the application node",
            () -> Http.json(balancer.resolve("/backhand/")).get("servers").size() == 2);
    }

    @AfterAll
    static void stop()
    {
        if (child == null)
            return;
        long peak = child.stop();
        // For the record: how much of the 128 MB heap the balancer and the node needed for 200 MB each way.
        System.out.println(peak < 0 ? "Streaming child JVM had died:\n" + child.logText()
            : "Streaming child JVM: heap high-water mark " + peak / (1024 * 1024) + " MB with -Xmx128m");
    }

    private static void assertAlive()
    {
        assertTrue(child.isAlive(), "the balancer's JVM died (out of memory?):\n" + child.logText());
    }

    @Test
    void aTwoHundredMegabytePostArrivesIntact() throws Exception
    {
        HttpRequest request = HttpRequest.newBuilder(balancer.resolve("/upload")).timeout(Duration.ofMinutes(5))
            .POST(HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> PatternBody.stream(SIZE)), SIZE))
            .build();
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertAlive();
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("app", r.headers().firstValue("X-Served-By").orElse(null), "proxied to the application node");
        assertEquals("bytes " + SIZE + " sha256 " + EXPECTED.hex(), r.body().strip());
    }

    @Test
    void aTwoHundredMegabyteChunkedPostArrivesIntact() throws Exception
    {
        // No length: the JDK client sends it chunked, and so must the balancer.
        HttpRequest request = HttpRequest.newBuilder(balancer.resolve("/upload")).timeout(Duration.ofMinutes(5))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> PatternBody.stream(SIZE))).build();
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertAlive();
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("bytes " + SIZE + " sha256 " + EXPECTED.hex(), r.body().strip());
    }

    @Test
    void aTwoHundredMegabyteDownloadArrivesIntact() throws Exception
    {
        download("/download?bytes=" + SIZE, String.valueOf(SIZE));
    }

    @Test
    void aTwoHundredMegabyteChunkedDownloadArrivesIntact() throws Exception
    {
        download("/download?bytes=" + SIZE + "&chunked", null);
    }

    private static void download(String path, String expectedLength) throws Exception
    {
        HttpRequest request = HttpRequest.newBuilder(balancer.resolve(path)).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        PatternBody.Digest got;
        try (InputStream in = r.body())
        {
            got = PatternBody.digest(in);
        }
        assertAlive();
        assertEquals(200, r.statusCode());
        assertEquals("app", r.headers().firstValue("X-Served-By").orElse(null));
        assertEquals(expectedLength, r.headers().firstValue("Content-Length").orElse(null));
        assertEquals(EXPECTED, got);
    }
}
