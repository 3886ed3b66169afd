package io.backhand.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A few client threads sending GETs to a balancer until closed, so that the status page has traffic to show. */
final class LoadGenerator implements AutoCloseable
{
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private volatile boolean running = true;

    LoadGenerator(URI base, int clients, String work)
    {
        for (int i = 0; i < clients; i++)
        {
            int id = i;
            Thread t = new Thread(() -> run(base, id, work), "load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void run(URI base, int id, String work)
    {
        long n = 0;
        while (running)
        {
            try
            {
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/load/" + id + "/" + n++ + "?work=" + work))
                    .timeout(Duration.ofSeconds(10)).GET().build();
                HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                (r.statusCode() == 200 ? ok : other).incrementAndGet();
            }
            catch (InterruptedException e)
            {
                return;
            }
            catch (Exception e)
            {
                other.incrementAndGet();
            }
        }
    }

    long ok()
    {
        return ok.get();
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        for (Thread t : threads)
            t.join(15_000);
    }
}
