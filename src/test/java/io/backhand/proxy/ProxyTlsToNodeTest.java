package io.backhand.proxy;

import io.backhand.node.ProxyTls;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.config.ConfigException;
import io.backhand.config.Settings;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.SelfSignedKeyStore;
import io.backhand.testing.Wait;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS from the balancer to a node whose only port speaks HTTPS: the node announces itself secure, the balancer
 * proxies to it over TLS when it trusts the node's certificate (backhand.proxyTrust) and, unless
 * backhand.proxyVerifyHost is off, when the certificate names the node's address; otherwise the request fails
 * with 502 and nothing is sent in clear text. All on loopback: the node announces by unicast to each balancer's
 * own port, and balancers announce nothing, so no balancer is another's candidate.
 */
@Tag("cluster")
class ProxyTlsToNodeTest
{
    @TempDir
    Path dir;

    @RegisterExtension
    final StartedNodes nodes = new StartedNodes();

    private EmbeddedNode balancer(String name, int listen, Map<String, String> tls) throws Exception
    {
        EmbeddedNode.Builder b = EmbeddedNode.builder(name).port(Net.freeTcpPort()).balance("removeSelf")
            .param("backhand.acceptStats", "127.0.0.0/8").param("backhand.listen", Integer.toString(listen))
            .param("backhand.announceInterval", "200ms");
        tls.forEach(b::param);
        EmbeddedNode n = b.start();
        nodes.add(n);
        return n;
    }

    private EmbeddedNode secureNode(SelfSignedKeyStore keys, int... balancerPorts) throws Exception
    {
        return secureNode(keys, true, balancerPorts);
    }

    /**
     * @param sniHostCheck Jetty's check that a request's Host is a name the certificate holds; the proxy sends
     *                     the node's address as Host, so a node whose certificate does not hold it turns it off
     *                     (jetty.ssl.sniHostCheck=false in its start.d)
     */
    private EmbeddedNode secureNode(SelfSignedKeyStore keys, boolean sniHostCheck, int... balancerPorts) throws Exception
    {
        StringBuilder peers = new StringBuilder();
        for (int p : balancerPorts)
            peers.append("127.0.0.1:").append(p).append(' ');
        EmbeddedNode n = EmbeddedNode.builder("secure").port(Net.freeTcpPort()).tls(keys.server())
            .param("backhand.acceptStats", "127.0.0.0/8").param("backhand.peers", peers.toString().strip())
            .param("backhand.listen", Integer.toString(Net.freeUdpPort())).param("backhand.announceInterval", "200ms").build();
        nodes.add(n);
        HttpConfiguration http = n.server().getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
        http.getCustomizer(SecureRequestCustomizer.class).setSniHostCheck(sniHostCheck);
        n.start();
        return n;
    }

    private static JsonNode row(EmbeddedNode balancer, String name)
    {
        for (JsonNode s : Http.json(balancer.statusUri()).get("servers"))
            if (s.get("name").asText().equals(name))
                return s;
        return null;
    }

    private static void awaitOnMap(EmbeddedNode balancer, String name)
    {
        Wait.until(Duration.ofSeconds(10), name + " on " + balancer.name() + "'s map", () -> row(balancer, name) != null);
    }

    /** A node's new key, and a balancer "lb" that trusts its certificate and hears announcements on {@code listen}. */
    private record TrustedKey(SelfSignedKeyStore keys, int listen, EmbeddedNode balancer)
    {
    }

    private TrustedKey balancerTrustingANewKey() throws Exception
    {
        SelfSignedKeyStore keys = SelfSignedKeyStore.create(dir.resolve("node.p12"));
        Path pem = keys.exportCertificate(dir.resolve("node.pem"));
        int listen = Net.freeUdpPort();
        return new TrustedKey(keys, listen, balancer("lb", listen, Map.of("backhand.proxyTrust", pem.toString())));
    }

    @Test
    void aNodeThatAnnouncesTlsIsProxiedToOverTlsAndShownSecure() throws Exception
    {
        TrustedKey trusted = balancerTrustingANewKey();
        EmbeddedNode balancer = trusted.balancer();
        secureNode(trusted.keys(), trusted.listen());
        awaitOnMap(balancer, "secure");

        HttpResponse<String> page = Http.get(balancer.uri().resolve("/over-tls"));
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("secure", page.headers().firstValue("X-Served-By").orElse(""));
        assertEquals("https", page.headers().firstValue("X-Seen-Scheme").orElse(""), "the hop to the node was TLS");

        JsonNode secure = row(balancer, "secure");
        assertTrue(secure.get("secure").asBoolean(), secure.toPrettyString());
        assertEquals(1, secure.at("/fromThisNode/proxied").asInt(), secure.toPrettyString());
        assertFalse(row(balancer, "lb").get("secure").asBoolean(), "the balancer's own port is clear text");
    }

