package io.backhand.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;
import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsCodecTest
{
    private static final byte[] SECRET = "a shared secret of some length".getBytes(StandardCharsets.UTF_8);
    private final StatsCodec plain = new StatsCodec(null);
    private final StatsCodec signing = new StatsCodec(SECRET);

    private static ServerStats roundTrip(StatsCodec codec, ServerStats s)
    {
        byte[] packet = codec.encode(s);
        StatsCodec.Decoded d = codec.decodeStrict(packet, packet.length);
        assertTrue(d.ok(), () -> "dropped as " + d.drop() + ": " + s);
        return d.stats();
    }

    @Test
    void everyFieldSurvivesTheRoundTripSignedAndUnsigned()
    {
        ServerStats s = Records.everyField();
        assertEquals(s, roundTrip(plain, s));
        assertEquals(s, roundTrip(signing, s));
        assertTrue(signing.decodeStrict(signing.encode(s), signing.encode(s).length).signed());
    }

    /**
     * Each field on its own, changed from the reference record: the change must reach the wire (the bytes
     * differ) and come back (the record is equal). A field the codec forgot would fail one of the two.
     */
    @Test
    void eachFieldOnItsOwnReachesTheWireAndComesBack()
    {
        ServerStats base = Records.everyField();
        byte[] baseBytes = plain.encode(base);
        List<UnaryOperator<ServerStats.Builder>> changes = List.of(
            b -> b.name("app-4"),
            b -> b.hostname("other.example.org"),
            b -> b.contactAddress(ip("10.58.4.24")),
            b -> b.contactAddress(ip("fd00::1:2")),
            b -> b.contactAddress(null),
            b -> b.contactPort(8444),
            b -> b.secure(false),
            b -> b.startedAtMillis(1_700_000_000_124L),
            b -> b.sentAtMillis(1_700_000_456_790L),
            b -> b.sequence(4_242_424_243L),
            b -> b.state(NodeState.READY),
            b -> b.state(NodeState.LEAVING),
            b -> b.arriba(3_142),
            b -> b.totalWorkers(251),
            b -> b.idleWorkers(178),
            b -> b.inFlight(62),
            b -> b.load1000(2_719),
            b -> b.loadHighWater1000(16_000),
            b -> b.cpuIdle1000(578),
            b -> b.cpuCount(49),
            b -> b.memTotalBytes(68_719_476_737L),
            b -> b.memFreeBytes(12_884_901_889L),
            b -> b.requestsBackhanded(9_876_543_211L),
            b -> b.avgServeMicros(1_234_568),
            b -> b.workerName("node4"),
            b -> b.version("1.4.3"));
        for (UnaryOperator<ServerStats.Builder> change : changes)
        {
            ServerStats changed = change.apply(base.toBuilder()).build();
            assertNotEquals(base, changed);
            assertFalse(Arrays.equals(baseBytes, plain.encode(changed)), () -> "no change on the wire: " + changed);
            assertEquals(changed, roundTrip(plain, changed));
            assertEquals(changed, roundTrip(signing, changed));
        }
    }

    @Test
    void extremesOfEveryRangeRoundTrip()
    {
        ServerStats smallest = ServerStats.builder().name("n").hostname("h").contactPort(1).startedAtMillis(1)
            .sentAtMillis(1).sequence(0).arriba(1).totalWorkers(0).idleWorkers(0).inFlight(0).load1000(0)
            .loadHighWater1000(1000).cpuIdle1000(0).cpuCount(1).memTotalBytes(0).memFreeBytes(0)
            .requestsBackhanded(0).avgServeMicros(0).workerName("").version("").build();
        String longest = "é".repeat(127) + "a";
        ServerStats largest = ServerStats.builder().name(longest).hostname(longest).workerName(longest)
            .version(longest).contactAddress(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:fffe")).contactPort(65535)
            .startedAtMillis(Long.MAX_VALUE).sentAtMillis(Long.MAX_VALUE).sequence(Long.MAX_VALUE)
            .arriba(Integer.MAX_VALUE).totalWorkers(Integer.MAX_VALUE).idleWorkers(Integer.MAX_VALUE)
            .inFlight(Integer.MAX_VALUE).load1000(Integer.MAX_VALUE).loadHighWater1000(1000 << 20).cpuIdle1000(1000)
            .cpuCount(65535).memTotalBytes(Long.MAX_VALUE).memFreeBytes(Long.MAX_VALUE)
            .requestsBackhanded(Long.MAX_VALUE).avgServeMicros(Integer.MAX_VALUE).build();
        assertEquals(255, longest.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(smallest, roundTrip(plain, smallest));
        assertEquals(largest, roundTrip(plain, largest));
        assertEquals(largest, roundTrip(signing, largest));
        assertTrue(signing.encode(largest).length <= StatsCodec.MAX_LENGTH, "the largest record fits one datagram");
    }

    @Test
    void theHeaderIsMagicVersionFlagsAndLengthBigEndian()
    {
        byte[] p = signing.encode(Records.everyField());
        ByteBuffer b = ByteBuffer.wrap(p);
        assertEquals(0x42484E44, b.getInt());
        assertEquals(1, b.get());
        assertEquals(StatsCodec.FLAG_SIGNED | StatsCodec.FLAG_SECURE, b.get());
        assertEquals(p.length, b.getShort() & 0xFFFF);
        assertEquals(1_700_000_000_123L, b.getLong(), "start time, big-endian, at offset 8");
        assertEquals(4_242_424_242L, b.getLong(), "sequence at offset 16");
    }

    @Test
    void theEncoderRefusesWhatAReceiverWouldReject()
    {
        ServerStats ok = Records.everyField();
        List<UnaryOperator<ServerStats.Builder>> bad = List.of(
            b -> b.name(""),
            b -> b.hostname(""),
            b -> b.name("a".repeat(256)),
            b -> b.version("line\nbreak"),
            b -> b.workerName("\uD800 unpaired surrogate"),
            b -> b.contactAddress(ip("239.1.2.3")),
            b -> b.contactAddress(ip("0.0.0.0")),
            b -> b.contactPort(0),
            b -> b.contactPort(65536),
            b -> b.startedAtMillis(0),
            b -> b.sentAtMillis(-1),
            b -> b.sequence(-1),
            b -> b.arriba(0),
            b -> b.idleWorkers(251),
            b -> b.inFlight(-1),
            b -> b.load1000(-1),
            b -> b.loadHighWater1000(3000),
            b -> b.loadHighWater1000(500),
            b -> b.cpuIdle1000(1001),
            b -> b.cpuCount(0),
            b -> b.memFreeBytes(68_719_476_737L),
            b -> b.requestsBackhanded(-1),
            b -> b.avgServeMicros(-1));
        for (UnaryOperator<ServerStats.Builder> change : bad)
        {
            ServerStats s = change.apply(ok.toBuilder()).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.encode(s), s::toString);
            assertTrue(e.getMessage().contains("wire format"), e.getMessage());
        }
    }

    private static byte[] withByte(byte[] p, int offset, int value)
    {
        byte[] c = p.clone();
        c[offset] = (byte) value;
        return c;
    }

    private static DropReason dropOf(StatsCodec codec, byte[] p)
    {
        StatsCodec.Decoded d = codec.decodeStrict(p, p.length);
        assertFalse(d.ok(), "accepted: " + d.stats());
        return d.drop();
    }

    @Test
    void eachKindOfBadPacketHasItsOwnReason()
    {
        byte[] p = plain.encode(Records.everyField());
        byte[] s = signing.encode(Records.everyField());
        assertEquals(DropReason.TRUNCATED, dropOf(plain, new byte[0]));
        assertEquals(DropReason.TRUNCATED, dropOf(plain, Arrays.copyOf(p, 3)));
        assertEquals(DropReason.NOT_BACKHAND, dropOf(plain, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(DropReason.VERSION, dropOf(plain, withByte(p, 4, 2)));
        assertEquals(DropReason.MALFORMED, dropOf(plain, withByte(p, 5, 0x80)), "unknown flag");
        assertEquals(DropReason.TRUNCATED, dropOf(plain, Arrays.copyOf(p, p.length - 1)));
        assertEquals(DropReason.OVERSIZED, dropOf(plain, Arrays.copyOf(p, p.length + 1)));
        assertEquals(DropReason.OVERSIZED, dropOf(plain, new byte[StatsCodec.MAX_LENGTH + 1]));
        assertEquals(DropReason.UNSIGNED, dropOf(signing, p));
        assertEquals(DropReason.UNEXPECTED_SIGNATURE, dropOf(plain, s));
        assertEquals(DropReason.BAD_SIGNATURE, dropOf(new StatsCodec("another secret, same length.".getBytes(StandardCharsets.UTF_8)), s));
        assertEquals(DropReason.BAD_SIGNATURE, dropOf(signing, withByte(s, s.length - 1, s[s.length - 1] ^ 1)));
        assertEquals(DropReason.BAD_SIGNATURE, dropOf(signing, withByte(s, 40, s[40] ^ 1)), "a body change breaks the signature");
        assertEquals(DropReason.MALFORMED, dropOf(plain, withByte(p, 32, 7)), "unknown state");
        assertEquals(DropReason.MALFORMED, dropOf(plain, withByte(p, 33, 5)), "address of 5 bytes");
    }

    @Test
    void valuesOutsideTheirRangeAreMalformedEvenWhenWellFramed()
    {
        ServerStats base = Records.everyField().toBuilder().contactAddress(null).build();
        byte[] p = plain.encode(base);
        int middle = StatsCodec.FIXED_HEAD;
        int hwmAt = middle + 2 + 5 * 4;
        byte[] hwm = p.clone();
        ByteBuffer.wrap(hwm).putInt(hwmAt, 3000);
        assertEquals(DropReason.MALFORMED, dropOf(plain, hwm), "a high-water mark that is not a power of two");
        int cpuIdleAt = middle + 2 + 6 * 4;
        byte[] idle = p.clone();
        ByteBuffer.wrap(idle).putShort(cpuIdleAt, (short) 1001);
        assertEquals(DropReason.MALFORMED, dropOf(plain, idle), "CPU idle above 100%");
        byte[] port = p.clone();
        ByteBuffer.wrap(port).putShort(middle, (short) 0);
        assertEquals(DropReason.MALFORMED, dropOf(plain, port), "port 0");
        byte[] control = plain.encode(base.toBuilder().name("abc").build());
        int nameAt = middle + StatsCodec.FIXED_MIDDLE + 1;
        control[nameAt + 1] = '\n';
        assertEquals(DropReason.MALFORMED, dropOf(plain, control), "a control character in a name");
        byte[] overlong = plain.encode(base.toBuilder().name("ab").build());
        overlong[nameAt] = (byte) 0xC1;
        overlong[nameAt + 1] = (byte) 0x81;
        assertEquals(DropReason.MALFORMED, dropOf(plain, overlong), "an overlong UTF-8 'A'");
    }

    @Test
    void anIpv4AddressInItsMappedIpv6FormIsRejectedSinceItWouldEncodeDifferently()
    {
        ServerStats v6 = Records.everyField().toBuilder().contactAddress(ip("fd00::a3a:417")).build();
        byte[] p = plain.encode(v6);
        int at = StatsCodec.FIXED_HEAD;
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 58, 4, 23};
        System.arraycopy(mapped, 0, p, at, 16);
        assertEquals(DropReason.MALFORMED, dropOf(plain, p));
        byte[] multicast = plain.encode(v6);
        multicast[at] = (byte) 0xFF;
        assertEquals(DropReason.MALFORMED, dropOf(plain, multicast), "a multicast contact address");
    }

    @Test
    void theSafetyNetTurnsImpossibleArgumentsIntoADrop()
    {
        assertEquals(DropReason.MALFORMED, plain.decode(new byte[10], 11).drop());
        assertEquals(DropReason.MALFORMED, plain.decode(null, 0).drop());
        byte[] p = plain.encode(Records.everyField());
        byte[] big = Arrays.copyOf(p, 65536);
        StatsCodec.Decoded d = plain.decode(big, p.length);
        assertTrue(d.ok(), "a packet at the start of a larger receive buffer");
        assertArrayEquals(p, plain.encode(d.stats()));
    }
}
