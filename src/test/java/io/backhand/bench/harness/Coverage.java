package io.backhand.bench.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.backhand.bench.peers.Backend;

/**
 * Before a balancer is measured, it must be able to reach every backend: a few requests through it until each
 * backend has answered one (lbmethod_heartbeat, for one, sends nothing to a backend it has no heartbeat from).
 */
final class Coverage
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Coverage()
    {
    }

    static void await(String label, String entry, List<Backend> backends) throws Exception
    {
        Set<String> missing = new HashSet<>();
        backends.forEach(b -> missing.add(b.name()));
        URI uri = URI.create(entry + "small");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (!missing.isEmpty() && System.nanoTime() < deadline)
        {
            try
            {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
                last = "HTTP " + r.statusCode();
                r.headers().firstValue("X-Served-By").ifPresent(missing::remove);
                if (r.statusCode() != 200)
                    Thread.sleep(100);
            }
            catch (java.io.IOException e)
            {
                last = e.toString();
                Thread.sleep(100);
            }
        }
        if (!missing.isEmpty())
            throw new IllegalStateException(label + " at " + entry + " never reached " + missing + " (last answer: " + last + ")");
    }
}
