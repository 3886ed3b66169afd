package io.backhand.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built WAR in a stock jetty-home 12.1.12 through the project's jetty-base, as two
 * separate Jetty processes on loopback: a dedicated balancer (WAR at the root) and an application node (WAR at
 * /backhand beside a static application), each with its own per-node overrides in start.d.
 */
@Tag("cluster")
class StockJettyIT
{
    @TempDir
    Path work;

    @Test
    void aPageThroughTheBalancerIsServedByTheOtherProcess() throws Exception
    {
        String multicast = Net.multicastLine();
        try (JettyProcess app = new JettyProcess("app-node", work);
             JettyProcess balancer = new JettyProcess("balancer", work))
        {
            app.writeIni("backhand.ini", JettyProcess.backhandIni("/backhand", "app-node", multicast, "-Dbackhand.statusPath=/"))
                .withStaticRoot("<h1>served by the application node</h1>\n").start();
            balancer.writeIni("backhand.ini", JettyProcess.backhandIni("/", "balancer", multicast)).start();

            Wait.until(Duration.ofSeconds(15), "both nodes on the balancer's map",
                () -> Http.json(balancer.uri().resolve("/backhand/")).get("servers").size() == 2);
            HttpResponse<String> page = Http.get(balancer.uri().resolve("/index.html"));
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("served by the application node"), page.body());

            JsonNode status = Http.json(balancer.uri().resolve("/backhand/"));
            Set<String> names = new HashSet<>();
            for (JsonNode s : status.get("servers"))
                names.add(s.get("name").asText());
            assertEquals(Set.of("balancer", "app-node"), names, status.toPrettyString());
            for (JsonNode s : status.get("servers"))
            {
                if (s.get("name").asText().equals("app-node"))
                {
                    assertEquals(app.port(), s.get("port").asInt());
                    assertEquals(1, s.get("fromThisNode").get("proxied").asInt(), s.toPrettyString());
                }
            }
            // A POST with a small body is read whole at the balancer before it goes on (request buffering, which
            // needs the filter mapped to async dispatches from web.xml's listener): the node answers it as it
            // answers the same POST sent to it directly.
            HttpRequest post = HttpRequest.newBuilder(balancer.uri().resolve("/index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("a small body")).build();
            HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri().resolve("/index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("a small body")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> buffered = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
            assertEquals(direct.statusCode(), buffered.statusCode(), buffered.body());
            assertTrue(!balancer.logText().contains("request buffering is off"), balancer.logText());

            // The application node shows its own map at /backhand/ (statusPath=/), listing both as well.
            JsonNode appStatus = Http.json(app.uri().resolve("/backhand/"));
            assertEquals(2, appStatus.get("servers").size(), appStatus.toPrettyString());
            assertTrue(balancer.logText().contains("Backhand") && balancer.logText().contains("as node balancer"));
        }
    }
}
