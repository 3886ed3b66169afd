package io.backhand.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;

/**
 * The announcement wire format, version 1: one datagram, big-endian, magic number and version first, every
 * length checked, an optional HMAC-SHA256 trailer. docs/wire-format.md documents it field by field.
 *
 * <p>The format is canonical: the decoder accepts a datagram only if encoding the record it yields gives
 * back exactly the same bytes, and the encoder refuses any record the decoder would reject. So a packet that
 * is accepted is never garbage, only a record some node could have sent.</p>
 *
 * <p>One codec instance per thread: it keeps a {@link Mac} and a UTF-8 decoder, which are not thread-safe.
 * Decoding never throws on input; every rejection is a {@link DropReason}.</p>
 */
public final class StatsCodec
{
    public static final int MAGIC = 0x42484E44; // "BHND"
    public static final int VERSION = 1;
    /**
     * The IPv6 minimum MTU (1280) less the IPv6 and UDP headers: an announcement is never fragmented on any
     * path. The largest record the encoder can produce (1176 bytes, signed) is below it.
     */
    public static final int MAX_LENGTH = 1232;
    public static final int MAX_STRING = 255;
    public static final int HMAC_LENGTH = 32;
    /** The load high-water mark is 1000 times a power of two from 2^0 to 2^MAX_HWM_EXPONENT. */
    public static final int MAX_HWM_EXPONENT = 20;
    static final int FLAG_SIGNED = 1;
    static final int FLAG_SECURE = 2;
    static final int KNOWN_FLAGS = FLAG_SIGNED | FLAG_SECURE;
    /** Bytes before the variable part: magic .. address length. */
    static final int FIXED_HEAD = 4 + 1 + 1 + 2 + 8 + 8 + 8 + 1 + 1;
    /** Bytes between the address and the strings: port .. avg serve time. */
    static final int FIXED_MIDDLE = 2 + 4 * 6 + 2 + 2 + 8 * 3 + 4;
    /** The four strings each take at least their length byte. */
    static final int MIN_STRINGS = 4;

