package io.backhand.demo;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: a balancer and three application nodes on loopback, announcing over multicast
 * pinned to {@code lo} with TTL 0, so that nothing leaves this host. Ctrl-C stops them cleanly.
 *
 * <p>Options: {@code --nodes N} application nodes (default 3), {@code --port P} for the balancer (default
 * 8080, or any free port if taken).</p>
 */
public final class LocalCluster implements AutoCloseable
{
    public static final String BALANCER_CHAIN = "removeSelf\nbyAge 6\nbyRandom\nbyLogWindow\nbyBusyChildren";

    private final List<EmbeddedNode> nodes = new ArrayList<>();
    private EmbeddedNode balancer;

    public static LocalCluster start(int appNodes, int balancerPort) throws Exception
    {
        LocalCluster c = new LocalCluster();
        try
        {
            int statsPort = freeUdpPort();
            String group = "239.255.221." + (1 + (statsPort % 250));
            String multicast = group + ":" + statsPort + ",0";
            for (int i = 1; i <= appNodes; i++)
                c.nodes.add(node("app" + i, multicast).start());
            c.balancer = node("balancer", multicast).balance(BALANCER_CHAIN).port(balancerPort).start();
        }
        catch (Exception e)
        {
            c.close();
            throw e;
        }
        return c;
    }

    private static EmbeddedNode.Builder node(String name, String multicast)
    {
        return EmbeddedNode.builder(name)
            .param("backhand.multicastStats", multicast)
            .param("backhand.interface", "lo")
            .param("backhand.acceptStats", "127.0.0.0/8")
            .param("backhand.forgetAfter", "15s");
    }

    static int freeUdpPort() throws Exception
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    public EmbeddedNode balancer()
    {
        return balancer;
    }

    public List<EmbeddedNode> appNodes()
    {
        return List.copyOf(nodes);
    }

    @Override
    public void close()
    {
        List<EmbeddedNode> all = new ArrayList<>(nodes);
        if (balancer != null)
            all.add(0, balancer);
        for (EmbeddedNode n : all)
        {
            try
            {
                n.close();
            }
            catch (Exception e)
            {
                System.err.println("Could not stop " + n.name() + ": " + e);
            }
        }
    }

    public static void main(String[] args) throws Exception
    {
        int nodes = 3;
        int port = 8080;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                default ->
                {
                    System.err.println("usage: LocalCluster [--nodes N] [--port P]");
                    System.exit(2);
                }
            }
        }
        if (!portFree(port))
        {
            System.out.println("Port " + port + " is taken; the balancer takes a free port instead.");
            port = 0;
        }
        LocalCluster cluster = start(nodes, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            System.out.println("Stopping the local cluster...");
            cluster.close();
            stopped.countDown();
        }, "local-cluster-stop"));
        String base = "http://127.0.0.1:" + cluster.balancer().port() + "/";
        System.out.println();
        System.out.println("Backhand local cluster: a balancer and " + nodes + " application nodes on loopback.");
        System.out.println("  Balancer:    " + base + "            (try " + base + "hello?work=20ms)");
        System.out.println("  Status page: " + base + "backhand/");
        for (EmbeddedNode n : cluster.appNodes())
            System.out.println("  " + n.name() + ":        " + n.uri() + "  status " + n.statusUri());
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    private static boolean portFree(int port)
    {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
        {
            return true;
        }
        catch (Exception e)
        {
            return false;
        }
    }
}
