package io.backhand.node;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Closing;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.RawHttp;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drain through the admin POST, and a graceful leave when the webapp stops. */
@Tag("cluster")
class DrainAndLeaveTest
{
    private static final String SECRET = "drain-test-secret-0123456789";
    private final List<EmbeddedNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception
    {
        Closing.closeAll(nodes);
    }

    private EmbeddedNode start(EmbeddedNode.Builder b) throws Exception
    {
        EmbeddedNode n = b.start();
        nodes.add(n);
        return n;
    }

    private static EmbeddedNode.Builder node(String name, String multicast)
    {
        return EmbeddedNode.builder(name).param("backhand.multicastStats", multicast).param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.1/32").param("backhand.secret", SECRET)
            .param("backhand.admin", "on").param("backhand.adminAccess", "127.0.0.1/32");
    }

    private static String state(EmbeddedNode balancer, String name)
    {
        for (JsonNode s : Http.json(balancer.statusUri()).get("servers"))
        {
            if (s.get("name").asText().equals(name))
                return s.get("state").asText();
        }
        return "absent";
    }

    private static String post(String from, EmbeddedNode node, String path, String extraHeaders)
    {
        return RawHttp.exchange(from, node.port(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
            + "X-Backhand-Admin: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aDrainingNodeGetsNoNewRequestsButKeepsItsSessions() throws Exception
    {
        String multicast = Net.multicastLine();
        EmbeddedNode a = start(node("drain-a", multicast));
        EmbeddedNode b = start(node("drain-b", multicast));
        EmbeddedNode balancer = start(node("drain-bal", multicast).balance("removeSelf\nbyAge 6\nbyRandom\nbySession"));
        Wait.until(Duration.ofSeconds(10), "both nodes ready on the balancer",
            () -> state(balancer, "drain-a").equals("ready") && state(balancer, "drain-b").equals("ready"));

        // Without the anti-forgery header, refused even from loopback (a cross-site form could send that).
        String forged = RawHttp.exchange("127.0.0.1", a.port(), "POST /backhand/admin/drain HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(403, RawHttp.status(forged), forged);
        // Refused from outside adminAccess without the secret, accepted with it.
        assertEquals(403, RawHttp.status(post("127.0.0.2", a, "/backhand/admin/drain", "")));
        assertEquals("ready", state(a, "drain-a"));
        String ok = post("127.0.0.2", a, "/backhand/admin/drain", "Authorization: Bearer " + SECRET + "\r\n");
        assertEquals(200, RawHttp.status(ok), ok);
        assertTrue(ok.endsWith("drain-a draining\n"), ok);
        Wait.until(Duration.ofSeconds(5), "the balancer to see drain-a draining", () -> state(balancer, "drain-a").equals("draining"));

        long servedByA = a.served();
        for (int i = 0; i < 100; i++)
            assertEquals(200, Http.get(balancer.uri().resolve("/new/" + i)).statusCode());
        assertEquals(servedByA, a.served(), "a draining node must get no new requests");
        assertEquals(100, b.served());

        // A session owned by drain-a (Jetty's convention: the worker name after the last dot) still goes there.
        for (int i = 0; i < 20; i++)
        {
            HttpResponse<String> r = Http.CLIENT.send(HttpRequest.newBuilder(balancer.uri().resolve("/cart/" + i))
                .header("Cookie", "JSESSIONID=node0abc" + i + ".draina").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("drain-a", r.headers().firstValue("X-Served-By").orElse(""), "pinned session " + i);
        }
        assertEquals(servedByA + 20, a.served());

        assertEquals(200, RawHttp.status(post("127.0.0.1", a, "/backhand/admin/ready", "")));
        Wait.until(Duration.ofSeconds(5), "drain-a ready again", () -> state(balancer, "drain-a").equals("ready"));
    }

    @Test
    void adminActionsAreOffByDefault() throws Exception
    {
        EmbeddedNode n = start(EmbeddedNode.builder("no-admin").param("backhand.multicastStats", Net.multicastLine())
            .param("backhand.interface", "lo").param("backhand.acceptStats", "127.0.0.1/32"));
        assertEquals(404, RawHttp.status(post("127.0.0.1", n, "/backhand/admin/drain", "")));
        assertEquals("ready", state(n, "no-admin"));
    }

    @Test
    void aNodeWhoseWebappStopsIsDroppedAtOnceAndItsInFlightRequestsFinish() throws Exception
    {
        String multicast = Net.multicastLine();
        EmbeddedNode leaving = start(node("leave-a", multicast).stopTimeout(10_000));
        EmbeddedNode staying = start(node("leave-b", multicast));
        EmbeddedNode balancer = start(node("leave-bal", multicast).balance("removeSelf\nbyAge 6\nbyRandom"));
        Wait.until(Duration.ofSeconds(10), "both nodes on the balancer",
            () -> state(balancer, "leave-a").equals("ready") && state(balancer, "leave-b").equals("ready"));

        // A balancer learns from a node's first answers that its webapp marks them (see below).
        for (int i = 0; i < 10; i++)
            assertEquals(200, Http.get(balancer.uri().resolve("/warm/" + i)).statusCode());
        assertTrue(leaving.served() > 0);
        long servedBeforeSlow = leaving.served();

        // Slow requests, some of which are running on the node that leaves when its webapp stops.
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 12; i++)
            inFlight.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(balancer.uri().resolve("/slow/" + i + "?work=1500ms"))
                .build(), HttpResponse.BodyHandlers.ofString()));
        Wait.until(Duration.ofSeconds(5), "slow requests running on leave-a", () -> leaving.served() >= servedBeforeSlow + 2);

        long stoppedAt = System.nanoTime();
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() ->
        {
            try
            {
                leaving.context().stop();
            }
            catch (Exception e)
            {
                throw new IllegalStateException(e);
            }
        });
        // Until the balancer hears that leave-a is leaving, it may still send it requests, which meet the
        // container's 404 for a stopping webapp: the balancer must take them elsewhere.
        List<CompletableFuture<HttpResponse<String>>> duringLeave = new ArrayList<>();
        for (int i = 0; i < 20; i++)
            duringLeave.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(balancer.uri().resolve("/during/" + i)).build(),
                HttpResponse.BodyHandlers.ofString()));
        Wait.until(Duration.ofSeconds(1), "the balancer to drop leave-a within one announce interval",
            () -> state(balancer, "leave-a").equals("absent"));
        double droppedAfter = (System.nanoTime() - stoppedAt) / 1e9;

        for (CompletableFuture<HttpResponse<String>> f : duringLeave)
        {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), "a request sent while leave-a was leaving: " + r.body());
        }
        for (CompletableFuture<HttpResponse<String>> f : inFlight)
        {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), "an in-flight request failed: " + r.body());
        }
        stop.get();
        for (int i = 0; i < 20; i++)
        {
            HttpResponse<String> r = Http.get(balancer.uri().resolve("/after/" + i));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("leave-b", r.headers().firstValue("X-Served-By").orElse(""));
        }
        assertTrue(droppedAfter < 1.0, "dropped after " + droppedAfter + " s");
    }
}
