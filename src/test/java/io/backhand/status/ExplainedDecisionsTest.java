package io.backhand.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Net;
import io.backhand.testing.RawHttp;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Explaining a decision on a real cluster (two application nodes and a balancer on loopback): a client inside
 * {@code backhand.statusAccess} (127.0.0.1/32) that sends {@code X-Backhand-Explain} gets the chain's trace in
 * {@code X-Backhand-Decision}, and the filter's decision list in the status JSON shows it; the same header
 * from 127.0.0.2, outside that range, changes nothing. Requests are written on sockets bound to each source
 * address, since the JDK's client cannot choose one.
 */
@Tag("cluster")
class ExplainedDecisionsTest
{
    private static final String INSIDE = "127.0.0.1";
    private static final String OUTSIDE = "127.0.0.2";
    private static final String CHAIN = "removeSelf\nbyAge 6\nbyBusyChildren\nbyLogWindow";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<EmbeddedNode> nodes = new ArrayList<>();
    private static EmbeddedNode balancer;

    record Answer(int status, String head)
    {
        String header(String name)
        {
            for (String line : head.split("\r\n"))
            {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name))
                    return line.substring(colon + 1).strip();
            }
            return null;
        }
    }

    @BeforeAll
    static void start() throws Exception
    {
        String multicast = Net.multicastLine();
        for (String name : List.of("app1", "app2"))
            nodes.add(node(name, multicast).start());
        balancer = node("balancer", multicast).balance(CHAIN).param("backhand.statusAccess", INSIDE + "/32").start();
        nodes.add(balancer);
        Wait.until(Duration.ofSeconds(15), "three servers in the balancer's map", () -> status().get("servers").size() == 3);
    }

    private static EmbeddedNode.Builder node(String name, String multicast)
    {
        return EmbeddedNode.builder(name)
            .param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8")
            .stopTimeout(TwoNodes.GRACEFUL_STOP_MILLIS);
    }

    @AfterAll
    static void stop() throws Exception
    {
        for (EmbeddedNode n : nodes)
            n.close();
    }

    private static Answer get(String from, String path, boolean explain)
    {
        String answer = RawHttp.exchange(from, balancer.port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + balancer.port() + "\r\n" + (explain ? "X-Backhand-Explain: 1\r\n" : "") + "Connection: close\r\n\r\n");
        int end = answer.indexOf("\r\n\r\n");
        return new Answer(RawHttp.status(answer), end < 0 ? answer : answer.substring(0, end));
    }

    private static JsonNode status()
    {
        String answer = RawHttp.exchange(INSIDE, balancer.port(), "GET /backhand/?format=json HTTP/1.1\r\nHost: 127.0.0.1:"
            + balancer.port() + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, RawHttp.status(answer), answer);
        try
        {
            return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
        catch (java.io.IOException e)
        {
            throw new AssertionError("the status JSON does not parse: " + e, e);
        }
    }

    /** The filter's listed decisions for {@code path}. */
    private static List<JsonNode> decisions(String path) throws Exception
    {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode d : status().get("filters").get(0).get("decisions"))
        {
            if (d.get("path").asText().equals(path))
                out.add(d);
        }
        return out;
    }

    @Test
    void aClientInsideStatusAccessGetsTheTraceAndTheStatusListsIt() throws Exception
    {
        Answer a = get(INSIDE, "/explained", true);
        assertEquals(200, a.status(), a.head());
        String servedBy = a.header("X-Served-By");
        assertTrue("app1".equals(servedBy) || "app2".equals(servedBy), a.head());
        String trace = a.header("X-Backhand-Decision");
        assertNotNull(trace, "no trace in:\n" + a.head());
        // Every step of the chain in order, ranked figures on byBusyChildren, and the winner the one that served.
        assertTrue(trace.matches("start: [^;]*; removeSelf: [^;]*; byAge 6: [^;]*; byBusyChildren: "
            + "app[12]=\\d+ app[12]=\\d+; byLogWindow: [^;]*; -> proxy " + servedBy), trace);
        assertFalse(trace.substring(trace.indexOf("removeSelf:"), trace.indexOf("; byAge")).contains("balancer"),
            "removeSelf leaves this node out: " + trace);

        List<JsonNode> listed = decisions("/explained");
        assertEquals(1, listed.size(), listed.toString());
        JsonNode d = listed.get(0);
        assertTrue(d.get("asked").asBoolean());
        assertEquals("GET", d.get("method").asText());
        assertEquals("proxy", d.get("outcome").asText());
        assertEquals(servedBy, d.get("winner").asText());
        List<String> functions = new ArrayList<>();
        d.get("steps").forEach(s -> functions.add(s.get("function").asText()));
        assertEquals(List.of("start", "removeSelf", "byAge 6", "byBusyChildren", "byLogWindow"), functions);
        JsonNode ranked = d.get("steps").get(3).get("candidates");
        assertEquals(2, ranked.size(), ranked.toString());
        for (JsonNode c : ranked)
            assertTrue(c.get("figure").isNumber(), "byBusyChildren ranks by busy workers: " + ranked);
        for (JsonNode c : d.get("steps").get(2).get("candidates"))
            assertTrue(c.get("figure").isNull(), "byAge ranks nothing: " + d.get("steps").get(2));
        assertEquals(servedBy, d.get("steps").get(4).get("candidates").get(0).get("server").asText());
    }

    @Test
    void aRetriedRequestKeepsTheTraceOfItsDecision() throws Exception
    {
        // In name order app1 is always first: once it is gone without a word, the request fails there and is
        // retried on app2, and the answer still explains the decision that chose app1.
        String multicast = Net.multicastLine();
        try (EmbeddedNode app1 = node("app1", multicast).start(); EmbeddedNode app2 = node("app2", multicast).start();
             EmbeddedNode front = node("balancer", multicast).balance("removeSelf\nbyAge 6").start())
        {
            Wait.until(Duration.ofSeconds(15), "three servers in the map",
                () -> io.backhand.testing.Http.json(front.statusUri()).get("servers").size() == 3);
            Nodes.crash(app1);
            String answer = RawHttp.exchange(INSIDE, front.port(), "GET /retried HTTP/1.1\r\nHost: 127.0.0.1:"
                + front.port() + "\r\nX-Backhand-Explain: 1\r\nConnection: close\r\n\r\n");
            Answer a = new Answer(RawHttp.status(answer), answer.substring(0, answer.indexOf("\r\n\r\n")));
            assertEquals(200, a.status(), a.head());
            assertEquals("app2", a.header("X-Served-By"), a.head());
            assertEquals("start: app1 app2 balancer; removeSelf: app1 app2; byAge 6: app1 app2; -> proxy app1",
                a.header("X-Backhand-Decision"), a.head());
        }
    }

    @Test
    void theSameHeaderFromOutsideStatusAccessChangesNothing() throws Exception
    {
        Answer a = get(OUTSIDE, "/outside", true);
        assertEquals(200, a.status(), a.head());
        assertNotNull(a.header("X-Served-By"), "the request is balanced as any other: " + a.head());
        assertNull(a.header("X-Backhand-Decision"), a.head());
        // It may be the second's sampled decision, but never one listed as asked for.
        for (JsonNode d : decisions("/outside"))
            assertFalse(d.get("asked").asBoolean(), d.toString());
    }

    @Test
    void withoutTheHeaderNoTraceIsSentEvenToAnAllowedClient() throws Exception
    {
        Answer a = get(INSIDE, "/plain", false);
        assertEquals(200, a.status(), a.head());
        assertNull(a.header("X-Backhand-Decision"), a.head());
        for (JsonNode d : decisions("/plain"))
            assertFalse(d.get("asked").asBoolean(), d.toString());
    }
}
