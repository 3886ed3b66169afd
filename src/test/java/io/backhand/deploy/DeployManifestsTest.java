package io.backhand.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.backhand.node.SettingsRegistry;
import io.backhand.config.Settings;
import io.backhand.node.NodeSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What can be checked of deploy/ without a container engine or a cluster: every manifest parses, the
 * manifests agree with each other (Services select the pods, names, ports, the Secret and ConfigMaps they
 * mount), the Dockerfile builds on the official Jetty image from the jetty-base the integration tests start and
 * the WAR, the start.d settings they pass are Backhand's settings, and the probes ask for what the product
 * serves.
 */
class DeployManifestsTest
{
    static final Path DEPLOY = Path.of("deploy");
    static final Path K8S = DEPLOY.resolve("k8s");
    static final String JETTY_BASE_IN_IMAGE = "/var/lib/jetty/";

    static final List<JsonNode> RESOURCES = new ArrayList<>();
    static final Map<String, JsonNode> BY_KIND_AND_NAME = new LinkedHashMap<>();
    static JsonNode KUSTOMIZATION;

    @BeforeAll
    static void parseEveryManifest() throws IOException
    {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        KUSTOMIZATION = yaml.readTree(K8S.resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        KUSTOMIZATION.get("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(K8S))
        {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                .forEach(present::add);
        }
        assertEquals(present, listed, "kustomization.yaml lists every manifest and only those");

        for (String file : listed)
        {
            try (var parser = yaml.getFactory().createParser(K8S.resolve(file).toFile()))
            {
                for (JsonNode doc : (Iterable<JsonNode>) () -> {
                    try
                    {
                        return yaml.readValues(parser, JsonNode.class);
                    }
                    catch (IOException e)
                    {
                        throw new IllegalStateException(file + ": " + e.getMessage(), e);
                    }
                })
                {
                    if (doc == null || doc.isEmpty())
                        continue;
                    for (String field : List.of("apiVersion", "kind", "metadata"))
                        assertNotNull(doc.get(field), file + ": a resource without " + field);
                    String key = doc.get("kind").asText() + "/" + doc.at("/metadata/name").asText();
                    assertFalse(BY_KIND_AND_NAME.containsKey(key), key + " is defined twice");
                    BY_KIND_AND_NAME.put(key, doc);
                    RESOURCES.add(doc);
                }
            }
        }
        assertFalse(RESOURCES.isEmpty());
    }

    static List<JsonNode> ofKind(String kind)
    {
        return RESOURCES.stream().filter(r -> r.get("kind").asText().equals(kind)).toList();
    }

    static JsonNode get(String kind, String name)
    {
        JsonNode r = BY_KIND_AND_NAME.get(kind + "/" + name);
        assertNotNull(r, "no " + kind + " named " + name + " in deploy/k8s (have " + BY_KIND_AND_NAME.keySet() + ")");
        return r;
    }

    static Map<String, String> labels(JsonNode labels)
    {
        Map<String, String> m = new HashMap<>();
        labels.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    static boolean selects(JsonNode selector, JsonNode podLabels)
    {
        return labels(podLabels).entrySet().containsAll(labels(selector).entrySet());
    }

    static List<JsonNode> workloads()
    {
        List<JsonNode> w = new ArrayList<>(ofKind("StatefulSet"));
        w.addAll(ofKind("Deployment"));
        return w;
    }

    static JsonNode container(JsonNode workload)
    {
        JsonNode containers = workload.at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), workload.at("/metadata/name") + ": one container, Jetty");
        return containers.get(0);
    }

    static String role(JsonNode workload)
    {
        return workload.at("/spec/template/metadata/labels").get("app.kubernetes.io/component").asText();
    }

    /** The {@code -Dname=value} lines of the backhand.ini a workload mounts into start.d. */
    static Map<String, String> backhandIni(JsonNode workload)
    {
        JsonNode mount = null;
        for (JsonNode m : container(workload).get("volumeMounts"))
            if (m.get("mountPath").asText().equals(JETTY_BASE_IN_IMAGE + "start.d/backhand.ini"))
                mount = m;
        assertNotNull(mount, workload.at("/metadata/name") + " mounts its own start.d/backhand.ini");
        JsonNode volume = volume(workload, mount.get("name").asText());
        JsonNode configMap = get("ConfigMap", volume.at("/configMap/name").asText());
        JsonNode text = configMap.at("/data").get(mount.get("subPath").asText());
        assertNotNull(text, "ConfigMap " + configMap.at("/metadata/name").asText() + " has key " + mount.get("subPath"));
        Map<String, String> ini = new LinkedHashMap<>();
        for (String line : text.asText().split("\n"))
        {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#"))
                continue;
            assertTrue(line.startsWith("-D") && line.contains("="), "not a system property line: " + line);
            ini.put(line.substring(2, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return ini;
    }

    static JsonNode volume(JsonNode workload, String name)
    {
        for (JsonNode v : workload.at("/spec/template/spec/volumes"))
            if (v.get("name").asText().equals(name))
                return v;
        return fail(workload.at("/metadata/name").asText() + " mounts volume " + name + ", which it does not define");
    }

    @Test
    void theDockerfileAddsTheJettyBaseTheTestsStartAndTheWarToTheOfficialImage() throws IOException
    {
        List<String> lines = Files.readAllLines(DEPLOY.resolve("Dockerfile")).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("FROM jetty:12.1-jdk17", lines.get(0));

        // The integration tests start the jetty-base named by the pom's it.jettyBase: the image must use that one.
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<it.jettyBase>\\$\\{project.basedir}/([^<]+)</it.jettyBase>").matcher(pom);
        assertTrue(m.find(), "pom.xml names the jetty-base of the integration tests");
        String testedBase = m.group(1);
        assertTrue(lines.contains("COPY --chown=jetty:jetty " + testedBase + "/ " + JETTY_BASE_IN_IMAGE), lines.toString());
        assertTrue(Files.isRegularFile(Path.of(testedBase, "webapps", "backhand.xml")));

        Matcher war = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertTrue(war.find());
        assertTrue(lines.contains("COPY --chown=jetty:jetty target/" + war.group(1) + ".war " + JETTY_BASE_IN_IMAGE
            + "webapps/backhand.war"), "the WAR goes where webapps/backhand.xml deploys it from: " + lines);
        assertTrue(Files.readString(Path.of(testedBase, "webapps", "backhand.xml")).contains("/backhand.war"));

        // The image's default base is removed first, so that only the tested one is in it.
        int clear = lines.indexOf("RUN rm -rf " + JETTY_BASE_IN_IMAGE + "*");
        int copy = lines.indexOf("COPY --chown=jetty:jetty " + testedBase + "/ " + JETTY_BASE_IN_IMAGE);
        assertTrue(clear >= 0 && clear < copy, lines.toString());

        // The probes the manifests run are in the image, on the PATH.
        assertTrue(lines.contains("COPY --chmod=0755 deploy/backhand-probe /usr/local/bin/backhand-probe"), lines.toString());
        // The build context sends the builder exactly what the image copies.
        List<String> sources = lines.stream().filter(l -> l.startsWith("COPY "))
            .map(l -> l.split("\\s+")).map(w -> w[w.length - 2]).sorted().toList();
        List<String> allowed = Files.readAllLines(DEPLOY.resolve("Dockerfile.dockerignore")).stream()
            .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).sorted().toList();
        assertEquals(sources, allowed, "Dockerfile.dockerignore lets through what the Dockerfile copies");
        for (String source : sources)
            assertTrue(source.startsWith("target/") || Files.exists(Path.of(source)), source);
        // ...and it runs as Jetty's user, not root.
        assertEquals("USER jetty", lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void everyWorkloadRunsTheImageOnTheTestedJettyBasePorts() throws IOException
    {
        String httpIni = Files.readString(Path.of("jetty-base", "start.d", "http.ini"));
        Matcher port = Pattern.compile("(?m)^jetty\\.http\\.port=(\\d+)$").matcher(httpIni);
        assertTrue(port.find());
        assertTrue(Files.isRegularFile(Path.of("jetty-base", "start.d", "backhand.ini")), "the file the manifests replace exists");

        String build = Files.readString(DEPLOY.resolve("Dockerfile"));
        Matcher tag = Pattern.compile("docker build -f deploy/Dockerfile -t (\\S+) \\.").matcher(build);
        assertTrue(tag.find(), "the Dockerfile says how to build and tag it");

        assertEquals(Set.of("balancer", "node"), new TreeSet<>(workloads().stream().map(DeployManifestsTest::role).toList()));
        for (JsonNode w : workloads())
        {
            JsonNode c = container(w);
            assertEquals(tag.group(1), c.get("image").asText(), w.at("/metadata/name").asText());
            Map<String, Integer> ports = new HashMap<>();
            c.get("ports").forEach(p -> ports.put(p.get("name").asText() + "/" + p.path("protocol").asText("TCP"), p.get("containerPort").asInt()));
            assertEquals(Integer.parseInt(port.group(1)), ports.get("http/TCP"), "the http port is jetty-base's");
            assertTrue(selects(w.at("/spec/selector/matchLabels"), w.at("/spec/template/metadata/labels")));
        }
    }

    @Test
    void servicesSelectPodsAndNameTheirPorts()
    {
        for (JsonNode s : ofKind("Service"))
        {
            String name = s.at("/metadata/name").asText();
            List<JsonNode> selected = workloads().stream()
                .filter(w -> selects(s.at("/spec/selector"), w.at("/spec/template/metadata/labels"))).toList();
            assertFalse(selected.isEmpty(), "Service " + name + " selects no pod");
            for (JsonNode p : s.at("/spec/ports"))
            {
                String target = p.get("targetPort").asText();
                String protocol = p.path("protocol").asText("TCP");
                for (JsonNode w : selected)
                {
                    boolean found = false;
                    for (JsonNode cp : container(w).get("ports"))
                        found |= cp.get("name").asText().equals(target) && cp.path("protocol").asText("TCP").equals(protocol);
                    assertTrue(found, "Service " + name + " targets port " + target + "/" + protocol + ", which "
                        + w.at("/metadata/name").asText() + " does not name");
                }
            }
        }
        for (JsonNode w : ofKind("StatefulSet"))
        {
            JsonNode governing = get("Service", w.at("/spec/serviceName").asText());
            assertEquals("None", governing.at("/spec/clusterIP").asText(), "a StatefulSet's Service is headless");
            assertTrue(selects(governing.at("/spec/selector"), w.at("/spec/template/metadata/labels")));
        }
        JsonNode front = get("Service", "backhand");
        assertEquals(List.of("balancer"), workloads().stream()
            .filter(w -> selects(front.at("/spec/selector"), w.at("/spec/template/metadata/labels"))).map(DeployManifestsTest::role).toList(),
            "clients reach the balancers only");
    }

    @Test
    void peersAreHeadlessServicesOfTheOtherRoleOnTheirStatsPort()
    {
        for (JsonNode w : workloads())
        {
            String peers = backhandIni(w).get(SettingsRegistry.PEERS.name());
            assertNotNull(peers, w.at("/metadata/name") + " announces to backhand.peers");
            for (String peer : peers.split("[\\s,]+"))
            {
                String host = peer.substring(0, peer.lastIndexOf(':'));
                int port = Integer.parseInt(peer.substring(peer.lastIndexOf(':') + 1));
                JsonNode service = get("Service", host.split("\\.")[0]);
                assertEquals("None", service.at("/spec/clusterIP").asText(), host + ": announcements go to pods, so headless");
                assertTrue(service.at("/spec/publishNotReadyAddresses").asBoolean(), host + " lists pods while they start");
                boolean udp = false;
                for (JsonNode p : service.at("/spec/ports"))
                    udp |= p.get("port").asInt() == port && p.get("protocol").asText().equals("UDP");
                assertTrue(udp, host + " has UDP port " + port);
                List<String> roles = workloads().stream()
                    .filter(o -> selects(service.at("/spec/selector"), o.at("/spec/template/metadata/labels"))).map(DeployManifestsTest::role).toList();
                assertFalse(roles.isEmpty());
                if (role(w).equals("balancer"))
                    assertFalse(roles.contains("balancer"), "a balancer must not announce to another (it would be its candidate)");
                else
                    assertTrue(roles.contains("balancer"), "a node announces to the balancers");
            }
        }
    }

    @Test
    void theSettingsTheyPassAreBackhandsSettings(@TempDir Path stateDir)
    {
        for (JsonNode w : workloads())
        {
            Map<String, String> ini = backhandIni(w);
            for (String name : ini.keySet())
                assertTrue(SettingsRegistry.serverWideNames().contains(name), name + " (ini of " + w.at("/metadata/name").asText() + ") is not a Backhand setting");
            Set<String> envNames = new TreeSet<>();
            for (String p : SettingsRegistry.serverWideNames())
                envNames.add(p.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
            for (JsonNode e : container(w).get("env"))
            {
                String name = e.get("name").asText();
                if (name.startsWith("BACKHAND_"))
                    assertTrue(envNames.contains(name), name + " is not the environment variable of a Backhand setting");
            }
            // The values are what the node accepts: read by the node's own parser, as when the webapp deploys. The
            // peers' names are the cluster's and cannot resolve here; the check must not ask DNS, so they become
            // loopback with the same port.
            Map<String, String> params = new HashMap<>(ini);
            params.remove(SettingsRegistry.CONTEXT_PATH.name());
            params.computeIfPresent(SettingsRegistry.PEERS.name(), (k, v) -> v.replaceAll("[^\\s,:]+:(\\d+)", "127.0.0.1:$1"));
            params.put(SettingsRegistry.STATE_DIR.name(), stateDir.toString());
            NodeSettings parsed = NodeSettings.read(Settings.ofContextParams(params), null);
            assertEquals(ini.containsKey(SettingsRegistry.ADMIN.name()), parsed.admin());

            String expected = role(w).equals("balancer") ? "/" : "/backhand";
            assertEquals(expected, ini.get(SettingsRegistry.CONTEXT_PATH.name()), role(w) + "'s context path");
            assertEquals("on", ini.get(SettingsRegistry.ADMIN.name()), "the preStop drain needs the admin action");
            assertNotNull(ini.get(SettingsRegistry.ACCEPT_STATS.name()), "without acceptStats a node believes nobody");
        }
    }

    @Test
    void theSecretIsTheMountedFileTheNodesReadAndItsKeyIsNeverCommitted() throws IOException
    {
        JsonNode generator = null;
        for (JsonNode g : KUSTOMIZATION.path("secretGenerator"))
            generator = g;
        assertNotNull(generator, "kustomization.yaml generates the Secret from a local file");
        Map<String, String> files = new HashMap<>();
        for (JsonNode f : generator.get("files"))
        {
            String[] keyAndFile = f.asText().split("=", 2);
            files.put(keyAndFile[0], keyAndFile[1]);
        }
        // The key file is the operator's: git ignores it, and no Secret with a value is committed.
        for (String file : files.values())
            assertTrue(Files.readAllLines(Path.of(".gitignore")).contains("deploy/k8s/" + file), file + " is in .gitignore");
        assertTrue(ofKind("Secret").isEmpty(), "no Secret manifest is committed");

        for (JsonNode w : workloads())
        {
            Map<String, String> env = new HashMap<>();
            container(w).get("env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText(null)));
            String file = env.get("BACKHAND_SECRETFILE");
            assertNotNull(file, w.at("/metadata/name") + " reads the key from a file");
            JsonNode mount = null;
            for (JsonNode m : container(w).get("volumeMounts"))
                if (file.startsWith(m.get("mountPath").asText() + "/"))
                    mount = m;
            assertNotNull(mount, file + " is on a mounted volume");
            JsonNode volume = volume(w, mount.get("name").asText());
            assertEquals(generator.get("name").asText(), volume.at("/secret/secretName").asText(),
                "the pods mount the generated Secret");
            String fileName = file.substring(mount.get("mountPath").asText().length() + 1);
            String key = null;
            for (JsonNode item : volume.at("/secret/items"))
                if (item.get("path").asText().equals(fileName))
                    key = item.get("key").asText();
            assertNotNull(key, "the Secret volume puts a key at " + fileName);
            assertTrue(files.containsKey(key), "the generated Secret has key " + key);
        }
    }

    @Test
    void probesAndPreStopUseTheScriptOnThePathsTheProductServes() throws IOException
    {
        String script = Files.readString(DEPLOY.resolve("backhand-probe"));
        Matcher path = Pattern.compile("path=\\$\\{BACKHAND_PROBE_PATH:-([^}]+)}").matcher(script);
        assertTrue(path.find());
        Matcher port = Pattern.compile("port=\\$\\{BACKHAND_PROBE_PORT:-(\\d+)}").matcher(script);
        assertTrue(port.find());
        for (JsonNode w : workloads())
        {
            JsonNode c = container(w);
            String name = w.at("/metadata/name").asText();
            assertEquals(List.of("backhand-probe", "ready"), words(c.at("/readinessProbe/exec/command")), name);
            assertEquals(List.of("backhand-probe", "alive"), words(c.at("/livenessProbe/exec/command")), name);
            assertEquals(List.of("backhand-probe", "drain"), words(c.at("/lifecycle/preStop/exec/command")), name);
            for (String action : List.of("ready", "alive", "drain"))
                assertTrue(script.contains("\n    " + action + ")"), "backhand-probe knows " + action);

            // The status page is where the script looks: the WAR's context path plus its status path.
            Map<String, String> ini = backhandIni(w);
            String statusPath = ini.getOrDefault(SettingsRegistry.STATUS_PATH.name(), "/backhand");
            String served = (ini.get(SettingsRegistry.CONTEXT_PATH.name()) + statusPath).replaceAll("/+", "/");
            served = served.endsWith("/") ? served : served + "/";
            assertEquals(path.group(1), served, name + ": the status page is at " + served);
            int containerHttp = -1;
            for (JsonNode p : c.get("ports"))
                if (p.get("name").asText().equals("http"))
                    containerHttp = p.get("containerPort").asInt();
            assertEquals(Integer.parseInt(port.group(1)), containerHttp, name);

            // preStop waits about three announce intervals, then Jetty leaves within backhand.leaveGrace (10 s).
            assertTrue(w.at("/spec/template/spec/terminationGracePeriodSeconds").asInt() >= 3 + 10 + 5, name);
        }
    }

    private static List<String> words(JsonNode array)
    {
        List<String> words = new ArrayList<>();
        array.forEach(n -> words.add(n.asText()));
        return words;
    }

    @Test
    void theDocsExplainTheKubernetesFiles() throws IOException
    {
        String ops = Files.readString(Path.of("docs", "operations.md"));
        assertTrue(ops.contains("## 9. Kubernetes"), "docs/operations.md has a Kubernetes section");
        for (String file : List.of("deploy/Dockerfile", "deploy/backhand-probe", "deploy/k8s"))
            assertTrue(ops.contains(file), "docs/operations.md names " + file);
    }
}
