package io.backhand.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/backhand-probe, the Kubernetes readiness and liveness probes and preStop hook, run with bash against a
 * real node on loopback: ready while the node is ready, not ready once drained, drain refused where the admin
 * action is off, and nothing to probe where no node answers.
 */
@Tag("cluster")
class BackhandProbeScriptTest
{
    static final Path SCRIPT = Path.of("deploy", "backhand-probe");

    record Run(int exit, String output)
    {
    }

    static Run probe(int port, String action) throws IOException, InterruptedException
    {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), action).redirectErrorStream(true);
        pb.environment().put("BACKHAND_PROBE_PORT", Integer.toString(port));
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "backhand-probe " + action + " did not finish");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void readyUntilDrainedThenNotReadyButAlive() throws Exception
    {
        try (EmbeddedNode node = EmbeddedNode.builder("probed").port(Net.freeTcpPort())
            .param("backhand.admin", "on").param("backhand.announceInterval", "100ms").start())
        {
            assertEquals(new Run(0, ""), probe(node.port(), "ready"));
            assertEquals(new Run(0, ""), probe(node.port(), "alive"));

            assertEquals(new Run(0, ""), probe(node.port(), "drain"));
            assertEquals("draining", Http.json(node.statusUri()).get("state").asText());

            assertEquals(1, probe(node.port(), "ready").exit(), "a draining node is not ready");
            assertEquals(0, probe(node.port(), "alive").exit(), "a draining node is alive");
        }
    }

    @Test
    void drainIsRefusedWhenTheAdminActionIsOff() throws Exception
    {
        try (EmbeddedNode node = EmbeddedNode.builder("no-admin").port(Net.freeTcpPort()).start())
        {
            Run drain = probe(node.port(), "drain");
            assertEquals(1, drain.exit());
            assertTrue(drain.output().contains("backhand.admin=on"), drain.output());
            assertEquals("ready", Http.json(node.statusUri()).get("state").asText());
        }
    }

    @Test
    void nothingListeningIsNeitherReadyNorAlive() throws Exception
    {
        int port = Net.freeTcpPort();
        assertNotEquals(0, probe(port, "ready").exit());
        assertNotEquals(0, probe(port, "alive").exit());
        assertEquals(2, probe(port, "nonsense").exit());
    }
}
