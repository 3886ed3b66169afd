package io.backhand.node;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.backhand.cluster.AcceptStats;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The proxied-request marker: a header the balancer adds so that the serving node serves the request itself
 * (a request is never proxied twice) and believes the forwarded client address, scheme and host.
 *
 * <p>It is believed only from a trusted peer: a source inside AcceptStats and, when a secret is set, with a
 * valid HMAC over the node, time, method and URI, no older than the freshness window. Anything else is
 * treated as the client's own invention and stripped.</p>
 */
public final class ProxyMarker
{
    public static final String HEADER = "X-Backhand-Proxied";
    /**
     * Set by the served-mark filter on the serving node, removed by the balancer: the request reached the
     * webapp there.
     */
    public static final String SERVED_HEADER = "X-Backhand-Served";
    private static final long FRESHNESS_MILLIS = 300_000;

    public enum Trust
    {
        ABSENT, TRUSTED, UNTRUSTED
    }

    private final String nodeName;
    private final AcceptStats trusted;
    private final ThreadLocal<Mac> mac;

    ProxyMarker(String nodeName, byte[] secret, AcceptStats trusted)
    {
        this.nodeName = nodeName;
        this.trusted = trusted;
        if (secret == null)
        {
            this.mac = null;
        }
        else
        {
            byte[] key = secret.clone();
            this.mac = ThreadLocal.withInitial(() ->
            {
                try
                {
                    Mac m = Mac.getInstance("HmacSHA256");
                    m.init(new SecretKeySpec(key, "HmacSHA256"));
                    return m;
                }
                catch (GeneralSecurityException e)
                {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /** The header value for a request this node proxies. */
    public String create(String method, String uri, long nowMillis)
    {
        String base = "node=" + nodeName + "; ts=" + nowMillis;
        if (mac == null)
            return base;
        return base + "; sig=" + sign(nodeName, nowMillis, method, uri);
    }

    private String sign(String node, long ts, String method, String uri)
    {
        Mac m = mac.get();
        m.update((node + "\n" + ts + "\n" + method + "\n" + uri).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal());
    }

    public Trust verify(HttpServletRequest request, long nowMillis)
    {
        String value = request.getHeader(HEADER);
        if (value == null)
            return Trust.ABSENT;
        if (!trustedSource(request.getRemoteAddr()))
            return Trust.UNTRUSTED;
        if (mac == null)
            return Trust.TRUSTED;
        String node = null;
        String sig = null;
        long ts = -1;
        for (String part : value.split(";"))
        {
            String p = part.strip();
            if (p.startsWith("node="))
                node = p.substring(5);
            else if (p.startsWith("sig="))
                sig = p.substring(4);
            else if (p.startsWith("ts="))
            {
                try
                {
                    ts = Long.parseLong(p.substring(3));
                }
                catch (NumberFormatException e)
                {
                    return Trust.UNTRUSTED;
                }
            }
        }
        if (node == null || sig == null || ts < 0 || Math.abs(nowMillis - ts) > FRESHNESS_MILLIS)
            return Trust.UNTRUSTED;
        String uri = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        String expected = sign(node, ts, request.getMethod(), uri);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII))
            ? Trust.TRUSTED : Trust.UNTRUSTED;
    }

    private boolean trustedSource(String remoteAddr)
    {
        try
        {
            return remoteAddr != null && trusted.accepts(java.net.InetAddress.getByName(stripBrackets(remoteAddr)));
        }
        catch (java.net.UnknownHostException e)
        {
            return false;
        }
    }

    public static String stripBrackets(String a)
    {
        return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }
}
