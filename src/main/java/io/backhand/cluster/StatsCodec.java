package io.backhand.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;

/**
 * The announcement wire format, version 1: one datagram, big-endian, magic number and version first, every
 * length checked, an optional HMAC-SHA256 trailer. docs/wire-format.md documents it field by field.
 *
 * <p>One codec instance per thread: it keeps a {@link Mac} and a decoder, which are not thread-safe.
 * Decoding never throws on input; every rejection is a {@link DropReason}.</p>
 */
public final class StatsCodec
{
    public static final int MAGIC = 0x42484E44; // "BHND"
    public static final int VERSION = 1;
    /** Fits one Ethernet frame with IPv6 and UDP headers, so an announcement is never fragmented. */
    public static final int MAX_LENGTH = 1232;
    public static final int MAX_STRING = 255;
    public static final int HMAC_LENGTH = 32;
    static final int FLAG_SIGNED = 1;
    static final int FLAG_SECURE = 2;
    static final int KNOWN_FLAGS = FLAG_SIGNED | FLAG_SECURE;
    /** Bytes before the variable part: magic .. address length. */
    static final int FIXED_HEAD = 34;
    /** Bytes between the address and the strings: port .. avg serve time. */
    static final int FIXED_MIDDLE = 2 + 4 * 6 + 2 + 2 + 8 * 3 + 4;

    private final Mac mac;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /** @param secret the shared key, or null for unsigned announcements */
    public StatsCodec(byte[] secret)
    {
        if (secret == null)
        {
            mac = null;
        }
        else
        {
            try
            {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            }
            catch (GeneralSecurityException e)
            {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        }
    }

    public boolean signs()
    {
        return mac != null;
    }

    /** Encodes one announcement; throws IllegalArgumentException for values the format cannot carry. */
    public byte[] encode(ServerStats s)
    {
        byte[] name = string(s.name(), "name");
        byte[] hostname = string(s.hostname(), "hostname");
        byte[] worker = string(s.workerName(), "workerName");
        byte[] version = string(s.version(), "version");
        byte[] address = s.contactAddress() == null ? new byte[0] : s.contactAddress().getAddress();
        int length = FIXED_HEAD + address.length + FIXED_MIDDLE + 4 + name.length + hostname.length + worker.length
            + version.length + (mac != null ? HMAC_LENGTH : 0);
        if (length > MAX_LENGTH)
            throw new IllegalArgumentException("announcement of " + length + " bytes exceeds " + MAX_LENGTH);
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putInt(MAGIC);
        b.put((byte) VERSION);
        b.put((byte) ((mac != null ? FLAG_SIGNED : 0) | (s.secure() ? FLAG_SECURE : 0)));
        b.putShort((short) length);
        b.putLong(s.startedAtMillis());
        b.putLong(s.sequence());
        b.putLong(s.sentAtMillis());
        b.put((byte) s.state().code());
        b.put((byte) address.length);
        b.put(address);
        b.putShort((short) s.contactPort());
        b.putInt(nonNegative(s.arriba()));
        b.putInt(nonNegative(s.totalWorkers()));
        b.putInt(nonNegative(s.idleWorkers()));
        b.putInt(nonNegative(s.inFlight()));
        b.putInt(nonNegative(s.load1000()));
        b.putInt(nonNegative(s.loadHighWater1000()));
        b.putShort((short) Math.max(0, Math.min(1000, s.cpuIdle1000())));
        b.putShort((short) Math.max(1, Math.min(65535, s.cpuCount())));
        b.putLong(Math.max(0, s.memTotalBytes()));
        b.putLong(Math.max(0, Math.min(s.memTotalBytes(), s.memFreeBytes())));
        b.putLong(Math.max(0, s.requestsBackhanded()));
        b.putInt(nonNegative(s.avgServeMicros()));
        putString(b, name);
        putString(b, hostname);
        putString(b, worker);
        putString(b, version);
        if (mac != null)
        {
            mac.update(b.array(), 0, b.position());
            b.put(mac.doFinal());
        }
        return b.array();
    }

    private static int nonNegative(int v)
    {
        return Math.max(0, v);
    }

    private static byte[] string(String s, String field)
    {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING)
            throw new IllegalArgumentException(field + " is longer than " + MAX_STRING + " bytes of UTF-8");
        return bytes;
    }

    private static void putString(ByteBuffer b, byte[] s)
    {
        b.put((byte) s.length);
        b.put(s);
    }

    /** The result of decoding: a record, or the reason it was dropped. */
    public record Decoded(ServerStats stats, DropReason drop, boolean signed)
    {
        static Decoded dropped(DropReason reason)
        {
            return new Decoded(null, reason, false);
        }

        public boolean ok()
        {
            return stats != null;
        }
    }

    /** Decodes the datagram held in {@code packet[0..length)}; never throws on any input. */
    public Decoded decode(byte[] packet, int length)
    {
        try
        {
            return decodeUnchecked(ByteBuffer.wrap(packet, 0, length).slice());
        }
        catch (RuntimeException e)
        {
            // A bug here must cost one packet, never the listener thread.
            return Decoded.dropped(DropReason.MALFORMED);
        }
    }

