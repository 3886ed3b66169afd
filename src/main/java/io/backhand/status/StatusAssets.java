package io.backhand.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The status page's own files (page shell, script, style sheet), read once from the classes jar so that
 * they travel with the classes into both topologies, and served by the status servlet itself: the page needs
 * nothing from any other server, since clusters are often offline.
 */
final class StatusAssets
{
    static final String PAGE = "status.html";
    private static final String BASE = "/io/backhand/status/";
    private static final Map<String, String> SERVED = Map.of(
        "status.js", "text/javascript;charset=utf-8",
        "status.css", "text/css;charset=utf-8");

    private record Asset(byte[] bytes, String contentType, String etag)
    {
    }

    private final Map<String, Asset> assets;
    private final String page;

    StatusAssets()
    {
        Map<String, Asset> loaded = new java.util.HashMap<>();
        SERVED.forEach((name, type) ->
        {
            byte[] bytes = read(name);
            loaded.put(name, new Asset(bytes, type, "\"" + sha256(bytes).substring(0, 16) + "\""));
        });
        assets = Map.copyOf(loaded);
        page = new String(read(PAGE), StandardCharsets.UTF_8);
    }

    /** The page shell, before its placeholders are filled. */
    String page()
    {
        return page;
    }

    /** A short fingerprint of the script and style sheet, so that a new version is never read from cache. */
    String fingerprint()
    {
        return assets.get("status.js").etag().substring(1, 9) + assets.get("status.css").etag().substring(1, 9);
    }

    /** Serves {@code name} if it is one of the page's files; returns false when it is not. */
    boolean serve(String name, HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        Asset a = assets.get(name);
        if (a == null)
            return false;
        response.setHeader("ETag", a.etag());
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (a.etag().equals(request.getHeader("If-None-Match")))
        {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return true;
        }
        response.setContentType(a.contentType());
        response.setContentLength(a.bytes().length);
        if (!"HEAD".equals(request.getMethod()))
            response.getOutputStream().write(a.bytes());
        return true;
    }

    private static byte[] read(String name)
    {
        try (InputStream in = StatusAssets.class.getResourceAsStream(BASE + name))
        {
            if (in == null)
                throw new IllegalStateException("the status page file " + BASE + name + " is missing from the classes jar");
            return in.readAllBytes();
        }
        catch (IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
