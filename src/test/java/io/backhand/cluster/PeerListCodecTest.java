package io.backhand.cluster;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static io.backhand.cluster.Records.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signed peer list: what it carries, how it is split, and every way a datagram is refused. */
class PeerListCodecTest
{
    private static final byte[] KEY = "the cluster's shared secret".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_700_000_000_000L;
    private static final long FRESH = 300_000;

    private static InetSocketAddress at(String ip, int port)
    {
        return new InetSocketAddress(ip(ip), port);
    }

    @Test
    void aListComesBackAsItWasSentIpv4AndIpv6Alike()
    {
        List<InetSocketAddress> peers = List.of(at("10.0.1.11", 4445), at("fd00::12", 4445), at("10.0.1.13", 65535));
        List<byte[]> packets = new PeerListCodec(KEY).encode(peers, NOW);
        assertEquals(1, packets.size());
        byte[] p = packets.get(0);
        assertTrue(PeerListCodec.isPeerList(p, p.length));
        PeerListCodec.Decoded d = new PeerListCodec(KEY).decode(p, p.length, NOW + 1000, FRESH);
        assertTrue(d.ok(), String.valueOf(d.drop()));
        assertEquals(peers, d.peers());
        assertTrue(new PeerListCodec(KEY).encode(List.of(), NOW).isEmpty(), "nothing to say, nothing sent");
    }

    @Test
    void aLongListIsSplitIntoDatagramsThatAreNeverFragmented()
    {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
            peers.add(at("10.0." + i / 250 + "." + (i % 250 + 1), 4445));
        List<byte[]> packets = new PeerListCodec(KEY).encode(peers, NOW);
        assertTrue(packets.size() > 1);
        List<InetSocketAddress> back = new ArrayList<>();
        PeerListCodec in = new PeerListCodec(KEY);
        for (byte[] p : packets)
        {
            assertTrue(p.length <= StatsCodec.MAX_LENGTH, p.length + " bytes");
            back.addAll(in.decode(p, p.length, NOW, FRESH).peers());
        }
        assertEquals(peers, back);
    }

    @Test
    void aWrongKeyAFlippedBitAnOldListAndAnUnsignedOneAreRefused()
    {
        byte[] p = new PeerListCodec(KEY).encode(List.of(at("10.0.1.11", 4445)), NOW).get(0);
        PeerListCodec in = new PeerListCodec(KEY);
        assertEquals(DropReason.BAD_SIGNATURE, new PeerListCodec("another secret, 16+".getBytes(StandardCharsets.UTF_8))
            .decode(p, p.length, NOW, FRESH).drop());
        for (int i = PeerListCodec.HEAD; i < p.length; i++)
        {
            byte[] flipped = p.clone();
            flipped[i] ^= 1;
            assertEquals(DropReason.BAD_SIGNATURE, in.decode(flipped, flipped.length, NOW, FRESH).drop(), "byte " + i);
        }
        assertEquals(DropReason.REPLAYED, in.decode(p, p.length, NOW + FRESH + 1, FRESH).drop());
        byte[] unsigned = p.clone();
        unsigned[5] = 0;
        assertEquals(DropReason.UNSIGNED, in.decode(unsigned, unsigned.length, NOW, FRESH).drop());
        byte[] version = p.clone();
        version[4] = 2;
        assertEquals(DropReason.VERSION, in.decode(version, version.length, NOW, FRESH).drop());
        assertThrows(IllegalArgumentException.class, () -> new PeerListCodec(null), "a list is never unsigned");
    }

    @Test
    void everyTruncationAndRandomBytesAreDroppedWithoutAnException()
    {
        byte[] p = new PeerListCodec(KEY).encode(List.of(at("10.0.1.11", 4445), at("fd00::12", 4445)), NOW).get(0);
        PeerListCodec in = new PeerListCodec(KEY);
        for (int n = 0; n < p.length; n++)
            assertFalse(in.decode(Arrays.copyOf(p, n), n, NOW, FRESH).ok(), "cut to " + n);
        byte[] longer = Arrays.copyOf(p, p.length + 1);
        assertFalse(in.decode(longer, longer.length, NOW, FRESH).ok());
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] junk = new byte[r.nextInt(1300)];
            r.nextBytes(junk);
            if (junk.length >= 4)
                System.arraycopy(p, 0, junk, 0, 4);
            assertNotNull(in.decode(junk, junk.length, NOW, FRESH).drop());
        }
        assertFalse(PeerListCodec.isPeerList(new byte[] {0x42, 0x48, 0x4E, 0x44}, 4), "an announcement is not a list");
    }

    @Test
    void theExampleInTheWireFormatDocumentIsWhatTheCodeSends() throws Exception
    {
        String doc = Files.readString(Path.of("docs/wire-format.md"));
        Matcher m = Pattern.compile("```hex-peerlist\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "no ```hex-peerlist block in docs/wire-format.md");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : m.group(1).split("\n"))
        {
            String[] words = line.strip().split("\\s+");
            for (int i = 1; i < words.length; i++)
                out.write(Integer.parseInt(words[i], 16));
        }
        byte[] key = "example key - never use it".getBytes(StandardCharsets.US_ASCII);
        List<InetSocketAddress> peers = List.of(at("10.58.4.23", 4445), at("fd00:58:4::24", 4445));
        assertArrayEquals(out.toByteArray(), new PeerListCodec(key).encode(peers, 1_700_000_456_789L).get(0));
    }
}