    private Decoded decodeUnchecked(ByteBuffer b)
    {
        int received = b.remaining();
        if (received > MAX_LENGTH)
            return Decoded.dropped(DropReason.OVERSIZED);
        if (received < 8)
            return Decoded.dropped(received >= 4 && b.getInt(0) != MAGIC ? DropReason.NOT_BACKHAND : DropReason.TRUNCATED);
        if (b.getInt() != MAGIC)
            return Decoded.dropped(DropReason.NOT_BACKHAND);
        int version = b.get() & 0xFF;
        if (version != VERSION)
            return Decoded.dropped(DropReason.VERSION);
        int flags = b.get() & 0xFF;
        int declared = b.getShort() & 0xFFFF;
        if (received < declared)
            return Decoded.dropped(DropReason.TRUNCATED);
        if (received > declared)
            return Decoded.dropped(DropReason.OVERSIZED);
        if ((flags & ~KNOWN_FLAGS) != 0)
            return Decoded.dropped(DropReason.MALFORMED);
        boolean signed = (flags & FLAG_SIGNED) != 0;
        int bodyEnd = declared - (signed ? HMAC_LENGTH : 0);
        if (bodyEnd < FIXED_HEAD)
            return Decoded.dropped(DropReason.TRUNCATED);
        if (mac != null)
        {
            if (!signed)
                return Decoded.dropped(DropReason.UNSIGNED);
            mac.update(b.array(), b.arrayOffset(), bodyEnd);
            byte[] expected = mac.doFinal();
            byte[] actual = new byte[HMAC_LENGTH];
            b.get(bodyEnd, actual);
            if (!MessageDigest.isEqual(expected, actual))
                return Decoded.dropped(DropReason.BAD_SIGNATURE);
        }
        // Everything below reads only the signed body.
        b.limit(bodyEnd);
        long startedAt = b.getLong();
        long sequence = b.getLong();
        long sentAt = b.getLong();
        NodeState state = NodeState.ofCode(b.get() & 0xFF);
        int addressLength = b.get() & 0xFF;
        if (state == null || (addressLength != 0 && addressLength != 4 && addressLength != 16))
            return Decoded.dropped(DropReason.MALFORMED);
        if (b.remaining() < addressLength + FIXED_MIDDLE + 4)
            return Decoded.dropped(DropReason.TRUNCATED);
        InetAddress address = null;
        if (addressLength > 0)
        {
            byte[] raw = new byte[addressLength];
            b.get(raw);
            try
            {
                address = InetAddress.getByAddress(raw);
            }
            catch (UnknownHostException e)
            {
                return Decoded.dropped(DropReason.MALFORMED);
            }
        }
        int port = b.getShort() & 0xFFFF;
        int arriba = b.getInt();
        int total = b.getInt();
        int idle = b.getInt();
        int inFlight = b.getInt();
        int load = b.getInt();
        int hwm = b.getInt();
        int cpuIdle = b.getShort() & 0xFFFF;
        int cpus = b.getShort() & 0xFFFF;
        long memTotal = b.getLong();
        long memFree = b.getLong();
        long backhanded = b.getLong();
        int avgServe = b.getInt();
        if (startedAt <= 0 || sequence < 0 || sentAt <= 0 || port == 0 || arriba <= 0 || total < 0 || idle < 0
            || idle > total || inFlight < 0 || load < 0 || hwm < 0 || cpuIdle > 1000 || cpus == 0 || memTotal < 0
            || memFree < 0 || memFree > memTotal || backhanded < 0 || avgServe < 0)
            return Decoded.dropped(DropReason.MALFORMED);
        String name = getString(b);
        String hostname = name == null ? null : getString(b);
        String worker = hostname == null ? null : getString(b);
        String software = worker == null ? null : getString(b);
        if (software == null)
            return Decoded.dropped(b.remaining() == 0 ? DropReason.TRUNCATED : DropReason.MALFORMED);
        if (b.remaining() != 0 || name.isEmpty() || hostname.isEmpty())
            return Decoded.dropped(DropReason.MALFORMED);
        ServerStats stats = new ServerStats(name, hostname, address, port, (flags & FLAG_SECURE) != 0, startedAt, sentAt,
            sequence, state, arriba, total, idle, inFlight, load, hwm, cpuIdle, cpus, memTotal, memFree, backhanded,
            avgServe, worker, software);
        return new Decoded(stats, null, signed);
    }

    /** Null when the string is cut short or is not clean, printable UTF-8. */
    private String getString(ByteBuffer b)
    {
        if (!b.hasRemaining())
            return null;
        int len = b.get() & 0xFF;
        if (b.remaining() < len)
            return null;
        ByteBuffer slice = b.slice(b.position(), len);
        b.position(b.position() + len);
        try
        {
            CharBuffer chars = utf8.reset().decode(slice);
            for (int i = 0; i < chars.length(); i++)
            {
                if (Character.isISOControl(chars.charAt(i)))
                    return null;
            }
            return chars.toString();
        }
        catch (CharacterCodingException e)
        {
            return null;
        }
    }
}
