package io.backhand.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Bodies of any size that are generated as they are read and hashed as they arrive, so that a 200 MB
 * transfer never exists whole anywhere. Every 8-byte word depends on its position, so a lost, repeated or
 * reordered piece changes the SHA-256.
 */
final class PatternBody
{
    private static final int BLOCK = 64 * 1024;

    record Digest(long bytes, String hex)
    {
    }

    private PatternBody()
    {
    }

    /** Fills {@code buffer[0..length)} with the pattern's bytes starting at {@code position}. */
    private static void fill(byte[] buffer, int length, long position)
    {
        int i = 0;
        while (i < length)
        {
            long p = position + i;
            long word = mix(p >>> 3);
            for (int k = (int) (p & 7); k < 8 && i < length; k++, i++)
                buffer[i] = (byte) (word >>> (k * 8));
        }
    }

    private static long mix(long x)
    {
        // SplitMix64's finaliser: cheap, and every bit of the position reaches every bit of the word.
        long z = x * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static InputStream stream(long bytes)
    {
        return new InputStream()
        {
            private final byte[] one = new byte[1];
            private long position;

            @Override
            public int read()
            {
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len)
            {
                if (position >= bytes)
                    return -1;
                int n = (int) Math.min(len, bytes - position);
                if (off == 0)
                {
                    fill(b, n, position);
                }
                else
                {
                    byte[] tmp = new byte[n];
                    fill(tmp, n, position);
                    System.arraycopy(tmp, 0, b, off, n);
                }
                position += n;
                return n;
            }
        };
    }

    static void write(long bytes, OutputStream out) throws IOException
    {
        byte[] buffer = new byte[BLOCK];
        for (long position = 0; position < bytes; )
        {
            int n = (int) Math.min(BLOCK, bytes - position);
            fill(buffer, n, position);
            out.write(buffer, 0, n);
            position += n;
        }
    }

    static Digest digest(InputStream in) throws IOException
    {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[BLOCK];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0)
        {
            sha.update(buffer, 0, n);
            total += n;
        }
        return new Digest(total, HexFormat.of().formatHex(sha.digest()));
    }

    static Digest expected(long bytes)
    {
        try (InputStream in = stream(bytes))
        {
            return digest(in);
        }
        catch (IOException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
