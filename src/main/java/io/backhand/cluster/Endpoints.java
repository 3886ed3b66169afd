package io.backhand.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Parsing of {@code host:port} and {@code [v6]:port} text without touching DNS for literals, so that a
 * configuration error is reported at deployment rather than as a slow lookup.
 */
public final class Endpoints
{
    private Endpoints()
    {
    }

    /** True for an IPv4 dotted quad or anything that looks like an IPv6 literal. */
    public static boolean isLiteral(String host)
    {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
        {
            for (String part : host.split("\\."))
            {
                if (Integer.parseInt(part) > 255)
                    return false;
            }
            return true;
        }
        return host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
    }

    /** Host and port parts of {@code host:port}, {@code [v6]:port} or a bare host (port -1). */
    public record HostPort(String host, int port)
    {
    }

    public static HostPort split(String text)
    {
        String t = text.strip();
        if (t.startsWith("["))
        {
            int close = t.indexOf(']');
            if (close < 0)
                throw new IllegalArgumentException("'" + text + "' has an unclosed '['");
            String host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (rest.isEmpty())
                return new HostPort(host, -1);
            if (!rest.startsWith(":"))
                throw new IllegalArgumentException("'" + text + "': expected ':port' after ']'");
            return new HostPort(host, port(rest.substring(1), text));
        }
        int colon = t.lastIndexOf(':');
        if (colon < 0)
            return new HostPort(t, -1);
        if (t.indexOf(':') != colon)
            return new HostPort(t, -1); // a bare IPv6 literal
        return new HostPort(t.substring(0, colon), port(t.substring(colon + 1), text));
    }

    private static int port(String p, String text)
    {
        try
        {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535)
                throw new IllegalArgumentException("'" + text + "': port " + p + " is outside 1..65535");
            return port;
        }
        catch (NumberFormatException e)
        {
            throw new IllegalArgumentException("'" + text + "': '" + p + "' is not a port number");
        }
    }

    /** Resolves a literal without DNS, or a name through DNS (peers may be named). */
    public static InetAddress address(String host)
    {
        try
        {
            return InetAddress.getByName(host);
        }
        catch (UnknownHostException e)
        {
            throw new IllegalArgumentException("'" + host + "' is not a known host name or IP address");
        }
    }

    public static InetSocketAddress socketAddress(String text, int defaultPort)
    {
        HostPort hp = split(text);
        int port = hp.port() > 0 ? hp.port() : defaultPort;
        if (port <= 0)
            throw new IllegalArgumentException("'" + text + "' needs a port, as in host:4445");
        return new InetSocketAddress(address(hp.host()), port);
    }

    public static String format(InetAddress address, int port)
    {
        String host = address.getHostAddress();
        int pct = host.indexOf('%');
        if (pct >= 0)
            host = host.substring(0, pct);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
