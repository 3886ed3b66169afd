package io.backhand.status;


import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status JSON of a real two-node cluster, read with Jackson: its figures match what was done to the
 * cluster, and its shape matches docs/status.md field for field, so the documented schema cannot drift.
 */
@Tag("cluster")
class StatusJsonTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Objects whose keys are data (outcome, server or reason words), documented as one field. */
    private static final List<String> MAPS = List.of("filters[].requests", "filters[].byServer", "statsPlane.dropped");
    private static TwoNodes cluster;

    @BeforeAll
    static void start() throws Exception
    {
        cluster = new TwoNodes();
        cluster.balance(20);
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (cluster != null)
            cluster.close();
    }

    private static HttpResponse<String> get(URI uri, String accept) throws Exception
    {
        return Http.CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", accept).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode server(JsonNode status, String name)
    {
        for (JsonNode s : status.get("servers"))
        {
            if (s.get("name").asText().equals(name))
                return s;
        }
        throw new AssertionError(name + " not in " + status.toPrettyString());
    }

    @Test
    void theFiguresAreWhatTheBalancerDid() throws Exception
    {
        HttpResponse<String> r = get(cluster.balancer.statusUri().resolve("?format=json"), "*/*");
        assertEquals(200, r.statusCode());
        assertEquals("application/json;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase());
        JsonNode status = JSON.readTree(r.body());

        assertEquals(1, status.get("schema").asInt());
        assertEquals("balancer", status.get("node").asText());
        assertEquals("ready", status.get("state").asText());
        assertTrue(status.get("alone").isNull());
        assertEquals(List.of("app1", "balancer"), status.get("servers").findValuesAsText("name").subList(0, 2));

        JsonNode app = server(status, "app1");
        JsonNode self = server(status, "balancer");
        assertFalse(app.get("self").asBoolean());
        assertTrue(self.get("self").asBoolean());
        assertFalse(app.get("stale").asBoolean());
        assertEquals(cluster.app.port(), app.get("port").asInt());
        assertTrue(app.get("workersTotal").asInt() > 0 && app.get("memoryTotalBytes").asLong() > 0, app.toPrettyString());

        JsonNode seen = app.get("fromThisNode");
        assertEquals(20, seen.get("proxied").asLong());
        assertEquals(0, seen.get("failed").asLong());
        assertEquals(0, seen.get("inFlight").asInt());
        assertTrue(seen.get("averageMicros").asLong() > 0 && seen.get("p99Micros").asLong() >= seen.get("averageMicros").asLong() / 2);
        assertEquals(20, seen.get("lastMinute").asLong());
        assertEquals(1.0, seen.get("shareLastMinute").asDouble());
        assertEquals(60, seen.get("perSecond").size());
        long sum = 0;
        for (JsonNode c : seen.get("perSecond"))
            sum += c.asLong();
        assertEquals(20, sum);
        assertEquals(0, self.get("fromThisNode").get("proxied").asLong());
        assertEquals(0.0, self.get("fromThisNode").get("shareLastMinute").asDouble());

        JsonNode filter = status.get("filters").get(0);
        assertEquals("backhand", filter.get("name").asText());
        assertEquals(List.of("/*"), List.of(JSON.treeToValue(filter.get("urlPatterns"), String[].class)));
        assertEquals(List.of("removeSelf", "byAge 6"), List.of(JSON.treeToValue(filter.get("chain"), String[].class)));
        assertEquals(Map.of("local", 0L, "proxied", 20L, "redirected", 0L, "unavailable", 0L, "failed", 0L, "retried", 0L,
            "client_error", 0L),
            new TreeMap<>(JSON.convertValue(filter.get("requests"), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() { })));
        assertEquals(20, filter.get("byServer").get("app1").get("proxied").asLong());
        assertFalse(filter.get("byServer").get("app1").has("unavailable"), "503s never name a server");

        assertEquals(List.of("127.0.0.0/8"), List.of(JSON.treeToValue(status.get("statsPlane").get("acceptStats"), String[].class)));
        assertEquals(List.of(cluster.multicast), List.of(JSON.treeToValue(status.get("statsPlane").get("destinations"), String[].class)));
        assertTrue(status.get("statsPlane").get("accepted").asLong() > 0);
    }

    @Test
    void theSameUrlAnswersJsonOrThePageByAcceptHeader() throws Exception
    {
        HttpResponse<String> json = get(cluster.balancer.statusUri(), "application/json");
        assertEquals(200, json.statusCode());
        assertEquals("balancer", JSON.readTree(json.body()).get("node").asText());

        HttpResponse<String> page = get(cluster.balancer.statusUri(), "text/html,application/xhtml+xml,application/json;q=0.9");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<table id=\"servers\">"), page.body());
        assertTrue(page.body().contains("<title>Backhand · balancer</title>"), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("connect-src 'self'"));
    }

    @Test
    void thePageAndItsFilesComeFromThisServerOnly() throws Exception
    {
        HttpResponse<String> redirect = get(cluster.balancer.uri().resolve("/backhand?format=json"), "*/*");
        assertEquals(302, redirect.statusCode());
        assertTrue(redirect.headers().firstValue("Location").orElse("").endsWith("/backhand/?format=json"));
        assertEquals(404, get(cluster.balancer.statusUri().resolve("nothing-here"), "*/*").statusCode());
        assertEquals(404, get(cluster.balancer.statusUri().resolve("assets/status.html"), "*/*").statusCode());
        assertEquals(404, get(cluster.balancer.statusUri().resolve("assets/"), "*/*").statusCode());

        String html = get(cluster.balancer.statusUri(), "text/html").body();
        for (String file : List.of("status.js", "status.css"))
        {
            HttpResponse<String> r = get(cluster.balancer.statusUri().resolve("assets/" + file), "*/*");
            assertEquals(200, r.statusCode(), file);
            String etag = r.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = Http.CLIENT.send(HttpRequest.newBuilder(cluster.balancer.statusUri().resolve("assets/" + file))
                .header("If-None-Match", etag).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(304, again.statusCode(), file);
            assertNoForeignUrl(file, r.body());
        }
        assertNoForeignUrl("the page", html);
    }

    /** No CDN, font service or other origin: clusters are often offline. */
    private static void assertNoForeignUrl(String what, String text)
    {
        Matcher m = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}").matcher(text);
        while (m.find())
        {
            String url = m.group();
            assertTrue(url.equals("http://www.w3.org"), what + " refers to another server: " + url);
        }
    }

    @Test
    void theShapeIsExactlyTheDocumentedSchema() throws Exception
    {
        JsonNode status = Http.json(cluster.balancer.statusUri());
        Map<String, String> actual = new TreeMap<>();
        shape("", status, actual);
        Map<String, String> documented = new TreeMap<>();
        String text = Files.readString(Path.of("docs", "status.md"));
        String section = text.substring(text.indexOf("## JSON"), text.indexOf("## Prometheus metrics"));
        Matcher m = Pattern.compile("^\\| `([A-Za-z0-9\\[\\].]+)` \\| ([a-z ]+) \\|", Pattern.MULTILINE).matcher(section);
        while (m.find())
            documented.put(m.group(1), m.group(2).strip());
        assertEquals(documented.keySet(), actual.keySet());
        for (Map.Entry<String, String> e : actual.entrySet())
        {
            String doc = documented.get(e.getKey());
            // An empty array shows no element type; the documentation names it.
            // A field documented "X or null" may be null (read as "string or null") or an X here.
            boolean ok = e.getValue().equals(doc) || e.getValue().equals("array") && doc.startsWith("array")
                || doc.endsWith(" or null") && (e.getValue().equals("string or null") || doc.startsWith(e.getValue() + " or"));
            assertTrue(ok, e.getKey() + " is " + e.getValue() + " but documented as " + doc);
        }
    }

    /** Every field's path and JSON type; arrays of objects are descended into, as {@code name[]}. */
    private static void shape(String path, JsonNode node, Map<String, String> out) throws IOException
    {
        if (node.isObject() && !MAPS.contains(path))
        {
            if (!path.isEmpty() && !path.endsWith("[]"))
                out.put(path, "object");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); )
            {
                Map.Entry<String, JsonNode> e = it.next();
                shape(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
            return;
        }
        if (node.isArray() && node.size() > 0 && node.get(0).isObject())
        {
            out.put(path, "array of objects");
            for (JsonNode item : node)
                shape(path + "[]", item, out);
            return;
        }
        out.put(path, type(path, node));
    }

    private static String type(String path, JsonNode node)
    {
        if (MAPS.contains(path))
            return "object";
        if (node.isTextual())
            return "string";
        if (node.isNull())
            return "string or null";
        if (node.isBoolean())
            return "boolean";
        if (node.isIntegralNumber())
            return "integer";
        if (node.isNumber())
            return "number";
        if (node.isArray())
        {
            if (node.size() == 0)
                return "array";
            return node.get(0).isTextual() ? "array of strings" : node.get(0).isIntegralNumber() ? "array of integers" : "array";
        }
        throw new AssertionError(path + ": unexpected " + node);
    }
}
