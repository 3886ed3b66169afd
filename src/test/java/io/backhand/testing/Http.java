package io.backhand.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real HTTP client for tests (the JDK's), with helpers for the status JSON. */
public final class Http
{
    public static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Http()
    {
    }

    public static HttpResponse<String> get(URI uri)
    {
        try
        {
            return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception e)
        {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        }
    }

    public static JsonNode json(URI uri)
    {
        HttpResponse<String> r = get(uri.resolve("?format=json"));
        if (r.statusCode() != 200)
            throw new AssertionError("GET " + uri + "?format=json: " + r.statusCode() + " " + r.body());
        try
        {
            return JSON.readTree(r.body());
        }
        catch (Exception e)
        {
            throw new AssertionError("not JSON from " + uri + ": " + r.body(), e);
        }
    }
}
