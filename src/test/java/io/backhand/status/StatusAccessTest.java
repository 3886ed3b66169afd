package io.backhand.status;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Net;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may see the status map: clients are real TCP connections from chosen loopback source addresses (the
 * JDK's HttpClient cannot bind one, so requests are written by hand on a bound socket).
 */
@Tag("cluster")
class StatusAccessTest
{
    private static final String INSIDE = "127.0.0.1";
    private static final String OUTSIDE = "127.0.0.2";

    record Answer(int status, String head, String body)
    {
    }

    static Answer request(String from, int port, String method, String path)
    {
        try (Socket s = new Socket())
        {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, end < 0 ? "" : text.substring(end + 4));
        }
        catch (Exception e)
        {
            throw new AssertionError(method + " " + path + " from " + from + ": " + e, e);
        }
    }

    private static EmbeddedNode node(String statusAccess) throws Exception
    {
        EmbeddedNode.Builder b = EmbeddedNode.builder("guarded")
            .param("backhand.multicastStats", Net.multicastLine())
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8")
            .stopTimeout(TwoNodes.GRACEFUL_STOP_MILLIS);
        if (statusAccess != null)
            b.param("backhand.statusAccess", statusAccess);
        return b.start();
    }

    @Test
    void aClientOutsideStatusAccessGets403AndOneInsideGetsThePage() throws Exception
    {
        try (EmbeddedNode node = node("127.0.0.1/32"))
        {
            int port = node.port();
            for (String path : new String[] {"/backhand/", "/backhand/?format=json", "/backhand/metrics",
                "/backhand/assets/status.js", "/backhand"})
            {
                Answer outside = request(OUTSIDE, port, "GET", path);
                assertEquals(403, outside.status(), path + " from " + OUTSIDE + ":\n" + outside.head());
                assertTrue(!outside.body().contains("balancer") && !outside.body().contains("guarded"), outside.body());
            }
            Answer page = request(INSIDE, port, "GET", "/backhand/");
            assertEquals(200, page.status(), page.head());
            assertTrue(page.body().contains("<table id=\"servers\">"), page.body());
            Answer json = request(INSIDE, port, "GET", "/backhand/?format=json");
            assertEquals(200, json.status(), json.head());
            assertTrue(json.body().contains("\"node\":\"guarded\""), json.body());
            Answer metrics = request(INSIDE, port, "GET", "/backhand/metrics");
            assertEquals(200, metrics.status(), metrics.head());
            assertTrue(metrics.body().contains("backhand_cluster_servers"), metrics.body());

            // The rule guards the status only: the application itself still answers everyone.
            assertEquals(200, request(OUTSIDE, port, "GET", "/app").status());
        }
    }

    @Test
    void byDefaultAllOfLoopbackMaySee() throws Exception
    {
        try (EmbeddedNode node = node(null))
        {
            assertEquals(200, request(OUTSIDE, node.port(), "GET", "/backhand/").status());
            assertEquals(200, request(OUTSIDE, node.port(), "GET", "/backhand/metrics").status());
        }
    }

    @Test
    void nothingOnTheStatusPagesChangesAnything() throws Exception
    {
        try (EmbeddedNode node = node("127.0.0.1/32"))
        {
            for (String method : new String[] {"POST", "PUT", "DELETE"})
            {
                for (String path : new String[] {"/backhand/", "/backhand/metrics"})
                {
                    Answer a = request(INSIDE, node.port(), method, path);
                    assertEquals(405, a.status(), method + " " + path + ":\n" + a.head());
                }
            }
            // And a refused client learns nothing, not even which methods exist.
            assertEquals(403, request(OUTSIDE, node.port(), "POST", "/backhand/").status());
        }
    }
}
