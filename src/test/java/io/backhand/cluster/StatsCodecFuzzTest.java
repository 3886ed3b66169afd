package io.backhand.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The decoder against 50,000 mutated and random packets per seed, four fixed seeds: 200,000 in all. It must
 * never throw (the strict entry point has no safety net, so any exception fails the test) and never accept
 * garbage. What garbage means depends on the secret:
 * <ul>
 * <li>with a secret, every packet that differs from one a node signed is rejected, however well-formed;</li>
 * <li>without one, a mutant may well be a valid announcement (flip a bit of the load and it is one), so an
 * accepted packet must be exactly the encoding of the record it decoded to: the format is canonical and no
 * byte of an accepted packet is ignored, unchecked or ambiguous.</li>
 * </ul>
 */
class StatsCodecFuzzTest
{
    private static final int MUTANTS_PER_KIND = 15_000;
    private static final int RANDOM_PER_KIND = 5_000;
    private static final byte[] SECRET = "fuzzing secret, sixteen+".getBytes(StandardCharsets.UTF_8);
    private static final int[] INTERESTING = {0, 1, 2, 0x7F, 0x80, 0xFF, 0xFE, 4, 16, 32, 33, 34};

    private final StatsCodec plain = new StatsCodec(null);
    private final StatsCodec signing = new StatsCodec(SECRET);
    private final Map<DropReason, Integer> reasons = new EnumMap<>(DropReason.class);
    private int acceptedUnsignedMutants;
    private int decoded;

    @ParameterizedTest
    @ValueSource(longs = {1L, 20240601L, 0x5EED_BAC4L, -7L})
    void neverThrowsAndNeverAcceptsGarbage(long seed)
    {
        Random r = new Random(seed);
        for (int i = 0; i < MUTANTS_PER_KIND; i++)
        {
            byte[] original = signing.encode(Records.random(r));
            byte[] other = signing.encode(Records.random(r));
            byte[] mutant = mutate(r, original, other);
            // A splice can reproduce the other packet whole: that one was signed by a node, so not garbage.
            if (Arrays.equals(mutant, original) || Arrays.equals(mutant, other))
                continue;
            StatsCodec.Decoded d = decode(signing, mutant, seed, i);
            assertFalse(d.ok(), () -> "seed " + seed + ": a mutated signed packet was accepted: " + d.stats());
        }
        for (int i = 0; i < MUTANTS_PER_KIND; i++)
        {
            byte[] original = plain.encode(Records.random(r));
            byte[] mutant = mutate(r, original, plain.encode(Records.random(r)));
            StatsCodec.Decoded d = decode(plain, mutant, seed, i);
            if (d.ok())
            {
                acceptedUnsignedMutants++;
                assertCanonical(mutant, d, seed, i);
            }
        }
        for (int i = 0; i < RANDOM_PER_KIND; i++)
        {
            byte[] noise = new byte[r.nextInt(r.nextBoolean() ? 64 : StatsCodec.MAX_LENGTH + 200)];
            r.nextBytes(noise);
            assertFalse(decode(signing, noise, seed, i).ok(), "random bytes accepted with a secret");
            StatsCodec.Decoded d = decode(plain, noise, seed, i);
            if (d.ok())
                assertCanonical(noise, d, seed, i);
        }
        for (int i = 0; i < RANDOM_PER_KIND; i++)
        {
            // Random bodies behind a valid header go past the framing checks into the field checks.
            int length = StatsCodec.FIXED_HEAD + StatsCodec.FIXED_MIDDLE + r.nextInt(200);
            byte[] p = new byte[length];
            r.nextBytes(p);
            ByteBuffer.wrap(p).putInt(StatsCodec.MAGIC).put((byte) StatsCodec.VERSION)
                .put((byte) r.nextInt(StatsCodec.KNOWN_FLAGS + 1)).putShort((short) length);
            p[33] = (byte) new int[] {0, 4, 16}[r.nextInt(3)];
            assertFalse(decode(signing, p, seed, i).ok(), "random body accepted with a secret");
            StatsCodec.Decoded d = decode(plain, p, seed, i);
            if (d.ok())
                assertCanonical(p, d, seed, i);
        }
        // Only mutants identical to a signed packet are skipped: a few hundred of the 50,000.
        assertTrue(decoded >= 49_000, "decoded only " + decoded);
        assertTrue(acceptedUnsignedMutants > 100,
            "the canonical check ran on only " + acceptedUnsignedMutants + " accepted mutants");
        for (DropReason expected : new DropReason[] {DropReason.NOT_BACKHAND, DropReason.VERSION, DropReason.TRUNCATED,
            DropReason.OVERSIZED, DropReason.MALFORMED, DropReason.UNSIGNED, DropReason.UNEXPECTED_SIGNATURE,
            DropReason.BAD_SIGNATURE})
        {
            assertTrue(reasons.getOrDefault(expected, 0) > 0, "the fuzzer never reached " + expected + ": " + reasons);
        }
    }

