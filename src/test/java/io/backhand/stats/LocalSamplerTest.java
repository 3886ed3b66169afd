package io.backhand.stats;

import java.net.InetAddress;

import io.backhand.cluster.StatsCodec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalSamplerTest
{
    /** A container in a bad moment: more idle threads than threads, a negative count, no worker name. */
    private static final class OddContainer implements ContainerGauge
    {
        @Override
        public int maxWorkers()
        {
            return 10;
        }

        @Override
        public int idleWorkers()
        {
            return 12;
        }

        @Override
        public int inFlight()
        {
            return -1;
        }

        @Override
        public String workerName()
        {
            return null;
        }

        @Override
        public int httpPort()
        {
            return 8080;
        }

        @Override
        public boolean secure()
        {
            return true;
        }

        @Override
        public String describe()
        {
            return "odd";
        }
    }

    @Test
    void oddFiguresAreBroughtIntoRangeSoTheAnnouncementStillGoesOut()
    {
        HostFigures oddHost = () -> new HostSample(-20, 1500, 0, 1000, 5000);
        LocalSampler sampler = new LocalSampler(new LocalSampler.Identity("n", "n.example", InetAddress.getLoopbackAddress(),
            0, 1_700_000_000_000L, 0, "1.0"), oddHost, new OddContainer(), ProxyTotals.NONE, () -> NodeState.DRAINING);
        ServerStats s = sampler.sample(1_700_000_000_500L, 4000);
        assertEquals(10, s.idleWorkers());
        assertEquals(0, s.inFlight());
        assertEquals(0, s.load1000());
        assertEquals(1000, s.cpuIdle1000());
        assertEquals(1, s.cpuCount());
        assertEquals(1000, s.memFreeBytes());
        assertEquals(1, s.arriba());
        assertEquals("", s.workerName());
        assertEquals(4000, s.loadHighWater1000());
        assertEquals(8080, s.contactPort(), "the container's port when none is configured");
        assertEquals(NodeState.DRAINING, s.state());
        StatsCodec codec = new StatsCodec(null);
        byte[] packet = codec.encode(s);
        assertEquals(s, codec.decode(packet, packet.length).stats());
    }

    @Test
    void aWorkerNameTheWireCannotCarryIsLeftOutRatherThanStoppingTheAnnouncements()
    {
        assertEquals("node0", LocalSampler.announceable("node0"));
        assertEquals("", LocalSampler.announceable("x".repeat(256)));
        assertEquals("", LocalSampler.announceable("node\n0"));
        assertEquals("", LocalSampler.announceable(null));
    }

    @Test
    void eachSampleHasTheNextSequenceNumber()
    {
        LocalSampler sampler = new LocalSampler(new LocalSampler.Identity("n", "h", null, 9000, 1L, 500, ""),
            HostFigures.forThisHost(), new OddContainer(), ProxyTotals.NONE, () -> NodeState.READY);
        long first = sampler.sample(2, 1000).sequence();
        assertEquals(first + 1, sampler.sample(3, 1000).sequence());
        assertEquals(9000, sampler.sample(4, 1000).contactPort(), "a configured port wins over the container's");
    }
}
