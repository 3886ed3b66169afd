package io.backhand.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.cluster.Destination;
import io.backhand.node.SettingsRegistry;
import io.backhand.config.Settings;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import io.backhand.node.NodeSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster of the ModBackhand wiki page on cluster configurations (a balancer in front of application servers), converted from
 * its httpd.conf lines and deployed: the balancer's web.xml as the root context of one Jetty, the application
 * server's beside an application in another, announcing over multicast pinned to lo with TTL 0. The
 * balancer must then balance exactly as the httpd.conf said.
 *
 * <p>The fixtures are the page's httpd.conf lines with the wiki markup and the prose taken out (see the
 * comment at the top of each): a converter that accepted {@code MulticastStats?} would also accept what
 * httpd refuses. {@link MigrationErrorsTest} shows what the page itself gets.</p>
 */
@Tag("cluster")
class WikiClusterMigrationTest
{
    @TempDir
    Path dir;

    static String resource(String name) throws IOException
    {
        try (InputStream in = WikiClusterMigrationTest.class.getResourceAsStream("/migrate/" + name))
        {
            if (in == null)
                throw new AssertionError("missing test resource migrate/" + name);
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean has(Migration m, Finding.Kind kind, int line, String text)
    {
        return m.findings().stream().anyMatch(f -> f.kind() == kind && f.line() == line && f.message().contains(text));
    }

    @Test
    void theBalancerConvertsToOneFilterOnEverythingWithTheSameChain() throws Exception
    {
        Migration m = HttpdConfConverter.convert(resource("balancer.conf"), "balancer.conf");

        assertEquals(1, m.filters().size(), m.filters().toString());
        FilterPlan f = m.filters().get(0);
        assertEquals(List.of("/*"), f.urlPatterns());
        assertEquals(List.of("Backhand removeSelf", "Backhand byAge 6", "Backhand byRandom", "Backhand byLogWindow",
            "Backhand byLoad"), f.chain());
        assertEquals("239.255.221.20:4445,1", m.contextParams().get(SettingsRegistry.MULTICAST_STATS.name()).value(),
            "web.xml is shared by every node, so it carries the group without this node's address");
        assertEquals("10.58.4.0/24", m.contextParams().get(SettingsRegistry.ACCEPT_STATS.name()).value());

        assertTrue(has(m, Finding.Kind.WARNING, 15, "taken to be the document root: url-pattern /*"), m.findings().toString());
        assertTrue(has(m, Finding.Kind.NOTE, 27, "IP-based virtual host"), m.findings().toString());
        assertTrue(has(m, Finding.Kind.NOTE, 30, "status page is built in and is already at /backhand/"), m.findings().toString());
        assertEquals(1, m.warnings().size(), m.warnings().toString());

        String xml = WebXmlWriter.write(m);
        assertTrue(xml.contains("<listener-class>io.backhand.web.BackhandContextListener</listener-class>"), xml);
        assertTrue(xml.contains("<filter-class>io.backhand.web.BackhandFilter</filter-class>\n    <async-supported>true</async-supported>"), xml);
        assertTrue(xml.contains("line 15: warning: <Directory /usr/local/www/htdocs/> is a filesystem path"), xml);

        String ini = StartIniWriter.write(m);
        assertTrue(ini.contains("\n-Dbackhand.multicastStats=10.58.4.1 239.255.221.20:4445,1\n"), ini);
        assertTrue(ini.contains("\n-Dbackhand.stateDir=/var/backhand/\n"), ini);
        assertTrue(ini.contains("\n-Dbackhand.acceptStats=10.58.4.0/24\n"), ini);
        assertTrue(ini.contains("\n-Dbackhand.contextPath=/\n"), ini);
        assertTrue(ini.contains("\n# jetty.http.host=10.58.4.1\n"), ini);
    }

    @Test
    void theApplicationServerConvertsToANodeThatOnlyAnnounces() throws Exception
    {
        Migration m = HttpdConfConverter.convert(resource("appserver.conf"), "appserver.conf");
        assertTrue(m.filters().isEmpty(), m.filters().toString());
        assertTrue(m.warnings().isEmpty(), m.warnings().toString());
        String ini = StartIniWriter.write(m);
        assertTrue(ini.contains("\n-Dbackhand.multicastStats=10.58.4.2 239.255.221.20:4445,1\n"), ini);
        assertTrue(ini.contains("\n-Dbackhand.contextPath=/backhand\n-Dbackhand.statusPath=/\n"), ini);
    }

    /** The ini's settings are read by the webapp's own reader: every name is a real parameter and every value valid. */
    @Test
    void theIniIsAcceptedByTheNodeSettingsReader() throws Exception
    {
        for (String conf : List.of("balancer.conf", "appserver.conf"))
        {
            Map<String, String> values = systemProperties(StartIniWriter.write(HttpdConfConverter.convert(resource(conf), conf)));
            assertEquals("/var/backhand/", values.get(SettingsRegistry.STATE_DIR.name()), conf);
            values.put(SettingsRegistry.STATE_DIR.name(), dir.resolve(conf).toString());
            Settings settings = Settings.ofContextParams(values);
            settings.rejectUnknown(SettingsRegistry.serverWideNames());
            NodeSettings node = NodeSettings.read(settings, dir.toFile());
            Destination d = node.stats().transport().destinations().get(0);
            assertEquals(Destination.Kind.MULTICAST, d.kind());
            assertEquals(1, d.ttl());
            assertEquals(InetAddress.getByName(conf.equals("balancer.conf") ? "10.58.4.1" : "10.58.4.2"), d.advertise());
            assertTrue(node.stats().acceptStats().accepts(InetAddress.getByName("10.58.4.77")), conf);
        }
    }

    private static Map<String, String> systemProperties(String ini)
    {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : ini.split("\n"))
        {
            if (line.startsWith("-D"))
            {
                int eq = line.indexOf('=');
                out.put(line.substring(2, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    @Test
    void theConvertedClusterDeploysAndTheBalancerSendsEveryRequestToTheApplicationServer() throws Exception
    {
        Migration balancerConf = HttpdConfConverter.convert(resource("balancer.conf"), "balancer.conf");
        Migration appConf = HttpdConfConverter.convert(resource("appserver.conf"), "appserver.conf");
        // Never the page's 239.255.221.20 over a real interface: a fresh group on lo with TTL 0, and loopback sources.
        String multicast = Net.multicastLine();
        String balancerXml = pinToLoopback(WebXmlWriter.write(balancerConf), multicast);
        String appXml = pinToLoopback(WebXmlWriter.write(appConf), multicast);

        List<GeneratedWebapp> started = new ArrayList<>();
        try
        {
            // The application server, as its ini says: the WAR at /backhand with the map at its root, beside the application.
            GeneratedWebapp app = GeneratedWebapp.deploy(dir.resolve("app1"), appXml, "/backhand",
                Map.of("backhand.nodeName", "app1", "backhand.interface", "lo", "backhand.statusPath", "/"), "app1");
            started.add(app);
            GeneratedWebapp balancer = GeneratedWebapp.deploy(dir.resolve("balancer"), balancerXml, "/",
                Map.of("backhand.nodeName", "balancer", "backhand.interface", "lo"), null);
            started.add(balancer);
            assertTrue(balancer.isAvailable() && app.isAvailable());

            Wait.until(Duration.ofSeconds(15), "the balancer hears the application server",
                () -> Http.json(balancer.uri("/backhand/")).get("servers").size() == 2);
            JsonNode status = Http.json(balancer.uri("/backhand/"));
            assertEquals(multicast, status.get("statsPlane").get("destinations").get(0).asText(), status.toPrettyString());
            JsonNode filters = status.get("filters");
            assertEquals(1, filters.size(), filters.toPrettyString());
            JsonNode filter = filters.get(0);
            assertEquals("directory-usr-local-www-htdocs", filter.get("name").asText());
            assertEquals(List.of("/*"), texts(filter.get("urlPatterns")));
            assertEquals(List.of("Backhand removeSelf", "Backhand byAge 6", "Backhand byRandom", "Backhand byLogWindow",
                "Backhand byLoad"), texts(filter.get("chain")));

            // removeSelf: the balancer serves nothing itself; every request reaches the application server.
            for (int i = 0; i < 20; i++)
            {
                HttpResponse<String> r = Http.get(balancer.uri("/page/" + i + "?q=" + i));
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("app1", r.headers().firstValue("X-Served-By").orElse(null), r.headers().map().toString());
            }

            JsonNode appStatus = Http.json(app.uri("/backhand/"));
            assertEquals("app1", appStatus.get("node").asText());
            assertEquals(0, appStatus.get("filters").size(), "the application server balances nothing itself");
        }
        finally
        {
            for (GeneratedWebapp w : started)
                w.close();
        }
    }

    @Test
    void withoutApplicationServersTheBalancerRefusesRatherThanServingItself() throws Exception
    {
        String xml = pinToLoopback(WebXmlWriter.write(HttpdConfConverter.convert(resource("balancer.conf"), "balancer.conf")),
            Net.multicastLine());
        try (GeneratedWebapp balancer = GeneratedWebapp.deploy(dir.resolve("alone"), xml, "/",
            Map.of("backhand.nodeName", "balancer", "backhand.interface", "lo"), null))
        {
            HttpResponse<String> r = Http.get(balancer.uri("/index.html"));
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.headers().map().toString());
        }
    }

    /** The converted web.xml with the network values a test must never use replaced by loopback ones. */
    static String pinToLoopback(String xml, String multicastLine)
    {
        String pinned = GeneratedWebapp.withContextParam(xml, SettingsRegistry.MULTICAST_STATS.name(), multicastLine);
        if (pinned.contains("<param-name>" + SettingsRegistry.ACCEPT_STATS.name() + "</param-name>"))
            pinned = GeneratedWebapp.withContextParam(pinned, SettingsRegistry.ACCEPT_STATS.name(), "127.0.0.0/8");
        assertFalse(pinned.contains("239.255.221.20"), pinned);
        assertFalse(pinned.contains("225.220.221.20"), pinned);
        return pinned;
    }

    static List<String> texts(JsonNode array)
    {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
