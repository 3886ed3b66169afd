package io.backhand.bench.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.bench.peers.Backend;

/**
 * Our balancer as operators run it: the built WAR in a stock jetty-home ({@link JettyHome}), one server per
 * balancer, each on a copy of the project's jetty-base exactly as shipped plus a start.d file with this
 * balancer's own values (its port, its name, its multicast group, {@code lo}, loopback as the accepted range).
 * Each balancer hears the backends on a group of its own ({@link Env#leaseGroups}), as the embedded ones do.
 *
 * <p>The WAR's own chain runs as shipped. Any other is given the way a WAR's init-params are changed without
 * rebuilding it: a Jetty override descriptor, set on the WebAppContext by an environment XML of the copied base.
 * Either way the harness reads the chain back from the status page before it measures anything, so a label
 * never names a chain that did not run.</p>
 */
record DeployedContender(String label, String chain) implements Contender
{
    static final String MARK = " (deployed)";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The deployed twin of one of our embedded chains: "backhand byLatency (deployed)". */
    static DeployedContender of(BackhandContender embedded)
    {
        return new DeployedContender(embedded.label().replace(BackhandContender.DEFAULT_MARK, "") + MARK, embedded.chain());
    }

    static DeployedContender defaultChain()
    {
        return of(BackhandContender.defaultChain());
    }

    @Override
    public Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus) throws Exception
    {
        JettyHome.requireBuilt();
        List<Proc> procs = new ArrayList<>();
        List<Path> bases = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<Integer> groups = env.leaseGroups(count);
        Runnable stop = () ->
        {
            try
            {
                procs.forEach(Proc::close);
                bases.forEach(JettyHome::trim);
            }
            finally
            {
                env.release(groups);
            }
        };
        try
        {
            String slug = label.substring("backhand ".length()).replace(MARK, "").replaceAll("[^A-Za-z0-9]+", "-");
            for (int i = 0; i < count; i++)
            {
                String name = "deployed-" + slug + "-x" + count + "-" + (i + 1);
                Path base = JettyHome.newBase(env, name);
                bases.add(base);
                io.backhand.testing.Trees.copy(JettyHome.shippedBase(), base);
                Files.copy(JettyHome.war(), base.resolve("webapps/backhand.war"));
                int port = Env.freeTcpPort();
                ports.add(port);
                List<String> ini = new ArrayList<>(List.of(
                    "# This balancer's own values, which an operator writes into backhand.ini and http.ini: here in a file of",
                    "# its own, so that the shipped ones stay as shipped, read after them (start.d in name order), so that it wins."));
                ini.addAll(JettyHome.listenLines(port));
                int group = groups.get(i);
                ini.addAll(List.of("-Dbackhand.contextPath=/", "-Dbackhand.nodeName=lb" + (group + 1),
                    "-Dbackhand.multicastStats=" + env.groups.get(group), "-Dbackhand.interface=lo", "-Dbackhand.acceptStats=127.0.0.0/8"));
                Files.write(base.resolve("start.d/node.ini"), ini);
                if (!chain.equals(BackhandContender.DEFAULT_CHAIN))
                    overrideChain(base);
                procs.add(JettyHome.launch(env, cpus, base));
            }
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                JettyHome.awaitStarted(procs.get(i), ports.get(i));
                String entry = "http://" + JettyHome.HOST + ":" + ports.get(i) + "/";
                awaitChainAndMembers(entry, backends.size() + 1);
                entries.add(entry);
            }
            for (String entry : entries)
            {
                Coverage.await(label, entry, backends);
                env.warmJvm(entry);
            }
            return new Started(entries, procs.stream().map(Proc::pid).toList(), stop);
        }
        catch (Exception e)
        {
            stop.run();
            throw e;
        }
    }

    /** The chain behind removeSelf, as the balancer's filter declares it (and as the status page lists it). */
    private List<String> expectedChain()
    {
        List<String> steps = new ArrayList<>(List.of("removeSelf"));
        steps.addAll(Arrays.asList(chain.strip().split("\\s*;\\s*")));
        return steps;
    }

    /** The filter's chain replaced by a Jetty override descriptor: Jetty merges it over WEB-INF/web.xml at deployment. */
    private void overrideChain(Path base) throws Exception
    {
        Path descriptor = Files.createDirectories(base.resolve("etc")).resolve("backhand-override-web.xml");
        Files.writeString(descriptor, """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <filter>
                <filter-name>backhand</filter-name>
                <init-param>
                  <param-name>candidacy</param-name>
                  <param-value>
            %s
                  </param-value>
                </init-param>
              </filter>
            </web-app>
            """.formatted(String.join("\n", expectedChain().stream().map(s -> "        " + s).toList())));
        Files.writeString(base.resolve("environments/ee10-backhand-chain.xml"), """
            <?xml version="1.0"?>
            <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
            <!-- Applied to every ee10 webapp of this base (there is one: backhand.war). -->
            <Configure id="wac" class="org.eclipse.jetty.ee10.webapp.WebAppContext">
              <Set name="overrideDescriptor">%s</Set>
            </Configure>
            """.formatted(descriptor));
    }

    /** Waits until the status page lists {@code members} servers (itself included), and checks the chain it runs. */
    private void awaitChainAndMembers(String entry, int members) throws Exception
    {
        URI status = URI.create(entry + "backhand/?format=json");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline)
        {
            try
            {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
                last = "HTTP " + r.statusCode();
                if (r.statusCode() == 200)
                {
                    JsonNode page = JSON.readTree(r.body());
                    List<String> running = new ArrayList<>();
                    page.path("filters").path(0).path("chain").forEach(s -> running.add(s.asText()));
                    if (!running.equals(expectedChain()))
                        throw new IllegalStateException(label + " at " + entry + " runs the chain " + running + ", not " + expectedChain());
                    int seen = page.path("servers").size();
                    last = seen + " of " + members + " servers";
                    if (seen >= members)
                        return;
                }
            }
            catch (java.io.IOException e)
            {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(label + " at " + entry + " did not list every backend within 60 s (last: " + last + ")");
    }
}
