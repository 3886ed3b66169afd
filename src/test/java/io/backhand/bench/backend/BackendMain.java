package io.backhand.bench.backend;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.node.SettingsRegistry;
import io.backhand.demo.EmbeddedNode;

/**
 * The benchmark's application nodes, in one JVM: each a real {@link EmbeddedNode} on its own loopback address
 * (127.0.0.11, .12, ...) serving {@link WorkServlet}, with Backhand announcing it (multicast on {@code lo}, TTL 0).
 *
 * <p>Options: {@code --nodes N --workers W --workers-each 8,4,4,2 --mean-ms M --slowdowns 1,1,1,3 --interval 1s --mcast LINE}
 * (repeatable: one multicast group per balancer that must hear the nodes) {@code --ip-base 11}.
 * Prints {@code READY [nodes]}; then reads commands: {@code stats} (prints {@code STATS {...}} and starts a new
 * period), {@code drain} (answers 503 to every queued request and waits for the workers to finish), {@code slow NODE FACTOR}
 * (service times of NODE become the base mean times FACTOR from now on), {@code fail NODE on|off} (NODE answers
 * 503 at once while on), {@code heartbeat URL...} (send Apache heartbeats there every second; no URL stops them), end of input
 * stops the nodes.</p>
 */
public final class BackendMain
{
    private static final ObjectMapper JSON = new ObjectMapper();

    public record NodeInfo(String name, String host, int port, double slowdown)
    {
    }

    private BackendMain()
    {
    }

    public static void main(String[] args) throws Exception
    {
        int nodes = 4;
        int workers = 4;
        double meanMs = 10;
        String interval = "1s";
        int ipBase = 11;
        List<Double> slowdowns = new ArrayList<>();
        List<Integer> workersEach = new ArrayList<>();
        List<String> mcast = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--mean-ms" -> meanMs = Double.parseDouble(args[++i]);
                case "--interval" -> interval = args[++i];
                case "--ip-base" -> ipBase = Integer.parseInt(args[++i]);
                case "--mcast" -> mcast.add(args[++i]);
                case "--workers-each" ->
                {
                    for (String w : args[++i].split(","))
                        workersEach.add(Integer.parseInt(w));
                }
                case "--slowdowns" ->
                {
                    for (String s : args[++i].split(","))
                        slowdowns.add(Double.parseDouble(s));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (mcast.isEmpty())
            throw new IllegalArgumentException("--mcast is required: the nodes must announce to someone");
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2, r ->
        {
            Thread t = new Thread(r, "work-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        List<EmbeddedNode> started = new ArrayList<>();
        List<WorkServlet> apps = new ArrayList<>();
        List<NodeInfo> infos = new ArrayList<>();
        ApacheHeartbeat heartbeat = new ApacheHeartbeat();
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, "apache-heartbeat");
            t.setDaemon(true);
            return t;
        });
        try
        {
            for (int n = 0; n < nodes; n++)
            {
                String name = "b" + (n + 1);
                String host = "127.0.0." + (ipBase + n);
                double slowdown = n < slowdowns.size() ? slowdowns.get(n) : 1.0;
                int w = n < workersEach.size() ? workersEach.get(n) : workers;
                WorkServlet app = new WorkServlet(name, w, meanMs, slowdown, timer);
                StringBuilder lines = new StringBuilder();
                for (String line : mcast)
                    lines.append(host).append(' ').append(line).append('\n');
                EmbeddedNode node = EmbeddedNode.builder(name).host(host).app(app)
                    .param(SettingsRegistry.MULTICAST_STATS.name(), lines.toString().strip())
                    .param(SettingsRegistry.INTERFACE.name(), "lo")
                    .param(SettingsRegistry.ACCEPT_STATS.name(), "127.0.0.0/8")
                    .param(SettingsRegistry.ANNOUNCE_INTERVAL.name(), interval)
                    .param(SettingsRegistry.ARRIBA.name(), "1000")
                    .build();
                Backlog.deep(node);
                node.start();
                started.add(node);
                apps.add(app);
                infos.add(new NodeInfo(name, host, node.port(), slowdown));
            }
            beats.scheduleAtFixedRate(() ->
            {
                if (!heartbeat.active())
                    return;
                for (int n = 0; n < infos.size(); n++)
                {
                    try
                    {
                        WorkGauge g = apps.get(n).gauge();
                        heartbeat.send(InetAddress.getByName(infos.get(n).host()), infos.get(n).port(), g.workers(), g.busy());
                    }
                    catch (Exception e)
                    {
                        // an unknown host cannot happen for a literal address; keep beating for the others
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.println("READY " + JSON.writeValueAsString(infos));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null)
            {
                String[] words = line.strip().split("\\s+");
                switch (words[0])
                {
                    case "stats" ->
                    {
                        Map<String, WorkGauge.Snapshot> stats = new LinkedHashMap<>();
                        for (int n = 0; n < apps.size(); n++)
                            stats.put(infos.get(n).name(), apps.get(n).gauge().snapshotAndReset());
                        out.println("STATS " + JSON.writeValueAsString(stats));
                    }
                    case "drain" ->
                    {
                        int dropped = 0;
                        for (WorkServlet app : apps)
                            dropped += app.drain();
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (apps.stream().anyMatch(a -> a.gauge().busy() > 0) && System.nanoTime() < deadline)
                            Thread.sleep(10);
                        out.println("DRAINED " + dropped);
                    }
                    case "slow", "fail" ->
                    {
                        int n = -1;
                        for (int k = 0; k < infos.size(); k++)
                        {
                            if (infos.get(k).name().equals(words.length > 1 ? words[1] : ""))
                                n = k;
                        }
                        if (n < 0 || words.length < 3)
                        {
                            out.println("UNKNOWN " + line);
                            continue;
                        }
                        if (words[0].equals("slow"))
                            apps.get(n).slowdown(Double.parseDouble(words[2]));
                        else
                            apps.get(n).failing(words[2].equals("on"));
                        out.println("OK");
                    }
                    case "heartbeat" ->
                    {
                        List<URI> targets = new ArrayList<>();
                        for (int w = 1; w < words.length; w++)
                            targets.add(URI.create(words[w]));
                        heartbeat.targets(targets);
                        out.println("OK");
                    }
                    case "quit" ->
                    {
                        return;
                    }
                    default -> out.println("UNKNOWN " + line);
                }
            }
        }
        finally
        {
            beats.shutdownNow();
            for (EmbeddedNode n : started)
                io.backhand.bench.balancer.Stopping.quietly(n);
            timer.shutdownNow();
        }
    }
}
