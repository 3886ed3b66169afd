package io.backhand.cluster;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address range such as {@code 10.58.4.0/24} or {@code fd00::/64}. A bare address is a range of one.
 * IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) match IPv4 ranges, since dual-stack sockets
 * report IPv4 peers that way.
 */
public final class Cidr
{
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text)
    {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses a range; throws IllegalArgumentException with a readable reason. */
    public static Cidr parse(String text)
    {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addressPart = slash < 0 ? t : t.substring(0, slash);
        if (addressPart.startsWith("[") && addressPart.endsWith("]"))
            addressPart = addressPart.substring(1, addressPart.length() - 1);
        if (!Endpoints.isLiteral(addressPart))
            throw new IllegalArgumentException("'" + text + "' is not an IP address range such as 10.0.0.0/24 or fd00::/64");
        byte[] address;
        try
        {
            address = InetAddress.getByName(addressPart).getAddress();
        }
        catch (UnknownHostException e)
        {
            throw new IllegalArgumentException("'" + text + "' is not an IP address range such as 10.0.0.0/24 or fd00::/64");
        }
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0)
        {
            try
            {
                prefix = Integer.parseInt(t.substring(slash + 1));
            }
            catch (NumberFormatException e)
            {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max)
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + max);
        }
        byte[] network = mask(address, prefix);
        return new Cidr(network, prefix, toText(network, prefix, max));
    }

    private static String toText(byte[] network, int prefix, int max)
    {
        try
        {
            String a = InetAddress.getByAddress(network).getHostAddress();
            return prefix == max ? a : a + "/" + prefix;
        }
        catch (UnknownHostException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mask(byte[] address, int prefix)
    {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++)
        {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF << (8 - bits));
        }
        return out;
    }

    public boolean contains(InetAddress address)
    {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && address instanceof Inet6Address && isMappedV4(a))
        {
            byte[] v4 = new byte[4];
            System.arraycopy(a, 12, v4, 0, 4);
            a = v4;
        }
        if (a.length != network.length)
            return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++)
        {
            if (a[i] != network[i])
                return false;
        }
        int rest = prefix % 8;
        if (rest == 0)
            return true;
        int m = 0xFF << (8 - rest) & 0xFF;
        return (a[full] & m) == (network[full] & m);
    }

    private static boolean isMappedV4(byte[] a)
    {
        for (int i = 0; i < 10; i++)
        {
            if (a[i] != 0)
                return false;
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    /** True when the whole range is loopback (inside 127.0.0.0/8 or ::1). */
    public boolean isLoopback()
    {
        try
        {
            return InetAddress.getByAddress(network).isLoopbackAddress()
                && (network.length == 4 ? prefix >= 8 : prefix == 128);
        }
        catch (UnknownHostException e)
        {
            return false;
        }
    }

    /** Host bits: 32 less the prefix for IPv4, 128 less it for IPv6; the range holds 2^hostBits addresses. */
    public int hostBits()
    {
        return network.length * 8 - prefix;
    }

    public boolean isIPv4()
    {
        return network.length == 4;
    }

    public static boolean isIPv4(InetAddress a)
    {
        return a instanceof Inet4Address;
    }

    @Override
    public String toString()
    {
        return text;
    }
}
