package io.backhand.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.backhand.cluster.Member;
import io.backhand.node.ProxyMarker;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The upgrade request a tunnel sends to the chosen node: the client's request line and end-to-end headers,
 * with the headers the proxy adds to every request it forwards (Via, Forwarded, X-Forwarded-*, the proxied
 * marker), so that the node serves it itself, believes the client's identity, and never balances it again.
 * The client's Host is kept, as the proxy keeps it. The hop-by-hop headers are dropped as the proxy drops
 * them, except that Connection and Upgrade are sent again, since the upgrade is what this request is for.
 */
final class UpgradeRequestHead
{
    /** Hop-by-hop headers, as Jetty's proxy names them, plus the ones this class writes itself. */
    private static final Set<String> NOT_COPIED = Set.of("connection", "keep-alive", "proxy-authorization",
        "proxy-authenticate", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host",
        "content-length", ProxyMarker.HEADER.toLowerCase(Locale.ROOT));

    private UpgradeRequestHead()
    {
    }

    /**
     * @param viaHost this node's Via token ({@code backhand-web1})
     * @param marker  the proxied marker for this request
     * @throws IllegalArgumentException if the request target cannot be sent unchanged on a request line
     */
    static byte[] build(HttpServletRequest request, Member target, String viaHost, String marker)
    {
        String path = request.getRequestURI();
        String query = request.getQueryString();
        String requestTarget = query == null ? path : path + "?" + query;
        if (!ProxyTargets.isOriginForm(path) || !isVisible(requestTarget))
            throw new IllegalArgumentException("the request target " + requestTarget + " cannot be forwarded unchanged");

        Set<String> connectionTokens = new HashSet<>();
        for (String value : Collections.list(request.getHeaders("Connection")))
        {
            for (String token : value.split(","))
                connectionTokens.add(token.strip().toLowerCase(Locale.ROOT));
        }

        StringBuilder head = new StringBuilder(512);
        head.append(request.getMethod()).append(' ').append(requestTarget).append(" HTTP/1.1\r\n");
        // The client's Host, as the proxy keeps it (name-based virtual hosts work through the balancer).
        String clientHost = request.getHeader("Host");
        head.append("Host: ").append(clientHost != null ? clientHost
            : ProxyTargets.urlHost(target) + ":" + target.contact().getPort()).append("\r\n");
        String via = null;
        String forwarded = null;
        String forwardedFor = null;
        for (String name : Collections.list(request.getHeaderNames()))
        {
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_COPIED.contains(lower) || (connectionTokens.contains(lower) && !lower.equals("upgrade")))
                continue;
            List<String> values = Collections.list(request.getHeaders(name));
            switch (lower)
            {
                case "via" -> via = String.join(", ", values);
                case "forwarded" -> forwarded = String.join(", ", values);
                case "x-forwarded-for" -> forwardedFor = String.join(", ", values);
                case "x-forwarded-proto", "x-forwarded-host" -> { }
                default ->
                {
                    for (String v : values)
                        head.append(name).append(": ").append(v).append("\r\n");
                }
            }
        }
        head.append("Connection: Upgrade\r\n");
        head.append("Upgrade: ").append(request.getHeader("Upgrade")).append("\r\n");

        String protocol = request.getProtocol();
        String version = protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
        String ourVia = version + " " + viaHost;
        head.append("Via: ").append(via == null || via.isBlank() ? ourVia : via + ", " + ourVia).append("\r\n");

        String client = ProxyMarker.stripBrackets(request.getRemoteAddr());
        String host = request.getHeader("Host");
        String ourForwarded = "by=" + quote(request.getLocalAddr()) + ";for=" + quote(request.getRemoteAddr())
            + ";host=" + quote(host) + ";proto=" + request.getScheme();
        head.append("Forwarded: ").append(forwarded == null || forwarded.isBlank() ? ourForwarded : forwarded + ", " + ourForwarded)
            .append("\r\n");
        head.append("X-Forwarded-For: ").append(forwardedFor == null || forwardedFor.isBlank() ? client : forwardedFor + ", " + client)
            .append("\r\n");
        head.append("X-Forwarded-Proto: ").append(request.getScheme()).append("\r\n");
        if (host != null)
            head.append("X-Forwarded-Host: ").append(host).append("\r\n");
        head.append(ProxyMarker.HEADER).append(": ").append(marker).append("\r\n");
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Forwarded's parameter values: a token as it is, anything else (an IPv6 address, a port) quoted. */
    private static String quote(String value)
    {
        if (value == null)
            return "\"\"";
        for (int i = 0; i < value.length(); i++)
        {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_'))
                return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return value;
    }

    /** Only visible ASCII may stand on a request line; the container never hands over anything else, but check. */
    private static boolean isVisible(String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f)
                return false;
        }
        return true;
    }
}
