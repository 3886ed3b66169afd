package io.backhand.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import io.backhand.config.Parse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The application of the demo cluster: it says which node answered and what it saw of the client, and can
 * be asked to take time ({@code ?work=20ms}) so that balancing can be watched. A POST body is read and its
 * SHA-256 returned, which is how tests check that bodies cross the balancer intact.
 */
public class DemoAppServlet extends HttpServlet
{
    private static final long serialVersionUID = 1L;
    private final String node;
    private final AtomicLong served = new AtomicLong();

    public DemoAppServlet(String node)
    {
        this.node = node;
    }

    public long served()
    {
        return served.get();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        served.incrementAndGet();
        String work = param(request.getQueryString(), "work");
        if (work != null)
        {
            Duration d = Parse.parseDuration(work);
            if (d != null && d.toMillis() > 0)
            {
                try
                {
                    Thread.sleep(Math.min(d.toMillis(), 60_000));
                }
                catch (InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
        String digest = "";
        long bodyBytes = 0;
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod()))
        {
            MessageDigest sha = sha256();
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = request.getInputStream())
            {
                int n;
                while ((n = in.read(buffer)) >= 0)
                {
                    sha.update(buffer, 0, n);
                    bodyBytes += n;
                }
            }
            digest = HexFormat.of().formatHex(sha.digest());
        }
        response.setHeader("X-Served-By", node);
        response.setHeader("X-Seen-Remote-Addr", request.getRemoteAddr());
        response.setHeader("X-Seen-Scheme", request.getScheme());
        response.setHeader("X-Seen-Host", request.getServerName() + ":" + request.getServerPort());
        response.setContentType("text/plain;charset=utf-8");
        String body = "served by " + node + "\n" + "path " + request.getRequestURI() + "\n"
            + (bodyBytes > 0 || !digest.isEmpty() ? "body " + bodyBytes + " bytes sha256 " + digest + "\n" : "");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        if (!"HEAD".equals(request.getMethod()))
            response.getOutputStream().write(bytes);
    }

    private static String param(String query, String name)
    {
        if (query == null)
            return null;
        for (String p : query.split("&"))
        {
            if (p.startsWith(name + "="))
                return p.substring(name.length() + 1);
        }
        return null;
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
