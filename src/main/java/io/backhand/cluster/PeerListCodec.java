package io.backhand.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;

/**
 * The peer list: a signed datagram in which a node tells another the stats addresses of the peers it hears,
 * so that nodes given one seed find each other. Big-endian: magic {@code "BHNP"}, version, flags (1: signed,
 * always set), send time in milliseconds, entry count, then per entry the address length (4 or 16), the
 * address and the UDP port; an HMAC-SHA256 of everything before it closes the datagram.
 *
 * <p>Peer lists exist only where a secret is set: an unsigned list would let anyone inside AcceptStats choose
 * where this node sends. Every length is checked; decoding never throws on input, every rejection is a
 * {@link DropReason}. One instance per thread (it keeps a {@link Mac}).</p>
 */
public final class PeerListCodec
{
    public static final int MAGIC = 0x42484E50; // "BHNP"
    public static final int VERSION = 1;
    static final int FLAG_SIGNED = 1;
    static final int HEAD = 4 + 1 + 1 + 8 + 2;
    private static final int HMAC_LENGTH = StatsCodec.HMAC_LENGTH;
    /** Bytes left for entries in one datagram that is never fragmented (see {@link StatsCodec#MAX_LENGTH}). */
    private static final int ROOM = StatsCodec.MAX_LENGTH - HEAD - HMAC_LENGTH;

    private final Mac mac;
    private final byte[] expected = new byte[HMAC_LENGTH];

    public PeerListCodec(byte[] secret)
    {
        if (secret == null || secret.length == 0)
            throw new IllegalArgumentException("peer lists are always signed: a secret is needed");
        mac = Hmac.sha256(secret);
    }

    /** Whether a datagram is a peer list rather than an announcement (the magic number alone decides). */
    public static boolean isPeerList(byte[] packet, int length)
    {
        return length >= 4 && ByteBuffer.wrap(packet, 0, 4).getInt() == MAGIC;
    }

    /** As many datagrams as the addresses need, each under the unfragmented size; none for no address. */
    public List<byte[]> encode(List<InetSocketAddress> peers, long nowMillis)
    {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        while (from < peers.size())
        {
            int to = from;
            int room = ROOM;
            while (to < peers.size() && room >= entryLength(peers.get(to)))
                room -= entryLength(peers.get(to++));
            out.add(encodeOne(peers.subList(from, to), nowMillis));
            from = to;
        }
        return out;
    }

    private static int entryLength(InetSocketAddress a)
    {
        return 1 + a.getAddress().getAddress().length + 2;
    }

    private byte[] encodeOne(List<InetSocketAddress> peers, long nowMillis)
    {
        int length = HEAD + HMAC_LENGTH;
        for (InetSocketAddress a : peers)
            length += entryLength(a);
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) FLAG_SIGNED).putLong(nowMillis).putShort((short) peers.size());
        for (InetSocketAddress a : peers)
        {
            byte[] ip = a.getAddress().getAddress();
            b.put((byte) ip.length).put(ip).putShort((short) a.getPort());
        }
        mac.update(b.array(), 0, b.position());
        try
        {
            mac.doFinal(b.array(), b.position());
        }
        catch (GeneralSecurityException e)
        {
            throw new IllegalStateException(e);
        }
        return b.array();
    }

    /** What decoding one datagram gave: the addresses, or why it was dropped. */
    public record Decoded(List<InetSocketAddress> peers, DropReason drop)
    {
        static Decoded dropped(DropReason reason)
        {
            return new Decoded(List.of(), reason);
        }

        public boolean ok()
        {
            return drop == null;
        }
    }

    /**
     * @param freshnessMillis the largest difference between the list's send time and this node's clock
     */
    public Decoded decode(byte[] packet, int length, long nowMillis, long freshnessMillis)
    {
        if (length > StatsCodec.MAX_LENGTH)
            return Decoded.dropped(DropReason.OVERSIZED);
        if (length < HEAD + HMAC_LENGTH)
            return Decoded.dropped(length >= 5 && packet[4] != VERSION ? DropReason.VERSION : DropReason.TRUNCATED);
        ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
        if (b.getInt() != MAGIC)
            return Decoded.dropped(DropReason.NOT_BACKHAND);
        if (b.get() != VERSION)
            return Decoded.dropped(DropReason.VERSION);
        byte flags = b.get();
        if ((flags & FLAG_SIGNED) == 0)
            return Decoded.dropped(DropReason.UNSIGNED);
        if (flags != FLAG_SIGNED)
            return Decoded.dropped(DropReason.MALFORMED);
        int body = length - HMAC_LENGTH;
        mac.update(packet, 0, body);
        try
        {
            mac.doFinal(expected, 0);
        }
        catch (GeneralSecurityException e)
        {
            throw new IllegalStateException(e);
        }
        if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(packet, body, length)))
            return Decoded.dropped(DropReason.BAD_SIGNATURE);
        long sentAt = b.getLong();
        if (Math.abs(sentAt - nowMillis) > freshnessMillis)
            return Decoded.dropped(DropReason.REPLAYED);
        int count = b.getShort() & 0xFFFF;
        List<InetSocketAddress> peers = new ArrayList<>(Math.min(count, ROOM / 7));
        for (int i = 0; i < count; i++)
        {
            if (body - b.position() < 1)
                return Decoded.dropped(DropReason.TRUNCATED);
            int ipLength = b.get();
            if (ipLength != 4 && ipLength != 16)
                return Decoded.dropped(DropReason.MALFORMED);
            if (body - b.position() < ipLength + 2)
                return Decoded.dropped(DropReason.TRUNCATED);
            byte[] ip = new byte[ipLength];
            b.get(ip);
            int port = b.getShort() & 0xFFFF;
            if (port == 0)
                return Decoded.dropped(DropReason.MALFORMED);
            InetAddress address;
            try
            {
                address = InetAddress.getByAddress(ip);
            }
            catch (UnknownHostException e)
            {
                return Decoded.dropped(DropReason.MALFORMED); // not reached: the length is 4 or 16
            }
            // An IPv4-mapped IPv6 address comes back as IPv4, so the canonical form of an entry is unique.
            if (ipLength == 16 && address instanceof Inet4Address)
                return Decoded.dropped(DropReason.MALFORMED);
            peers.add(new InetSocketAddress(address, port));
        }
        if (b.position() != body)
            return Decoded.dropped(DropReason.OVERSIZED);
        return new Decoded(List.copyOf(peers), null);
    }
}
