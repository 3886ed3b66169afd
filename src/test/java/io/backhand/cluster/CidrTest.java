package io.backhand.cluster;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest
{
    @Test
    void ipv4RangesOnAndOffByteBoundaries()
    {
        Cidr c = Cidr.parse("10.58.4.0/22");
        assertTrue(c.contains(ip("10.58.4.1")));
        assertTrue(c.contains(ip("10.58.7.255")));
        assertFalse(c.contains(ip("10.58.8.0")));
        assertFalse(c.contains(ip("10.58.3.255")));
        assertEquals("10.58.4.0/22", c.toString());
        assertEquals("10.58.4.0/22", Cidr.parse("10.58.5.77/22").toString(), "host bits are masked off");
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertTrue(Cidr.parse("127.0.0.1").contains(ip("127.0.0.1")));
        assertFalse(Cidr.parse("127.0.0.1").contains(ip("127.0.0.2")));
    }

    @Test
    void ipv6RangesAndMappedIpv4() throws Exception
    {
        Cidr c = Cidr.parse("fd00:1234::/33");
        assertTrue(c.contains(ip("fd00:1234:7fff::1")));
        assertFalse(c.contains(ip("fd00:1234:8000::1")));
        assertTrue(Cidr.parse("[::1]").contains(ip("::1")));
        assertFalse(Cidr.parse("::1/128").contains(ip("127.0.0.1")), "families never cross");
        assertFalse(Cidr.parse("127.0.0.0/8").contains(ip("::1")));
        // Dual-stack sockets may report an IPv4 peer as ::ffff:a.b.c.d; Java normally unwraps it already.
        java.net.InetAddress mapped = java.net.Inet6Address.getByAddress(null,
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 58, 4, 9}, -1);
        assertTrue(Cidr.parse("10.58.4.0/24").contains(mapped));
    }

    @Test
    void badRangesSayWhatIsWrong()
    {
        for (String bad : List.of("10.0.0.0/33", "10.0.0.256", "fd00::/129", "example.org", "10.0.0.0/x", "", "::1/-1"))
        {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void acceptStatsFailsClosed()
    {
        assertTrue(AcceptStats.none().isEmpty());
        assertFalse(AcceptStats.none().accepts(ip("127.0.0.1")), "with no range nothing is believed");
        AcceptStats both = new AcceptStats(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")));
        assertTrue(both.accepts(ip("10.1.2.3")));
        assertTrue(both.accepts(ip("fd12::3")));
        assertFalse(both.accepts(ip("192.168.1.1")));
    }
}