    private final Mac mac;
    private final byte[] expected = new byte[HMAC_LENGTH];
    /** Set by {@link #getString} when it failed because the body ended, as opposed to bad content. */
    private boolean cutShort;
    /** Decoded strings pass through here; 255 bytes of UTF-8 never make more than 255 chars. */
    private final CharBuffer chars = CharBuffer.allocate(MAX_STRING);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharsetEncoder utf8Out = StandardCharsets.UTF_8.newEncoder()
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
            if (secret.length == 0)
                throw new IllegalArgumentException("the shared secret is empty");
            mac = Hmac.sha256(secret);
        }
    }

    public boolean signs()
    {
        return mac != null;
    }

    /**
     * Encodes one announcement, signed when this codec has a secret. Throws IllegalArgumentException, naming
     * the field, for a record the format cannot carry or a receiver would reject: a sender must never put
     * garbage on the wire.
     */
    public byte[] encode(ServerStats s)
    {
        byte[] name = string(s.name(), "name", false);
        byte[] hostname = string(s.hostname(), "hostname", false);
        byte[] worker = string(s.workerName(), "workerName", true);
        byte[] version = string(s.version(), "version", true);
        byte[] address = s.contactAddress() == null ? new byte[0] : s.contactAddress().getAddress();
        if (s.contactAddress() != null && !usableContact(s.contactAddress()))
            throw invalid("contactAddress", s.contactAddress().getHostAddress());
        check(s.contactPort() >= 1 && s.contactPort() <= 65535, "contactPort", s.contactPort());
        check(s.startedAtMillis() > 0, "startedAtMillis", s.startedAtMillis());
        check(s.sentAtMillis() > 0, "sentAtMillis", s.sentAtMillis());
        check(s.sequence() >= 0, "sequence", s.sequence());
        check(s.arriba() >= 1, "arriba", s.arriba());
        check(s.totalWorkers() >= 0, "totalWorkers", s.totalWorkers());
        check(s.idleWorkers() >= 0 && s.idleWorkers() <= s.totalWorkers(), "idleWorkers", s.idleWorkers());
        check(s.inFlight() >= 0, "inFlight", s.inFlight());
        check(s.load1000() >= 0, "load1000", s.load1000());
        check(validHighWater(s.loadHighWater1000()), "loadHighWater1000", s.loadHighWater1000());
        check(s.cpuIdle1000() >= 0 && s.cpuIdle1000() <= 1000, "cpuIdle1000", s.cpuIdle1000());
        check(s.cpuCount() >= 1 && s.cpuCount() <= 65535, "cpuCount", s.cpuCount());
        check(s.memTotalBytes() >= 0, "memTotalBytes", s.memTotalBytes());
        check(s.memFreeBytes() >= 0 && s.memFreeBytes() <= s.memTotalBytes(), "memFreeBytes", s.memFreeBytes());
        check(s.requestsBackhanded() >= 0, "requestsBackhanded", s.requestsBackhanded());
        check(s.avgServeMicros() >= 0, "avgServeMicros", s.avgServeMicros());
        int length = FIXED_HEAD + address.length + FIXED_MIDDLE + MIN_STRINGS + name.length + hostname.length
            + worker.length + version.length + (mac != null ? HMAC_LENGTH : 0);
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
        b.putInt(s.arriba());
        b.putInt(s.totalWorkers());
        b.putInt(s.idleWorkers());
        b.putInt(s.inFlight());
        b.putInt(s.load1000());
        b.putInt(s.loadHighWater1000());
        b.putShort((short) s.cpuIdle1000());
        b.putShort((short) s.cpuCount());
        b.putLong(s.memTotalBytes());
        b.putLong(s.memFreeBytes());
        b.putLong(s.requestsBackhanded());
        b.putInt(s.avgServeMicros());
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

    private static void check(boolean ok, String field, long value)
    {
        if (!ok)
            throw invalid(field, Long.toString(value));
    }

    private static IllegalArgumentException invalid(String field, String value)
    {
        return new IllegalArgumentException("cannot announce " + field + " = " + value
            + ": outside what the wire format allows (docs/wire-format.md)");
    }

    /** A power of two times 1000, from 1000 to 1000 * 2^20: anything else is not a high-water mark. */
    public static boolean validHighWater(int hwm1000)
    {
        if (hwm1000 < 1000 || hwm1000 % 1000 != 0)
            return false;
        int p = hwm1000 / 1000;
        return Integer.bitCount(p) == 1 && p <= 1 << MAX_HWM_EXPONENT;
    }

    /**
     * A contact address must be one a request can be sent to. IPv4 travels as 4 bytes only; the 16-byte
     * IPv4-mapped form would decode to the same address, so accepting it would make two encodings of one record.
     */
    private static boolean usableContact(InetAddress a)
    {
        return !a.isMulticastAddress() && !a.isAnyLocalAddress();
    }

    private byte[] string(String s, String field, boolean mayBeEmpty)
    {
        if (s.isEmpty() && !mayBeEmpty)
            throw invalid(field, "\"\"");
        for (int i = 0; i < s.length(); i++)
        {
            if (Character.isISOControl(s.charAt(i)))
                throw invalid(field, "a string with control characters");
        }
        ByteBuffer bytes;
        try
        {
            bytes = utf8Out.reset().encode(CharBuffer.wrap(s));
        }
        catch (CharacterCodingException e)
        {
            throw invalid(field, "a string that is not valid Unicode");
        }
        if (bytes.remaining() > MAX_STRING)
            throw invalid(field, "a string longer than " + MAX_STRING + " bytes of UTF-8");
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        return out;
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
        if (packet == null || length < 0 || length > packet.length)
            return Decoded.dropped(DropReason.MALFORMED);
        try
        {
            return decodeStrict(packet, length);
        }
        catch (RuntimeException e)
        {
            // The randomized tests call decodeStrict and prove this is never reached; if a future change
            // breaks that, the cost is one packet, never the listener thread.
            return Decoded.dropped(DropReason.MALFORMED);
        }
    }

    /** The decoder without its safety net, so that tests see any exception it would throw. */
    Decoded decodeStrict(byte[] packet, int received)
    {
        if (received > MAX_LENGTH)
            return Decoded.dropped(DropReason.OVERSIZED);
        ByteBuffer b = ByteBuffer.wrap(packet, 0, received);
        if (received < 4)
            return Decoded.dropped(DropReason.TRUNCATED);
        if (b.getInt() != MAGIC)
            return Decoded.dropped(DropReason.NOT_BACKHAND);
        if (received < 8)
            return Decoded.dropped(DropReason.TRUNCATED);
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
        if (bodyEnd < FIXED_HEAD + FIXED_MIDDLE + MIN_STRINGS)
            return Decoded.dropped(DropReason.TRUNCATED);
        if (mac != null && !signed)
            return Decoded.dropped(DropReason.UNSIGNED);
        if (mac == null && signed)
            return Decoded.dropped(DropReason.UNEXPECTED_SIGNATURE);
        if (mac != null && !signatureMatches(packet, bodyEnd))
            return Decoded.dropped(DropReason.BAD_SIGNATURE);
        // Everything below reads only the (verified) body.
        b.limit(bodyEnd);
        long startedAt = b.getLong();
        long sequence = b.getLong();
        long sentAt = b.getLong();
        NodeState state = NodeState.ofCode(b.get() & 0xFF);
        int addressLength = b.get() & 0xFF;
        if (state == null || (addressLength != 0 && addressLength != 4 && addressLength != 16))
            return Decoded.dropped(DropReason.MALFORMED);
        if (b.remaining() < addressLength + FIXED_MIDDLE + MIN_STRINGS)
            return Decoded.dropped(DropReason.TRUNCATED);
        InetAddress address = null;
        if (addressLength > 0)
        {
            byte[] raw = new byte[addressLength];
            b.get(raw);
            address = address(raw);
            if (address == null)
                return Decoded.dropped(DropReason.MALFORMED);
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
            || idle > total || inFlight < 0 || load < 0 || !validHighWater(hwm) || cpuIdle > 1000 || cpus == 0
            || memTotal < 0 || memFree < 0 || memFree > memTotal || backhanded < 0 || avgServe < 0)
            return Decoded.dropped(DropReason.MALFORMED);
        String name = getString(b);
        String hostname = name == null ? null : getString(b);
        String worker = hostname == null ? null : getString(b);
        String software = worker == null ? null : getString(b);
        if (software == null)
            return Decoded.dropped(cutShort ? DropReason.TRUNCATED : DropReason.MALFORMED);
        if (b.remaining() != 0 || name.isEmpty() || hostname.isEmpty())
            return Decoded.dropped(DropReason.MALFORMED);
        ServerStats stats = new ServerStats(name, hostname, address, port, (flags & FLAG_SECURE) != 0, startedAt, sentAt,
            sequence, state, arriba, total, idle, inFlight, load, hwm, cpuIdle, cpus, memTotal, memFree, backhanded,
            avgServe, worker, software);
        return new Decoded(stats, null, signed);
    }

    private boolean signatureMatches(byte[] packet, int bodyEnd)
    {
        mac.update(packet, 0, bodyEnd);
        try
        {
            mac.doFinal(expected, 0);
        }
        catch (ShortBufferException e)
        {
            throw new IllegalStateException(e);
        }
        // Constant time, so that timing reveals nothing about how much of a forged signature was right.
        int diff = 0;
        for (int i = 0; i < HMAC_LENGTH; i++)
            diff |= expected[i] ^ packet[bodyEnd + i];
        return diff == 0;
    }

    private static InetAddress address(byte[] raw)
    {
        try
        {
            InetAddress a = InetAddress.getByAddress(raw);
            // getByAddress turns ::ffff:a.b.c.d into an IPv4 address, which re-encodes as 4 bytes.
            if (raw.length == 16 && a instanceof Inet4Address)
                return null;
            return usableContact(a) ? a : null;
        }
        catch (UnknownHostException e)
        {
            return null;
        }
    }

    /** Null when the string is cut short or is not clean, printable UTF-8. */
    private String getString(ByteBuffer b)
    {
        cutShort = false;
        if (!b.hasRemaining())
        {
            cutShort = true;
            return null;
        }
        int len = b.get() & 0xFF;
        if (b.remaining() < len)
        {
            cutShort = true;
            return null;
        }
        int end = b.position() + len;
        int limit = b.limit();
        b.limit(end);
        chars.clear();
        CoderResult result = utf8.reset().decode(b, chars, true);
        if (result.isUnderflow())
            result = utf8.flush(chars);
        b.limit(limit);
        b.position(end);
        if (!result.isUnderflow())
            return null;
        chars.flip();
        for (int i = 0; i < chars.length(); i++)
        {
            if (Character.isISOControl(chars.charAt(i)))
                return null;
        }
        return chars.toString();
    }
}
