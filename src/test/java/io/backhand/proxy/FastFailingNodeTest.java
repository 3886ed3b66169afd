package io.backhand.proxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.backhand.demo.EmbeddedNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose application answers 503 at once, behind a latency ranking: the fastest answers in the cluster
 * are its failures. The balancer passes the 503 on (it came from the application) but prices it as a failure,
 * so the node gets the first request and then none for many seconds, instead of all of them.
 */
class FastFailingNodeTest
{
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop()
    {
        Nodes.closeAll(closeables);
    }

    /** Answers every request with 503 from the application, as an application whose database is gone does. */
    static final class Broken extends HttpServlet
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            response.setHeader("X-Served-By", "a-broken");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"byExpectedDelay", "byLatency"})
    void aNodeFailingFastGetsOneRequestNotTheFlood(String ranking) throws Exception
    {
        String cluster = Nodes.newCluster();
        // Name order puts a-broken first whenever the ranking ties, as it does while nothing is measured.
        closeables.add(Nodes.node("a-broken", cluster).app(new Broken()).start());
        closeables.add(Nodes.node("b-good", cluster).start());
        EmbeddedNode balancer = Nodes.node("balancer", cluster).balance("removeSelf\nbyAge 6\n" + ranking).start();
        closeables.add(0, balancer);
        Nodes.awaitServers(balancer, 3);
        Map<String, Integer> statuses = new HashMap<>();
        for (int i = 0; i < 60; i++)
        {
            RawHttp.Response r = RawHttp.exchange(balancer.port(), "GET", "/work/" + i, List.of("Host: shop.example"), null);
            statuses.merge(r.status() + " " + r.header("X-Served-By"), 1, Integer::sum);
        }
        int failures = statuses.getOrDefault("503 a-broken", 0);
        assertTrue(failures >= 1 && failures <= 2, "the broken node answered " + failures + " of 60: " + statuses);
        assertEquals(60 - failures, statuses.getOrDefault("200 b-good", 0), statuses.toString());
    }
}