    private StatsCodec.Decoded decode(StatsCodec codec, byte[] p, long seed, int i)
    {
        decoded++;
        StatsCodec.Decoded d;
        try
        {
            d = codec.decodeStrict(p, p.length);
        }
        catch (RuntimeException e)
        {
            throw new AssertionError("seed " + seed + " case " + i + ": the decoder threw on " + Arrays.toString(p), e);
        }
        if (!d.ok())
            reasons.merge(d.drop(), 1, Integer::sum);
        return d;
    }

    private void assertCanonical(byte[] packet, StatsCodec.Decoded d, long seed, int i)
    {
        byte[] again;
        try
        {
            again = plain.encode(d.stats());
        }
        catch (IllegalArgumentException e)
        {
            fail("seed " + seed + " case " + i + ": accepted a record the encoder refuses: " + e.getMessage());
            return;
        }
        assertArrayEquals(packet, again, () -> "seed " + seed + " case " + i + ": accepted bytes that are not "
            + "the encoding of what they decoded to: " + d.stats());
        assertEquals(d.stats(), plain.decodeStrict(again, again.length).stats());
    }

    /** One to three stacked mutations of the kinds that break parsers: bits, bytes, lengths, splices. */
    private static byte[] mutate(Random r, byte[] p, byte[] other)
    {
        int rounds = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        for (int k = 0; k < rounds; k++)
            p = mutateOnce(r, p, other);
        return p;
    }

    private static byte[] mutateOnce(Random r, byte[] p, byte[] other)
    {
        if (p.length == 0)
            return new byte[] {(byte) r.nextInt(256)};
        byte[] c = p.clone();
        int at = r.nextInt(c.length);
        switch (r.nextInt(11))
        {
            case 0 -> c[at] ^= (byte) (1 << r.nextInt(8));
            case 1 -> c[at] = (byte) r.nextInt(256);
            case 2 -> c[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
            case 3 -> c = Arrays.copyOf(c, r.nextInt(c.length));
            case 4 ->
            {
                c = Arrays.copyOf(c, c.length + 1 + r.nextInt(40));
                for (int i = p.length; i < c.length; i++)
                    c[i] = (byte) r.nextInt(256);
            }
            case 5 ->
            {
                byte[] d = new byte[c.length + 1];
                System.arraycopy(c, 0, d, 0, at);
                d[at] = (byte) r.nextInt(256);
                System.arraycopy(c, at, d, at + 1, c.length - at);
                c = d;
            }
            case 6 ->
            {
                int n = 1 + r.nextInt(Math.min(16, c.length - at));
                byte[] d = new byte[c.length - n];
                System.arraycopy(c, 0, d, 0, at);
                System.arraycopy(c, at + n, d, at, c.length - at - n);
                c = d;
            }
            case 7 ->
            {
                if (c.length >= 8)
                    ByteBuffer.wrap(c).putShort(6, (short) (r.nextBoolean() ? r.nextInt(65536) : c.length + r.nextInt(9) - 4));
            }
            case 8 ->
            {
                // An aligned field set to an edge value: 0, -1, MAX, MIN or a small number.
                int width = new int[] {2, 4, 8}[r.nextInt(3)];
                if (c.length >= width)
                {
                    int off = r.nextInt(c.length - width + 1);
                    long v = new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, r.nextInt(2000), 1}[r.nextInt(6)];
                    for (int i = 0; i < width; i++)
                        c[off + i] = (byte) (v >>> (8 * (width - 1 - i)));
                }
            }
            case 9 ->
            {
                int cut = r.nextInt(Math.min(c.length, other.length) + 1);
                byte[] d = Arrays.copyOf(c, cut + other.length - cut);
                System.arraycopy(other, cut, d, cut, other.length - cut);
                c = d;
            }
            default ->
            {
                int n = 1 + r.nextInt(Math.min(24, c.length - at));
                byte[] d = Arrays.copyOf(c, c.length + n);
                System.arraycopy(c, at, d, at + n, c.length - at);
                c = d;
            }
        }
        return c;
    }
}
