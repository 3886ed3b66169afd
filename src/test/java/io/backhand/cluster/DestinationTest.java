package io.backhand.cluster;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MulticastStats lines, as mod_backhand users wrote them and with what this project adds. */
class DestinationTest
{
    @Test
    void multicastWithTheDefaultTtlOrAGivenOne()
    {
        Destination d = Destination.parse("239.255.221.20:4445");
        assertEquals(Destination.Kind.MULTICAST, d.kind());
        assertEquals(new InetSocketAddress(ip("239.255.221.20"), 4445), d.target());
        assertEquals(1, d.ttl());
        assertNull(d.advertise());
        assertEquals(0, Destination.parse("239.255.221.20:4445,0").ttl());
        assertEquals(Destination.Kind.MULTICAST, Destination.parse("[ff15::beef]:4445,4").kind());
    }

    @Test
    void anAdvertisedAddressWithOrWithoutAPort()
    {
        Destination d = Destination.parse("10.0.0.7 239.255.221.20:4445");
        assertEquals(ip("10.0.0.7"), d.advertise());
        assertEquals(0, d.advertisePort(), "0: the node's HTTP port");
        Destination p = Destination.parse("[fd00::7]:8443 [fd00::ff]:4445");
        assertEquals(ip("fd00::7"), p.advertise());
        assertEquals(8443, p.advertisePort());
        assertEquals(Destination.Kind.UNICAST, p.kind());
    }

    @Test
    void broadcastIsRecognised()
    {
        assertEquals(Destination.Kind.BROADCAST, Destination.parse("255.255.255.255:4445").kind());
        assertEquals(Destination.Kind.BROADCAST, Destination.parse("127.255.255.255:4445").kind());
        assertEquals(Destination.Kind.UNICAST, Destination.parse("127.0.0.1:4445").kind());
    }

    @Test
    void mistakesAreExplained()
    {
        for (String bad : List.of("239.255.221.20", "239.255.221.20:4445,256", "239.255.221.20:4445,x",
            "cluster.example.org:4445", "a b c", "10.0.0.7 239.255.221.20:99999", "node.example 239.1.1.1:4445"))
        {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Destination.parse(bad), bad);
            assertTrue(e.getMessage().contains("'"), e.getMessage());
        }
    }
}
