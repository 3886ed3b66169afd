package io.backhand.proxy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.backhand.demo.EmbeddedNode;

/**
 * The main class of a {@link ChildNode} process: starts the embedded nodes a properties file describes,
 * prints {@code READY name port} for each and then {@code STARTED}, and stops them when its standard input
 * says {@code stop} or closes, printing the heap's high-water mark first.
 *
 * <pre>
 * nodes=balancer,app
 * balancer.chain=removeSelf\nbyAge 6
 * balancer.param.backhand.multicastStats=239.255.1.2:4445,0
 * balancer.filter.idleTimeout=5000
 * app.websocket=true                    (a WebSocket echo endpoint, {@link EchoSocket})
 * </pre>
 */
public final class ChildNodeMain
{
    private ChildNodeMain()
    {
    }

    public static void main(String[] args) throws Exception
    {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8))
        {
            p.load(r);
        }
        List<EmbeddedNode> nodes = new ArrayList<>();
        for (String name : p.getProperty("nodes").split(","))
        {
            EmbeddedNode.Builder b = EmbeddedNode.builder(name).app(new ProbeApp(name));
            for (String key : p.stringPropertyNames())
            {
                if (key.startsWith(name + ".param."))
                    b.param(key.substring((name + ".param.").length()), p.getProperty(key));
                else if (key.startsWith(name + ".filter."))
                    b.filterParam(key.substring((name + ".filter.").length()), p.getProperty(key));
            }
            String chain = p.getProperty(name + ".chain");
            if (chain != null)
                b.balance(chain);
            EmbeddedNode node = b.build();
            if (Boolean.parseBoolean(p.getProperty(name + ".websocket")))
                EchoSocket.install(node);
            node.start();
            nodes.add(node);
            System.out.println("READY " + name + " " + node.port());
        }
        System.out.println("STARTED");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine())
        {
            // only "stop" (or the end of the input) means anything
        }
        System.out.println("PEAK_HEAP " + peakHeap());
        for (EmbeddedNode n : nodes)
            n.close();
        System.out.println("STOPPED");
        System.out.flush();
        System.exit(0);
    }

    private static long peakHeap()
    {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null)
                peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }
}
