package io.backhand.status;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.backhand.cluster.StatsCodec;
import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;

/**
 * Many servers' announcements, sent as real datagrams over loopback to one node's stats port, each with its
 * own plausible figures: a cluster of dozens without starting dozens of Jetty servers. Each sends from its
 * own address, 127.0.1.i, which it also names as its contact, as real nodes do (a node believes only a
 * handful of new names from one address). Any server can be silenced, as in a crash.
 */
final class FakeAnnouncers implements AutoCloseable
{
    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final List<ServerStats> servers = new ArrayList<>();
    private final List<DatagramSocket> senders = new ArrayList<>();
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();
    private final StatsCodec codec = new StatsCodec(null);
    private final Thread sender;
    private volatile boolean running = true;
    private long sequence;

    FakeAnnouncers(int count, int targetPort) throws Exception
    {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        long started = System.currentTimeMillis() - 3_600_000L;
        for (int i = 1; i <= count; i++)
        {
            int total = i % 5 == 0 ? 400 : 200;
            int busy = (i * 37) % 60;
            servers.add(ServerStats.builder()
                .name(String.format("web%02d", i))
                .hostname(String.format("web%02d.dc%d.example", i, 1 + i % 3))
                .contactAddress(address(i))
                .contactPort(8080)
                .startedAtMillis(started - i * 7_200_000L)
                .state(i % 17 == 0 ? NodeState.DRAINING : NodeState.READY)
                .arriba(900 + (i * 53) % 400)
                .totalWorkers(total)
                .idleWorkers(total - busy)
                .inFlight(busy)
                .load1000(150 + (i * 271) % 3500)
                .loadHighWater1000(4000)
                .cpuIdle1000(1000 - (i * 113) % 900)
                .cpuCount(i % 3 == 0 ? 16 : 8)
                .memTotalBytes((i % 3 == 0 ? 64L : 32L) << 30)
                .memFreeBytes(((i * 7) % 24 + 2L) << 30)
                .requestsBackhanded(i * 1234L)
                .avgServeMicros(2_000 + i * 150)
                .workerName("node" + i)
                .version("0.1.0")
                .build());
        }
        for (int i = 1; i <= count; i++)
            senders.add(new DatagramSocket(new InetSocketAddress(address(i), 0)));
        sender = new Thread(this::run, "fake-announcers");
        sender.setDaemon(true);
        sender.start();
    }

    private static InetAddress address(int i) throws Exception
    {
        return InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) i});
    }

    /** The address the node may send its own announcements to; they are read and ignored. */
    InetSocketAddress address()
    {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void silence(String name)
    {
        silenced.add(name);
    }

    private void run()
    {
        while (running)
        {
            try
            {
                long now = System.currentTimeMillis();
                sequence++;
                for (int i = 0; i < servers.size(); i++)
                {
                    ServerStats s = servers.get(i);
                    if (silenced.contains(s.name()))
                        continue;
                    byte[] packet = codec.encode(s.toBuilder().sentAtMillis(now).sequence(sequence).build());
                    senders.get(i).send(new DatagramPacket(packet, packet.length, target));
                }
                Thread.sleep(300);
            }
            catch (InterruptedException e)
            {
                return;
            }
            catch (Exception e)
            {
                if (running)
                    System.err.println("fake announcers: " + e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        sender.interrupt();
        sender.join(5_000);
        socket.close();
        senders.forEach(DatagramSocket::close);
    }
}
