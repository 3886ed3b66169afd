package io.backhand.proxy;

import io.backhand.node.ProxyMarker;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request proxied by a trusted balancer, shown to the application as the client sent it: the client's
 * address, scheme and host through the ordinary servlet API. Only the last entry of each forwarded header
 * is believed, because that is the one our balancer wrote; earlier entries may be the client's inventions.
 * The marker itself is hidden from the application, so that no page can show it to a client who would
 * replay it.
 */
final class ClientIdentityRequest extends HttpServletRequestWrapper
{
    /** The trusted request as the application must see it: the client's identity, and no marker. */
    static HttpServletRequest of(HttpServletRequest trusted)
    {
        return new ClientIdentityRequest(without(trusted, ProxyMarker.HEADER));
    }

    private final String remoteAddr;
    private final String scheme;
    private final String host;
    private final int port;

    private ClientIdentityRequest(HttpServletRequest request)
    {
        super(request);
        String forwardedFor = last(request.getHeader("X-Forwarded-For"));
        this.remoteAddr = forwardedFor != null ? ProxyMarker.stripBrackets(forwardedFor) : request.getRemoteAddr();
        String proto = last(request.getHeader("X-Forwarded-Proto"));
        this.scheme = proto != null && (proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))
            ? proto.toLowerCase(Locale.ROOT) : request.getScheme();
        String forwardedHost = last(request.getHeader("X-Forwarded-Host"));
        String h = forwardedHost != null ? forwardedHost : request.getHeader("Host");
        String parsedHost = request.getServerName();
        int parsedPort = request.getServerPort();
        if (h != null && !h.isBlank())
        {
            int colon = h.startsWith("[") ? h.indexOf(':', h.indexOf(']')) : h.lastIndexOf(':');
            parsedHost = colon > 0 ? h.substring(0, colon) : h;
            parsedPort = colon > 0 ? parsePort(h.substring(colon + 1), defaultPort(scheme)) : defaultPort(scheme);
        }
        this.host = parsedHost;
        this.port = parsedPort;
    }

    private static int defaultPort(String scheme)
    {
        return "https".equals(scheme) ? 443 : 80;
    }

    private static int parsePort(String p, int fallback)
    {
        try
        {
            int v = Integer.parseInt(p.strip());
            return v > 0 && v < 65536 ? v : fallback;
        }
        catch (NumberFormatException e)
        {
            return fallback;
        }
    }

    static String last(String headerValue)
    {
        if (headerValue == null)
            return null;
        int comma = headerValue.lastIndexOf(',');
        String v = (comma >= 0 ? headerValue.substring(comma + 1) : headerValue).strip();
        return v.isEmpty() ? null : v;
    }

    private static Enumeration<String> withoutName(Enumeration<String> names, String hidden)
    {
        return Collections.enumeration(Collections.list(names).stream().filter(n -> !n.equalsIgnoreCase(hidden)).toList());
    }

    @Override
    public String getRemoteAddr()
    {
        return remoteAddr;
    }

    @Override
    public String getRemoteHost()
    {
        return remoteAddr;
    }

    @Override
    public String getScheme()
    {
        return scheme;
    }

    @Override
    public boolean isSecure()
    {
        return "https".equals(scheme);
    }

    @Override
    public String getServerName()
    {
        return host;
    }

    @Override
    public int getServerPort()
    {
        return port;
    }

    @Override
    public StringBuffer getRequestURL()
    {
        StringBuffer url = new StringBuffer(scheme).append("://").append(host);
        if (port != defaultPort(scheme))
            url.append(':').append(port);
        return url.append(getRequestURI());
    }

    /** Hides a header the client must not be able to smuggle past this node. */
    static HttpServletRequest without(HttpServletRequest request, String hidden)
    {
        return new HttpServletRequestWrapper(request)
        {
            @Override
            public String getHeader(String name)
            {
                return name.equalsIgnoreCase(hidden) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name)
            {
                return name.equalsIgnoreCase(hidden) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames()
            {
                return withoutName(super.getHeaderNames(), hidden);
            }
        };
    }
}
