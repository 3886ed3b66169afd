package io.backhand.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.SelfSignedKeyStore;
import io.backhand.testing.Wait;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS and HTTP/2 at the front: a balancer in stock jetty-home on the repository's jetty-base plus
 * deploy/jetty-base-tls (Jetty's ssl, https and http2 modules) with a key store made for the test, and an
 * application node behind it. A client speaking HTTP/2 over TLS, as browsers do, gets the node's page.
 */
class TlsFrontIT
{
    @TempDir
    Path work;

    @Test
    void http2OverTlsThroughTheBalancerIsServedByTheNode() throws Exception
    {
        String multicast = Net.multicastLine();
        List<String> common = List.of("-Dbackhand.multicastStats=" + multicast, "-Dbackhand.interface=lo",
            "-Dbackhand.acceptStats=127.0.0.0/8");
        try (JettyProcess app = new JettyProcess("tls-app", work);
             JettyProcess balancer = new JettyProcess("tls-balancer", work))
        {
            app.writeIni("backhand.ini", concat(common, "-Dbackhand.contextPath=/backhand", "-Dbackhand.statusPath=/",
                "-Dbackhand.nodeName=app")).withStaticRoot("<h1>served by the application node</h1>\n").start();

            Files.copy(Path.of("deploy", "jetty-base-tls", "start.d", "tls.ini"), balancer.base().resolve("start.d/tls.ini"));
            SelfSignedKeyStore keys = SelfSignedKeyStore.create(balancer.base().resolve("etc/keystore.p12"));
            int tlsPort = Net.freeTcpPort();
            balancer.writeIni("keystore.ini", List.of("jetty.ssl.host=127.0.0.1", "jetty.ssl.port=" + tlsPort,
                "jetty.sslContext.keyStorePassword=" + keys.password()));
            balancer.writeIni("backhand.ini", concat(common, "-Dbackhand.contextPath=/", "-Dbackhand.nodeName=balancer")).start();

            Wait.until(Duration.ofSeconds(15), "the node on the balancer's map",
                () -> Http.json(balancer.uri().resolve("/backhand/")).get("servers").size() == 2);

            ClientConnector connector = new ClientConnector();
            connector.setSslContextFactory(keys.trustingClient());
            HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
            client.start();
            try
            {
                ContentResponse page = client.GET("https://127.0.0.1:" + tlsPort + "/index.html");
                assertEquals(200, page.getStatus(), page.getContentAsString());
                assertEquals(HttpVersion.HTTP_2, page.getVersion());
                assertTrue(page.getContentAsString().contains("served by the application node"), page.getContentAsString());
            }
            finally
            {
                client.stop();
            }

            assertFalse(balancer.logText().contains("Weak cipher suite"), "tls.ini leaves no weak cipher suite enabled");

            JsonNode status = Http.json(balancer.uri().resolve("/backhand/"));
            for (JsonNode s : status.get("servers"))
            {
                if (s.get("name").asText().equals("app"))
                    assertEquals(1, s.at("/fromThisNode/proxied").asInt(), s.toPrettyString());
                else
                {
                    // The balancer announces its clear-text port to the cluster, not the one clients use.
                    assertEquals(balancer.port(), s.get("port").asInt());
                    assertFalse(s.get("secure").asBoolean());
                }
            }
        }
    }

    /** Every setting tls.ini names, set or commented out, is one of the stock jetty-home's module properties. */
    @Test
    void theExampleNamesOnlyJettysOwnSettings() throws Exception
    {
        StringBuilder templates = new StringBuilder();
        try (var mods = Files.list(JettyProcess.JETTY_HOME.resolve("modules")))
        {
            for (Path mod : (Iterable<Path>) mods::iterator)
                if (mod.toString().endsWith(".mod"))
                    templates.append(Files.readString(mod));
        }
        java.util.regex.Pattern setting = java.util.regex.Pattern.compile("^#?\\s*(jetty\\.[A-Za-z0-9.]+)=");
        int checked = 0;
        for (String line : Files.readAllLines(Path.of("deploy", "jetty-base-tls", "start.d", "tls.ini")))
        {
            var m = setting.matcher(line);
            if (m.find())
            {
                assertTrue(templates.indexOf("# " + m.group(1) + "=") >= 0, m.group(1) + " is not a setting of jetty-home's modules");
                checked++;
            }
            else if (line.startsWith("--module="))
            {
                assertTrue(Files.isRegularFile(JettyProcess.JETTY_HOME.resolve("modules/" + line.substring(9) + ".mod")), line);
                checked++;
            }
        }
        assertEquals(8, checked, "three modules and five settings");
    }

    private static List<String> concat(List<String> a, String... b)
    {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }
}
