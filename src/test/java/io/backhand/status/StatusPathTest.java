package io.backhand.status;

import java.net.URI;
import java.net.http.HttpResponse;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.status.StatusServlet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page, its files and the metrics wherever the status lives: the default, the context root, a servlet declared by hand. */
@Tag("cluster")
class StatusPathTest
{
    private static EmbeddedNode.Builder node(String name)
    {
        return EmbeddedNode.builder(name)
            .param("backhand.multicastStats", Net.multicastLine())
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8")
            .stopTimeout(TwoNodes.GRACEFUL_STOP_MILLIS);
    }

    private static void assertStatusAt(EmbeddedNode node, String base)
    {
        URI root = node.uri().resolve(base);
        HttpResponse<String> page = Http.get(root);
        assertEquals(200, page.statusCode(), root.toString());
        assertTrue(page.body().contains("assets/status.js"), page.body());
        assertEquals(200, Http.get(root.resolve("assets/status.css")).statusCode());
        assertEquals(node.name(), Http.json(root).get("node").asText());
        HttpResponse<String> metrics = Http.get(root.resolve("metrics"));
        assertEquals(200, metrics.statusCode(), root.resolve("metrics").toString());
        PrometheusText.parse(metrics.body());
        assertTrue(metrics.body().contains("backhand_server_info{"), metrics.body());
    }

    @Test
    void atTheContextRootWhenStatusPathIsSlash() throws Exception
    {
        // The WAR beside an application at /backhand: the whole context is the status.
        try (EmbeddedNode node = node("rooted").param("backhand.statusPath", "/").start())
        {
            assertStatusAt(node, "/");
        }
    }

    @Test
    void underANestedStatusPath() throws Exception
    {
        try (EmbeddedNode node = node("nested").param("backhand.statusPath", "/ops/backhand").start())
        {
            assertStatusAt(node, "/ops/backhand/");
            HttpResponse<String> bare = Http.get(node.uri().resolve("/ops/backhand"));
            assertEquals(302, bare.statusCode());
            assertTrue(bare.headers().firstValue("Location").orElse("").endsWith("/ops/backhand/"));
            assertEquals("served by nested", Http.get(node.uri().resolve("/backhand/")).body().lines().findFirst().orElse(""),
                "the default path belongs to the application now");
        }
    }

    @Test
    void whereWebXmlMapsTheStatusServlet() throws Exception
    {
        EmbeddedNode node = node("declared").build();
        node.context().addServlet(StatusServlet.class, "/cluster/*");
        try (EmbeddedNode started = node.start())
        {
            assertStatusAt(started, "/cluster/");
            assertEquals("served by declared", Http.get(started.uri().resolve("/backhand/")).body().lines().findFirst().orElse(""));
        }
    }
}
