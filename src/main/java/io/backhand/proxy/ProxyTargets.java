package io.backhand.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

import io.backhand.cluster.Endpoints;
import io.backhand.cluster.Member;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * Where a member is, written for messages, URLs and redirects, and the one place that turns a member plus
 * the client's request target into a request of the proxy's client. The host and port always come from the
 * member; the client's request contributes only its path and query, copied byte for byte, so that neither
 * an odd path ({@code //other.host/}, {@code http://other.host/}) nor an odd character can aim the
 * request anywhere else.
 */
final class ProxyTargets
{
    private ProxyTargets()
    {
    }

    static String format(Member m)
    {
        return Endpoints.format(m.contact().getAddress(), m.contact().getPort());
    }

    /** The member's address as a URL host: IPv6 in brackets, without a zone. */
    static String urlHost(Member m)
    {
        return m.origin().getHost();
    }

    /** Where requests to the member go: {@code http://host:port}. */
    static String origin(Member m)
    {
        return m.origin().toString();
    }

    /**
     * True for the request targets the proxy can forward: an origin-form path. {@code OPTIONS *} and anything
     * that is not a path are served where they arrived.
     */
    static boolean isOriginForm(String rawPath)
    {
        return rawPath != null && rawPath.startsWith("/");
    }

    /**
     * A request to {@code target} for {@code rawPath} and {@code rawQuery} exactly as the client sent them.
     *
     * @throws IllegalArgumentException if the path is not origin-form
     */
    static Request newRequest(HttpClient client, Member target, String rawPath, String rawQuery)
    {
        if (!isOriginForm(rawPath))
            throw new IllegalArgumentException("not an origin-form path: " + rawPath);
        URI origin = target.origin();
        String pathAndQuery = rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
        // The member's origin is parsed once per announcement, the path and query on their own: parsing the whole
        // URL again on every request was a visible part of the proxy's cost. A path that starts with "//" would
        // read as an authority on its own, so it is parsed after the origin, as part of the whole URL.
        Request request = rawPath.startsWith("//") ? wholeTarget(client, origin, rawPath, rawQuery, pathAndQuery)
            : client.newRequest(origin).path(pathAndQuery);
        String sent = request.getQuery() == null ? request.getPath() : request.getPath() + "?" + request.getQuery();
        if (!pathAndQuery.equals(sent))
            throw new IllegalArgumentException("the request target " + pathAndQuery + " cannot be forwarded unchanged");
        if (!bare(request.getHost()).equalsIgnoreCase(bare(origin.getHost())) || request.getPort() != target.contact().getPort())
            throw new IllegalStateException("refusing to send to " + request.getHost() + ":" + request.getPort()
                + " instead of " + format(target));
        return request;
    }

    private static Request wholeTarget(HttpClient client, URI origin, String rawPath, String rawQuery, String pathAndQuery)
    {
        URI uri = parse(origin + pathAndQuery);
        boolean roundTrips = uri != null && rawPath.equals(uri.getRawPath()) && Objects.equals(rawQuery, uri.getRawQuery());
        // Characters java.net.URI refuses but HTTP servers accept (| { } ^ and the like) take the second way:
        // Jetty's client keeps a path it cannot parse exactly as given.
        return roundTrips ? client.newRequest(uri) : client.newRequest(origin).path(pathAndQuery);
    }

    private static String bare(String host)
    {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static URI parse(String uri)
    {
        try
        {
            return new URI(uri);
        }
        catch (URISyntaxException e)
        {
            return null;
        }
    }
}
