package io.backhand.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * One {@code MulticastStats} line: {@code [advertise-ip[:port]] dest-ip:port[,ttl]}. The destination is
 * multicast when it is in 224.0.0.0/4 or ff00::/8, broadcast when it is 255.255.255.255 or an interface's
 * broadcast address, unicast otherwise. The optional first address is what peers on that network should
 * use to reach this node, as in mod_backhand.
 */
public record Destination(InetSocketAddress target, Kind kind, int ttl, InetAddress advertise, int advertisePort,
                          String text)
{
    public enum Kind
    {
        MULTICAST, BROADCAST, UNICAST
    }

    public static final int DEFAULT_TTL = 1;

    /** Parses one line; throws IllegalArgumentException saying what was expected. */
    public static Destination parse(String line)
    {
        String[] words = line.strip().split("\\s+");
        if (words.length == 0 || words.length > 2 || words[0].isEmpty())
            throw new IllegalArgumentException("'" + line + "': expected [advertise-ip[:port]] dest-ip:port[,ttl]");
        String dest = words[words.length - 1];
        int ttl = DEFAULT_TTL;
        int comma = dest.indexOf(',');
        if (comma >= 0)
        {
            String t = dest.substring(comma + 1);
            try
            {
                ttl = Integer.parseInt(t);
            }
            catch (NumberFormatException e)
            {
                ttl = -1;
            }
            if (ttl < 0 || ttl > 255)
                throw new IllegalArgumentException("'" + line + "': TTL '" + t + "' is not a number from 0 to 255");
            dest = dest.substring(0, comma);
        }
        Endpoints.HostPort hp = Endpoints.split(dest);
        if (hp.port() <= 0)
            throw new IllegalArgumentException("'" + line + "': destination '" + dest + "' needs a port, as in 239.255.221.20:4445");
        if (!Endpoints.isLiteral(hp.host()))
            throw new IllegalArgumentException("'" + line + "': destination '" + hp.host() + "' must be an IP address");
        InetSocketAddress target = new InetSocketAddress(Endpoints.address(hp.host()), hp.port());
        InetAddress advertise = null;
        int advertisePort = 0;
        if (words.length == 2)
        {
            Endpoints.HostPort a = Endpoints.split(words[0]);
            if (!Endpoints.isLiteral(a.host()))
                throw new IllegalArgumentException("'" + line + "': advertised address '" + a.host() + "' must be an IP address");
            advertise = Endpoints.address(a.host());
            advertisePort = Math.max(0, a.port());
        }
        Kind kind = target.getAddress().isMulticastAddress() ? Kind.MULTICAST
            : isBroadcast(target.getAddress()) ? Kind.BROADCAST : Kind.UNICAST;
        return new Destination(target, kind, ttl, advertise, advertisePort, line.strip());
    }

    static boolean isBroadcast(InetAddress address)
    {
        if (!(address instanceof Inet4Address))
            return false;
        byte[] a = address.getAddress();
        if ((a[0] & a[1] & a[2] & a[3]) == (byte) 0xFF)
            return true;
        try
        {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces()))
            {
                for (InterfaceAddress ia : ni.getInterfaceAddresses())
                {
                    if (address.equals(ia.getBroadcast()))
                        return true;
                }
            }
        }
        catch (SocketException e)
        {
            return false;
        }
        // 127.255.255.255 is lo's broadcast address on Linux even though Java reports none for lo.
        return a[0] == 127 && a[1] == (byte) 0xFF && a[2] == (byte) 0xFF && a[3] == (byte) 0xFF;
    }
}
