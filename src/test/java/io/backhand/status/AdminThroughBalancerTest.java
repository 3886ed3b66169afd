package io.backhand.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Closing;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.RawHttp;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status and admin of a node reached through a balancer, which passes the node's status path on because
 * its own status lives elsewhere. The node's access ranges hold the balancer's address (127.0.0.1) but not
 * the client's (127.0.0.2): the node must judge the client the balancer names, not the balancer. Both sides
 * are real sockets; the client's is bound to its loopback address.
 */
@Tag("cluster")
class AdminThroughBalancerTest
{
    private static final String INSIDE = "127.0.0.1";
    private static final String OUTSIDE = "127.0.0.2";
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EmbeddedNode app;
    private EmbeddedNode balancer;

    @BeforeEach
    void cluster() throws Exception
    {
        String multicast = Net.multicastLine();
        app = EmbeddedNode.builder("app")
            .param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8")
            .param("backhand.statusAccess", "127.0.0.1/32")
            .param("backhand.admin", "on")
            .param("backhand.adminAccess", "127.0.0.1/32")
            .stopTimeout(TwoNodes.GRACEFUL_STOP_MILLIS)
            .start();
        closeables.add(app);
        balancer = EmbeddedNode.builder("balancer")
            .param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8")
            .param("backhand.statusPath", "/balancer-status")
            .balance("removeSelf\nbyAge 6")
            .stopTimeout(TwoNodes.GRACEFUL_STOP_MILLIS)
            .start();
        closeables.add(0, balancer);
        Wait.until(Duration.ofSeconds(15), "the balancer sees the app",
            () -> Http.json(java.net.URI.create("http://127.0.0.1:" + balancer.port() + "/balancer-status/?format=json"))
                .get("servers").size() == 2);
    }

    @AfterEach
    void stop()
    {
        Closing.closeAll(closeables);
    }

    private String drain(String from)
    {
        return RawHttp.exchange(from, balancer.port(), "POST /backhand/admin/drain HTTP/1.1\r\nHost: shop.example\r\n"
            + "X-Backhand-Admin: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    private String appState()
    {
        JsonNode status = Http.json(app.statusUri());
        return status.get("state").asText();
    }

    @Test
    void adminThroughABalancerFromAClientOutsideAdminAccessIsRefused()
    {
        String answer = drain(OUTSIDE);
        assertEquals(403, RawHttp.status(answer), answer);
        assertTrue(answer.contains("Admin actions are allowed from loopback"), "the node's own refusal: " + answer);
        assertEquals("ready", appState(), "the node was not drained");

        // The same request from a client inside adminAccess, through the same balancer, is let in: what made
        // the difference is the client's address, not the path through the balancer.
        String allowed = drain(INSIDE);
        assertEquals(200, RawHttp.status(allowed), allowed);
        assertTrue(allowed.contains("app draining"), allowed);
        assertEquals("draining", appState());
    }

    @Test
    void theStatusThroughABalancerIsJudgedByTheClient()
    {
        String request = "GET /backhand/?format=json HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n";
        String outside = RawHttp.exchange(OUTSIDE, balancer.port(), request);
        assertEquals(403, RawHttp.status(outside), outside);
        assertTrue(!outside.contains("\"servers\""), outside);
        String inside = RawHttp.exchange(INSIDE, balancer.port(), request);
        assertEquals(200, RawHttp.status(inside), inside);
        assertTrue(inside.contains("\"node\":\"app\""), inside);
    }

    /**
     * A client cannot borrow the trust a balancer gets by writing the balancer's headers itself. Without a
     * secret, a marker from inside AcceptStats is believed, and the client names an address inside adminAccess;
     * but the peer, the client itself, is outside it, and both must be inside.
     */
    @Test
    void aForgedMarkerAndForwardedForStraightToTheNodeDoNotOpenAdmin() throws Exception
    {
        String answer = RawHttp.exchange(OUTSIDE, app.port(), "POST /backhand/admin/drain HTTP/1.1\r\nHost: x\r\n"
            + "X-Backhand-Admin: 1\r\nX-Backhand-Proxied: node=balancer; ts=" + System.currentTimeMillis() + "\r\n"
            + "X-Forwarded-For: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(403, RawHttp.status(answer), answer);
        assertEquals("ready", appState());
    }
}
