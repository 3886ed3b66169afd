package io.backhand.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.backhand.it.JettyProcess;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two roles of deploy/k8s without Kubernetes: the stock jetty-home on the repository's jetty-base with each
 * role's backhand.ini taken from config.yaml, as the ConfigMaps mount it, and changed only where a pod's
 * network differs from loopback (peers' names, the pod network, one UDP port each since both share an
 * address). deploy/backhand-probe then does what the kubelet would: both roles become ready, a request
 * through the balancer reaches the node, and the node's preStop drains it on the balancer's map and makes it
 * unready.
 */
class KubernetesRolesIT
{
    @TempDir
    Path work;

    private static String configMapIni(String name) throws Exception
    {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var parser = yaml.getFactory().createParser(Path.of("deploy", "k8s", "config.yaml").toFile()))
        {
            var docs = yaml.readValues(parser, JsonNode.class);
            while (docs.hasNext())
            {
                JsonNode doc = docs.next();
                if (doc.at("/metadata/name").asText().equals(name))
                    return doc.at("/data/backhand.ini").asText();
            }
        }
        throw new AssertionError("no ConfigMap " + name + " in deploy/k8s/config.yaml");
    }

    /** The role's ini with loopback for the pod network; every other line as the ConfigMap has it. */
    private static List<String> onLoopback(String ini, String nodeName, int listen, int peerPort, Path secret)
    {
        List<String> lines = new ArrayList<>();
        for (String line : ini.split("\n"))
        {
            if (line.startsWith("-Dbackhand.peers="))
                line = "-Dbackhand.peers=127.0.0.1:" + peerPort;
            else if (line.startsWith("-Dbackhand.acceptStats="))
                line = "-Dbackhand.acceptStats=127.0.0.0/8";
            lines.add(line);
        }
        // What the pod gets from its environment (BACKHAND_NODENAME, BACKHAND_SECRETFILE) and its own address.
        lines.add("-Dbackhand.nodeName=" + nodeName);
        lines.add("-Dbackhand.secretFile=" + secret);
        lines.add("-Dbackhand.listen=" + listen);
        // Skips the start-up speed benchmark, which two JVMs starting at once on a busy test machine make slow.
        lines.add("-Dbackhand.arriba=1000");
        return lines;
    }

    private static boolean readyProbe(int port)
    {
        try
        {
            return BackhandProbeScriptTest.probe(port, "ready").exit() == 0;
        }
        catch (java.io.IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bothRolesBecomeReadyServeAndTheNodeDrainsOnPreStop() throws Exception
    {
        Path secret = Files.writeString(work.resolve("secret"), java.util.UUID.randomUUID().toString());
        int balancerUdp = Net.freeUdpPort();
        int nodeUdp = Net.freeUdpPort();
        try (JettyProcess node = new JettyProcess("k8s-node", work);
             JettyProcess balancer = new JettyProcess("k8s-balancer", work))
        {
            node.writeIni("backhand.ini", onLoopback(configMapIni("backhand-node-ini"), "backhand-node-0", nodeUdp, balancerUdp, secret))
                .withStaticRoot("<h1>served by backhand-node-0</h1>\n").launch();
            balancer.writeIni("backhand.ini", onLoopback(configMapIni("backhand-balancer-ini"), "backhand-balancer-0", balancerUdp, nodeUdp, secret))
                .launch();
            node.awaitStarted();
            balancer.awaitStarted();

            for (JettyProcess p : List.of(node, balancer))
                Wait.until(Duration.ofSeconds(15), p.name() + " ready by its readiness probe",
                    () -> readyProbe(p.port()));
            Wait.until(Duration.ofSeconds(15), "the node on the balancer's map",
                () -> Http.json(balancer.uri().resolve("/backhand/")).get("servers").size() == 2);

            HttpResponse<String> page = Http.get(balancer.uri().resolve("/index.html"));
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("served by backhand-node-0"), page.body());
            JsonNode map = Http.json(balancer.uri().resolve("/backhand/"));
            assertTrue(map.at("/statsPlane/signed").asBoolean(), "announcements are signed with the mounted key");

            assertEquals(0, BackhandProbeScriptTest.probe(node.port(), "drain").exit());
            Wait.until(Duration.ofSeconds(5), "the node draining on the balancer's map", () -> {
                for (JsonNode s : Http.json(balancer.uri().resolve("/backhand/")).get("servers"))
                    if (s.get("name").asText().equals("backhand-node-0"))
                        return s.get("state").asText().equals("draining");
                return false;
            });
            assertEquals(1, BackhandProbeScriptTest.probe(node.port(), "ready").exit(), "a drained node is not ready");
            assertEquals(0, BackhandProbeScriptTest.probe(node.port(), "alive").exit());
            assertEquals(0, BackhandProbeScriptTest.probe(balancer.port(), "ready").exit());
        }
    }
}