    @Test
    void aContactPortSetToTheTlsConnectorIsAnnouncedSecureBesideAClearOne() throws Exception
    {
        TrustedKey trusted = balancerTrustingANewKey();
        EmbeddedNode balancer = trusted.balancer();
        int tlsPort = Net.freeTcpPort();
        EmbeddedNode node = EmbeddedNode.builder("secure").port(tlsPort).tls(trusted.keys().server())
            .param("backhand.acceptStats", "127.0.0.0/8").param("backhand.peers", "127.0.0.1:" + trusted.listen())
            .param("backhand.listen", Integer.toString(Net.freeUdpPort())).param("backhand.announceInterval", "200ms")
            .param("backhand.contactPort", Integer.toString(tlsPort)).build();
        nodes.add(node);
        // A clear-text connector first: without backhand.contactPort the node would announce that one.
        ServerConnector clear = new ServerConnector(node.server(), 1, 1);
        clear.setHost("127.0.0.1");
        node.server().setConnectors(new Connector[] {clear, node.server().getConnectors()[0]});
        node.start();
        awaitOnMap(balancer, "secure");

        JsonNode row = row(balancer, "secure");
        assertEquals(tlsPort, row.get("port").asInt(), row.toPrettyString());
        assertTrue(row.get("secure").asBoolean(), row.toPrettyString());
        HttpResponse<String> page = Http.get(balancer.uri().resolve("/to-the-tls-port"));
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("https", page.headers().firstValue("X-Seen-Scheme").orElse(""));
    }

    @Test
    void aCertificateTheBalancerDoesNotTrustFailsTheRequest() throws Exception
    {
        SelfSignedKeyStore keys = SelfSignedKeyStore.create(dir.resolve("node.p12"));
        int listen = Net.freeUdpPort();
        // No backhand.proxyTrust: the JVM's default trust store, which does not know a self-signed certificate.
        EmbeddedNode balancer = balancer("lb-default-trust", listen, Map.of());
        secureNode(keys, listen);
        awaitOnMap(balancer, "secure");

        HttpResponse<String> page = Http.get(balancer.uri().resolve("/untrusted"));
        assertEquals(502, page.statusCode(), page.body());
        assertEquals(0, row(balancer, "secure").at("/fromThisNode/proxied").asInt());
    }

    @Test
    void theCertificateMustNameTheNodesAddressUnlessHostVerificationIsOff() throws Exception
    {
        // A certificate for a name only, as in a cluster whose nodes' addresses change (pods).
        SelfSignedKeyStore keys = SelfSignedKeyStore.create(dir.resolve("node.p12"), "dns:node.backhand.test");
        Path pem = keys.exportCertificate(dir.resolve("node.pem"));
        int verifying = Net.freeUdpPort();
        int notVerifying = Net.freeUdpPort();
        EmbeddedNode strict = balancer("lb-verify", verifying, Map.of("backhand.proxyTrust", pem.toString()));
        EmbeddedNode lenient = balancer("lb-no-verify", notVerifying,
            Map.of("backhand.proxyTrust", pem.toString(), "backhand.proxyVerifyHost", "off"));
        secureNode(keys, false, verifying, notVerifying);
        awaitOnMap(strict, "secure");
        awaitOnMap(lenient, "secure");

        HttpResponse<String> refused = Http.get(strict.uri().resolve("/name-mismatch"));
        assertEquals(502, refused.statusCode(), refused.body());

        HttpResponse<String> served = Http.get(lenient.uri().resolve("/name-mismatch"));
        assertEquals(200, served.statusCode(), served.body());
        assertEquals("https", served.headers().firstValue("X-Seen-Scheme").orElse(""));
    }

    @Test
    void aTrustFileThatHoldsNoCertificateStopsTheDeployment() throws Exception
    {
        ConfigException missing = assertThrows(ConfigException.class, () -> ProxyTls.read(
            Settings.ofContextParams(Map.of("backhand.proxyTrust", dir.resolve("absent.pem").toString()))));
        assertTrue(missing.getMessage().startsWith("backhand.proxyTrust (context-param"), missing.getMessage());
        assertTrue(missing.getMessage().contains("expected a readable file of PEM certificates"), missing.getMessage());

        Path empty = Files.writeString(dir.resolve("empty.pem"), "# no certificate here\n");
        ConfigException none = assertThrows(ConfigException.class, () -> ProxyTls.read(
            Settings.ofContextParams(Map.of("backhand.proxyTrust", empty.toString()))));
        assertTrue(none.getMessage().contains("PEM certificates"), none.getMessage());

        ConfigException onOff = assertThrows(ConfigException.class, () -> ProxyTls.read(
            Settings.ofContextParams(Map.of("backhand.proxyVerifyHost", "maybe"))));
        assertTrue(onOff.getMessage().contains("backhand.proxyVerifyHost"), onOff.getMessage());

        ProxyTls defaults = ProxyTls.read(Settings.ofContextParams(Map.of()));
        assertTrue(defaults.trusted().isEmpty());
        assertTrue(defaults.verifyHost());
        assertEquals("HTTPS", defaults.newClientFactory().getEndpointIdentificationAlgorithm());
    }
}
