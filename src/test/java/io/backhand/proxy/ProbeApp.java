package io.backhand.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The application behind the balancer in the request-path tests. Every answer says who served it and what
 * the application saw of the request through the servlet API; a few paths produce the responses a proxy
 * most easily gets wrong.
 *
 * <ul>
 * <li>{@code /204}: 204 No Content.</li>
 * <li>{@code /etag}: an ETag, and 304 when {@code If-None-Match} names it.</li>
 * <li>{@code /cookies}: three {@code Set-Cookie} headers.</li>
 * <li>{@code /chunked}: a body in several flushed pieces, without a length.</li>
 * <li>{@code /drip?pieces=N&size=S}: N pieces of S bytes, each flushed, the next only after
 * {@link #releaseDrip()}.</li>
 * <li>{@code /download?bytes=N[&chunked]}: N bytes of {@link PatternBody}, generated as they are written.</li>
 * <li>{@code /upload}: reads the body as it arrives and answers its length and SHA-256.</li>
 * <li>{@code /missing} and {@code /overloaded}: the application's own 404 and 503, through {@code sendError}.</li>
 * <li>{@code /target/...}: answers only the raw path and query it received.</li>
 * <li>anything else: what the application sees (address, scheme, host, headers), in the body and in
 * {@code X-Seen-*} headers.</li>
 * </ul>
 * {@code ?work=N} (milliseconds) makes any of them take that long first.
 */
public class ProbeApp extends HttpServlet
{
    private static final long serialVersionUID = 1L;
    private final String node;
    private final AtomicLong served = new AtomicLong();
    private final Semaphore dripGate = new Semaphore(0);

    public ProbeApp(String node)
    {
        this.node = node;
    }

    public long served()
    {
        return served.get();
    }

    /** Lets {@code /drip} write its next piece. */
    public void releaseDrip()
    {
        dripGate.release();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        served.incrementAndGet();
        String query = request.getQueryString();
        long work = number(query, "work", 0);
        if (work > 0)
            sleep(work);
        response.setHeader("X-Served-By", node);
        String path = request.getRequestURI();
        boolean head = "HEAD".equals(request.getMethod());
        if (path.equals("/missing") || path.equals("/overloaded"))
        {
            response.sendError(path.equals("/missing") ? HttpServletResponse.SC_NOT_FOUND : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        }
        else if (path.equals("/204"))
        {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        }
        else if (path.equals("/etag"))
        {
            String etag = "\"v1-a,b\"";
            response.setHeader("ETag", etag);
            response.setHeader("Cache-Control", "max-age=60, must-revalidate");
            if (etag.equals(request.getHeader("If-None-Match")))
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            else
                text(response, head, "fresh representation\n");
        }
        else if (path.equals("/hop"))
        {
            // A header the backend names in Connection is for the next hop only: the balancer must drop it.
            response.setHeader("Connection", query == null ? "keep-alive" : "keep-alive, X-Hop");
            response.setHeader("X-Hop", "for the balancer only");
            response.setHeader("X-Kept", "end to end");
            text(response, head, "hop\n");
        }
        else if (path.equals("/cookies"))
        {
            response.addHeader("Set-Cookie", "session=abc123; Path=/; HttpOnly");
            response.addHeader("Set-Cookie", "pref=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/");
            response.addHeader("Set-Cookie", "lang=fr; Max-Age=3600; SameSite=Lax");
            text(response, head, "three cookies\n");
        }
        else if (path.equals("/chunked"))
        {
            response.setContentType("text/plain;charset=utf-8");
            OutputStream out = response.getOutputStream();
            for (int i = 0; i < 5 && !head; i++)
            {
                out.write(("piece " + i + " of a body sent without a length\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
        else if (path.equals("/drip"))
        {
            // One piece at a time, each only once the test has seen the previous one arrive: a proxy that
            // holds small pieces back makes the test wait for a piece that never comes.
            response.setContentType("application/octet-stream");
            OutputStream out = response.getOutputStream();
            long pieces = number(query, "pieces", 3);
            int size = (int) number(query, "size", 1);
            for (int i = 0; i < pieces; i++)
            {
                if (i > 0 && !acquire(dripGate))
                    return;
                out.write(("abcdefghijklmnopqrstuvwxyz".repeat(1 + size / 26)).substring(0, size).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        else if (path.equals("/download"))
        {
            long bytes = number(query, "bytes", 0);
            response.setContentType("application/octet-stream");
            if (!has(query, "chunked"))
                response.setContentLengthLong(bytes);
            if (!head)
                PatternBody.write(bytes, response.getOutputStream());
        }
        else if (path.equals("/upload"))
        {
            PatternBody.Digest digest = PatternBody.digest(request.getInputStream());
            text(response, head, "bytes " + digest.bytes() + " sha256 " + digest.hex() + "\n");
        }
        else if (path.startsWith("/target/"))
        {
            text(response, head, path + (query == null ? "" : "?" + query) + "\n");
        }
        else
        {
            // What differs from one hop or one connection to the next is shown only here, so that the other
            // paths answer the same bytes whichever way they are reached.
            response.setHeader("X-Seen-Remote-Addr", request.getRemoteAddr());
            response.setHeader("X-Seen-Remote-Port", Integer.toString(request.getRemotePort()));
            response.setHeader("X-Seen-Scheme", request.getScheme());
            response.setHeader("X-Seen-Host", request.getServerName() + ":" + request.getServerPort());
            response.setHeader("X-Seen-Via", String.join(", ", Collections.list(request.getHeaders("Via"))));
            StringBuilder b = new StringBuilder();
            b.append("served-by ").append(node).append('\n');
            b.append("method ").append(request.getMethod()).append('\n');
            b.append("remote-addr ").append(request.getRemoteAddr()).append('\n');
            b.append("scheme ").append(request.getScheme()).append('\n');
            b.append("server-name ").append(request.getServerName()).append('\n');
            b.append("server-port ").append(request.getServerPort()).append('\n');
            b.append("request-url ").append(request.getRequestURL()).append('\n');
            b.append("request-uri ").append(request.getRequestURI()).append('\n');
            for (String name : Collections.list(request.getHeaderNames()))
            {
                for (String value : Collections.list(request.getHeaders(name)))
                    b.append("header ").append(name).append(": ").append(value).append('\n');
            }
            if (request.getContentLengthLong() != 0 && !"GET".equals(request.getMethod()) && !head)
            {
                try (InputStream in = request.getInputStream())
                {
                    PatternBody.Digest d = PatternBody.digest(in);
                    b.append("body ").append(d.bytes()).append(" sha256 ").append(d.hex()).append('\n');
                }
            }
            text(response, head, b.toString());
        }
    }

    private static void text(HttpServletResponse response, boolean head, String body) throws IOException
    {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain;charset=utf-8");
        response.setContentLength(bytes.length);
        if (!head)
            response.getOutputStream().write(bytes);
    }

    private static void sleep(long millis)
    {
        try
        {
            Thread.sleep(Math.min(millis, 60_000));
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean acquire(Semaphore gate)
    {
        try
        {
            return gate.tryAcquire(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean has(String query, String name)
    {
        if (query == null)
            return false;
        for (String p : query.split("&"))
        {
            if (p.equals(name) || p.startsWith(name + "="))
                return true;
        }
        return false;
    }

    private static long number(String query, String name, long fallback)
    {
        if (query == null)
            return fallback;
        for (String p : query.split("&"))
        {
            if (p.startsWith(name + "="))
                return Long.parseLong(p.substring(name.length() + 1));
        }
        return fallback;
    }
}
