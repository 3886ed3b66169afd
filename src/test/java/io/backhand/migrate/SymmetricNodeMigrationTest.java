package io.backhand.migrate;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.node.SettingsRegistry;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A larger httpd.conf of a symmetric-cluster node, with every kind of block: its conversion is deployed and
 * the running filters must be the blocks that had Backhand lines, each with the url-patterns that say what
 * the block matched, and the server-wide directives must be in force.
 */
@Tag("cluster")
class SymmetricNodeMigrationTest
{
    @TempDir
    Path dir;

    private static Migration convert() throws Exception
    {
        return HttpdConfConverter.convert(WikiClusterMigrationTest.resource("symmetric-node.conf"), "symmetric-node.conf");
    }

    private static boolean has(Migration m, Finding.Kind kind, int line, String text)
    {
        return m.findings().stream().anyMatch(f -> f.kind() == kind && f.line() == line && f.message().contains(text));
    }

    @Test
    void everyDirectiveWithoutAnEquivalentIsReportedAtItsLine() throws Exception
    {
        Migration m = convert();
        String all = m.findings().toString();
        assertTrue(has(m, Finding.Kind.WARNING, 23, "BackhandModeratorPIDFile has no equivalent"), all);
        assertTrue(has(m, Finding.Kind.NOTE, 26, "applies only where mod_backhand is absent; skipped"), all);
        assertTrue(has(m, Finding.Kind.NOTE, 32, "ScriptAlias at line 31 serves it at /cgi-bin"), all);
        assertTrue(has(m, Finding.Kind.NOTE, 49, "byHostname is built into Backhand"), all);
        assertTrue(has(m, Finding.Kind.WARNING, 53, "cannot be expressed as servlet url-patterns"), all);
        assertTrue(has(m, Finding.Kind.WARNING, 59, "BackhandFromClass com.example.ByRack eu-west"), all);
        assertTrue(has(m, Finding.Kind.WARNING, 63, "is a name-based virtual host"), all);
        assertTrue(has(m, Finding.Kind.WARNING, 47, "both match requests such as /app/x.php"), all);
        // As TwoFiltersTest shows, the first matching filter decides alone.
        assertTrue(has(m, Finding.Kind.WARNING, 47, "alone, which comes first"), all);
        assertTrue(has(m, Finding.Kind.NOTE, 73, "backhand.statusPath=/backhand-status"), all);

        Map<String, Migration.Param> p = m.contextParams();
        assertEquals("225.220.221.20:4445,1", p.get(SettingsRegistry.MULTICAST_STATS.name()).value());
        assertEquals("192.168.10.0/24 10.1.0.0/16", p.get(SettingsRegistry.ACCEPT_STATS.name()).value());
        assertEquals("on", p.get(SettingsRegistry.SELF_REDIRECT.name()).value());
        assertEquals("off", p.get(SettingsRegistry.CONNECTION_POOLS.name()).value());
        assertEquals("net=debug, decision=debug", p.get(SettingsRegistry.LOG_LEVEL.name()).value());
        assertEquals("/backhand-status", p.get(SettingsRegistry.STATUS_PATH.name()).value());
        assertEquals("192.168.10.0/24 127.0.0.1", p.get(SettingsRegistry.STATUS_ACCESS.name()).value());

        String xml = WebXmlWriter.write(m);
        assertTrue(xml.contains("<!-- Commented out: no candidacy function is left"), xml);
        assertTrue(xml.contains("# BackhandFromSO libexec/byRack.so byRack eu-west"), xml);
        assertTrue(xml.contains("NOT MAPPED"), xml);
    }

    @Test
    void theConvertedWebXmlDeploysWithOneRunningFilterPerBlock() throws Exception
    {
        String xml = WikiClusterMigrationTest.pinToLoopback(WebXmlWriter.write(convert()), Net.multicastLine());
        try (GeneratedWebapp node = GeneratedWebapp.deploy(dir, xml, "/",
            Map.of("backhand.nodeName", "web11", "backhand.interface", "lo"), null))
        {
            assertTrue(node.isAvailable());
            // The status page moved to the <Location> of SetHandler backhand-handler.
            JsonNode status = Http.json(node.uri("/backhand-status/"));
            assertEquals("web11", status.get("node").asText());
            assertEquals(List.of("127.0.0.0/8"), WikiClusterMigrationTest.texts(status.get("statsPlane").get("acceptStats")));

            Map<String, JsonNode> filters = new TreeMap<>();
            status.get("filters").forEach(f -> filters.put(f.get("name").asText(), f));
            assertEquals(List.of("directory-var-www-cgi-bin", "files-php-asp", "location-app", "location-checkout",
                "location-reports-exports-0-9"), List.copyOf(filters.keySet()),
                "no filter for the commented-out <Location /legacy> nor for <IfModule !mod_backhand.c>");
            assertFilter(filters.get("directory-var-www-cgi-bin"), List.of("/cgi-bin/*"),
                List.of("Backhand byAge", "Backhand byRandom", "Backhand byLogWindow", "Backhand byLoad 0.5"));
            assertFilter(filters.get("location-app"), List.of("/app/*"),
                List.of("Backhand byAge 6", "Backhand bySession", "Backhand byCPU"));
            assertFilter(filters.get("files-php-asp"), List.of("*.php", "*.asp"),
                List.of("Backhand byAge", "Backhand byHostname ^www", "Backhand byBusyChildren 2"));
            assertFilter(filters.get("location-checkout"), List.of("/checkout/*"),
                List.of("Backhand byAge", "Backhand HTTPRedirectToName %s.shop.example.com"));
            assertFilter(filters.get("location-reports-exports-0-9"), List.of(), List.of("Backhand byAge", "Backhand byCost"));

            assertEquals(404, Http.get(node.uri("/backhand/?format=json")).statusCode(), "the status page is no longer at /backhand/");
        }
    }

    private static void assertFilter(JsonNode f, List<String> patterns, List<String> chain)
    {
        String name = f.get("name").asText();
        List<String> actual = WikiClusterMigrationTest.texts(f.get("urlPatterns"));
        assertEquals(new java.util.TreeSet<>(patterns), new java.util.TreeSet<>(actual), name);
        assertEquals(chain, WikiClusterMigrationTest.texts(f.get("chain")), name);
        assertFalse(f.toString().contains("legacy"), f.toString());
    }
}
