package io.backhand.bench.balancer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.node.SettingsRegistry;
import io.backhand.demo.EmbeddedNode;

/**
 * Backhand as a dedicated balancer for the benchmark: one or more {@link EmbeddedNode}s whose filter balances
 * every request with {@code removeSelf} followed by the chain under test, each hearing the backends on its own
 * multicast group (pinned to {@code lo}, TTL 0) so that two balancers never see, nor pick, each other.
 *
 * <p>Options: {@code --balancer NAME GROUP:PORT,0 "byAge 6;byRandom;..."} (repeatable), {@code --figures raw},
 * {@code --expect N} backends to wait for, {@code --interval 1s}. Prints {@code READY {name: port}} once every
 * balancer lists every backend, and stops at the end of standard input.</p>
 */
public final class BalancerMain
{
    private BalancerMain()
    {
    }

    public static void main(String[] args) throws Exception
    {
        List<String[]> specs = new ArrayList<>();
        String figures = "interpreted";
        String interval = "1s";
        int expect = 1;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--balancer" -> specs.add(new String[] {args[++i], args[++i], args[++i]});
                case "--figures" -> figures = args[++i];
                case "--expect" -> expect = Integer.parseInt(args[++i]);
                case "--interval" -> interval = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<EmbeddedNode> nodes = new ArrayList<>();
        try
        {
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String[] s : specs)
            {
                String chain = "removeSelf\n" + String.join("\n", s[2].split("\\s*;\\s*"));
                EmbeddedNode node = EmbeddedNode.builder(s[0])
                    .param(SettingsRegistry.MULTICAST_STATS.name(), s[1])
                    .param(SettingsRegistry.INTERFACE.name(), "lo")
                    .param(SettingsRegistry.ACCEPT_STATS.name(), "127.0.0.0/8")
                    .param(SettingsRegistry.ANNOUNCE_INTERVAL.name(), interval)
                    .param(SettingsRegistry.ARRIBA.name(), "1000")
                    .maxThreads(200)
                    .balance(chain)
                    .filterParam("figures", figures)
                    .build();
                io.backhand.bench.backend.Backlog.deep(node);
                node.start();
                nodes.add(node);
                ports.put(s[0], node.port());
            }
            for (EmbeddedNode n : nodes)
                awaitMembers(n, expect + 1);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.println("READY " + new ObjectMapper().writeValueAsString(ports));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("quit"))
            {
                // nothing to do but serve until told to stop
            }
        }
        finally
        {
            for (EmbeddedNode n : nodes)
                Stopping.quietly(n);
        }
    }

    /** Waits until the node's own status page lists {@code members} servers (itself included). */
    private static void awaitMembers(EmbeddedNode node, int members) throws Exception
    {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ObjectMapper json = new ObjectMapper();
        URI status = node.statusUri().resolve("?format=json");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline)
        {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(status).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200)
            {
                JsonNode servers = json.readTree(r.body()).get("servers");
                seen = servers == null ? 0 : servers.size();
                if (seen >= members)
                    return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(node.name() + " heard only " + seen + " of " + members + " servers in 30 s");
    }
}
