package io.backhand.netns;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The load of the namespace cluster, run inside the client host: GETs mixed with POSTs whose random bodies
 * carry their SHA-256 in a header, sent through the balancer, every outcome written to a file.
 *
 * <p>Open loop ({@code --rate}, requests started on a fixed schedule whatever the answers do, so a fault shows as
 * latency and errors rather than as fewer requests) or closed loop ({@code --concurrency}, to find capacity).
 * With {@code --per-request} each request becomes one line
 * {@code seq method id start-ms latency-us status served-by sha256 error}; otherwise one line per second
 * {@code second count errors p50-us p99-us max-us}, and each failure is described on stderr. It stops at
 * {@code --seconds}, or when stdin closes, then
 * waits for every request still in flight (each has a timeout), so that no request goes unreported.</p>
 */
public final class LoadClient
{
    private final HttpClient client;
    private final String target;
    private final String runId;
    private final double postRatio;
    private final int maxBody;
    private final long timeoutMillis;
    private final boolean perRequest;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong errorsLogged = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Set once no request is in flight any more (or the drain gave up): the writer's last round. */
    private final AtomicBoolean finished = new AtomicBoolean();
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Map<Long, Histogram> seconds = new HashMap<>();
    private final Map<Long, long[]> secondCounts = new HashMap<>();
    private final Histogram total = new Histogram(3_600_000_000L, 3);

    private LoadClient(Map<String, String> o) throws Exception
    {
        target = o.get("target");
        runId = o.getOrDefault("run-id", "r");
        postRatio = Double.parseDouble(o.getOrDefault("post-ratio", "0.5"));
        maxBody = Integer.parseInt(o.getOrDefault("max-body", "32768"));
        timeoutMillis = Long.parseLong(o.getOrDefault("timeout-seconds", "30")) * 1000;
        perRequest = o.containsKey("per-request");
        QueuedThreadPool pool = new QueuedThreadPool(64);
        pool.setName("load");
        pool.setDaemon(true);
        client = new HttpClient();
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(Integer.parseInt(o.getOrDefault("connections", "256")));
        client.setMaxRequestsQueuedPerDestination(1 << 20);
        client.setConnectTimeout(5000);
        // Below Jetty's default server idle timeout (30 s), so that the client, not the balancer, closes an idle
        // connection: otherwise a request sent just as the server closes it fails, which would be our fault.
        client.setIdleTimeout(20_000);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.start();
    }

    public static void main(String[] args) throws Exception
    {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            if (!args[i].startsWith("--"))
                throw new IllegalArgumentException("unexpected " + args[i]);
            String key = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            o.put(key, flag ? "true" : args[++i]);
        }
        if (!o.containsKey("target") || !o.containsKey("out"))
            throw new IllegalArgumentException("usage: --target http://host:port --out file [--rate N | --concurrency N] "
                + "[--seconds N] [--post-ratio 0.5] [--max-body 32768] [--timeout-seconds 30] [--per-request] [--run-id X]");
        LoadClient load = new LoadClient(o);
        load.run(o);
    }

    private void run(Map<String, String> o) throws Exception
    {
        long seconds = Long.parseLong(o.getOrDefault("seconds", "0"));
        Thread watcher = new Thread(() ->
        {
            // Closing stdin (the test is done, or died) stops the load.
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
            {
                while (in.readLine() != null)
                {
                    // only EOF matters
                }
            }
            catch (IOException e)
            {
                // same as EOF
            }
            stopping.set(true);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Path out = Path.of(o.get("out"));
        Thread writer = new Thread(() -> writeLoop(out), "results-writer");
        writer.start();
        long start = System.nanoTime();
        long end = seconds > 0 ? start + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        System.out.println("started");
        System.out.flush();
        if (o.containsKey("concurrency"))
            closedLoop(Integer.parseInt(o.get("concurrency")), end);
        else
            openLoop(Double.parseDouble(o.getOrDefault("rate", "50")), end);
        stopping.set(true);
        long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis + 10_000);
        while (inFlight.get() > 0 && System.nanoTime() < drainDeadline)
            Thread.sleep(20);
        double elapsed = (System.nanoTime() - start) / 1e9;
        finished.set(true);
        writer.join();
        synchronized (total)
        {
            System.out.printf("done sent=%d completed=%d errors=%d unfinished=%d seconds=%.1f rate=%.1f p50us=%d p99us=%d maxus=%d%n",
                sequence.get(), completed.get(), errors.get(), inFlight.get(), elapsed, completed.get() / elapsed,
                total.getValueAtPercentile(50), total.getValueAtPercentile(99), total.getMaxValue());
        }
        System.out.flush();
        client.stop();
        System.exit(0);
    }

    private void openLoop(double rate, long end)
    {
        long period = (long) (1e9 / rate);
        long next = System.nanoTime();
        while (!stopping.get() && next < end)
        {
            long wait = next - System.nanoTime();
            if (wait > 0)
                LockSupport.parkNanos(wait);
            send(null);
            next += period;
        }
    }

    private void closedLoop(int concurrency, long end)
    {
        for (int i = 0; i < concurrency; i++)
            send(() -> !stopping.get() && System.nanoTime() < end);
        while (!stopping.get() && System.nanoTime() < end)
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        stopping.set(true);
    }

    /** Sends one request; with {@code again}, sends the next one when this one ends while it says so. */
    private void send(BooleanSupplier again)
    {
        long seq = sequence.incrementAndGet();
        SplittableRandom random = new SplittableRandom(seq * 0x9E3779B97F4A7C15L);
        boolean post = random.nextDouble() < postRatio;
        String id = runId + "-" + seq;
        Request request = client.newRequest(target + "/rec/" + (post ? "post" : "get") + "/" + seq)
            .method(post ? HttpMethod.POST : HttpMethod.GET)
            .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
            .headers(h -> h.put(RecorderServlet.REQUEST_ID, id));
        String sha = "-";
        if (post)
        {
            byte[] body = new byte[random.nextInt(256, maxBody + 1)];
            for (int i = 0; i < body.length; i++)
                body[i] = (byte) random.nextInt(256);
            sha = HexFormat.of().formatHex(sha256(body));
            String checksum = sha;
            request.headers(h -> h.put(RecorderServlet.CHECKSUM, checksum)).body(new BytesRequestContent("application/octet-stream", body));
        }
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        String method = post ? "POST" : "GET";
        String checksum = sha;
        inFlight.incrementAndGet();
        request.send(new BufferingResponseListener(64 * 1024)
        {
            @Override
            public void onComplete(Result result)
            {
                long micros = (System.nanoTime() - startNanos) / 1000;
                int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
                String error = "-";
                if (result.isFailed())
                {
                    Throwable f = result.getFailure();
                    error = (f.getClass().getSimpleName() + ":" + f.getMessage()).replaceAll("\\s+", "_");
                    status = 0;
                }
                String servedBy = status / 100 == 2 ? getContentAsString().strip() : "-";
                if (servedBy.isEmpty() || servedBy.contains("\t") || servedBy.contains("\n"))
                    servedBy = "?";
                boolean failed = status / 100 != 2;
                record(startMillis, micros, failed);
                if (failed && !perRequest && errorsLogged.incrementAndGet() <= 1000)
                    System.err.println("failed " + method + " " + id + " at " + startMillis + " after " + micros + " us: "
                        + (status == 0 ? error : "HTTP " + status + " " + getContentAsString().strip().replaceAll("\\s+", " ")));
                if (perRequest)
                    lines.add(seq + "\t" + method + "\t" + id + "\t" + startMillis + "\t" + micros + "\t" + status + "\t"
                        + servedBy + "\t" + checksum + "\t" + error + "\n");
                completed.incrementAndGet();
                inFlight.decrementAndGet();
                if (again != null && again.getAsBoolean())
                    send(again);
            }
        });
    }

    private void record(long startMillis, long micros, boolean failed)
    {
        long second = startMillis / 1000;
        if (failed)
            errors.incrementAndGet();
        synchronized (total)
        {
            total.recordValue(Math.min(micros, total.getHighestTrackableValue()));
            if (!perRequest)
            {
                seconds.computeIfAbsent(second, s -> new Histogram(3_600_000_000L, 2)).recordValue(Math.min(micros, 3_600_000_000L));
                long[] c = secondCounts.computeIfAbsent(second, s -> new long[2]);
                c[0]++;
                if (failed)
                    c[1]++;
            }
        }
    }

    private void writeLoop(Path out)
    {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8))
        {
            while (true)
            {
                // Read before writing, so that the last round writes everything that finished before it.
                boolean last = finished.get();
                for (String line; (line = lines.poll()) != null; )
                    w.write(line);
                if (!perRequest)
                    writeSeconds(w, last);
                w.flush();
                if (last)
                    return;
                Thread.sleep(200);
            }
        }
        catch (IOException | InterruptedException e)
        {
            System.err.println("cannot write " + out + ": " + e);
        }
    }

    /** Writes the seconds that can no longer change (all of them at the end). */
    private void writeSeconds(BufferedWriter w, boolean all) throws IOException
    {
        long settled = System.currentTimeMillis() / 1000 - (timeoutMillis / 1000 + 2);
        synchronized (total)
        {
            for (Long s : new TreeSet<>(seconds.keySet()))
            {
                if (!all && s > settled)
                    break;
                Histogram h = seconds.remove(s);
                long[] c = secondCounts.remove(s);
                w.write(s + "\t" + c[0] + "\t" + c[1] + "\t" + h.getValueAtPercentile(50) + "\t" + h.getValueAtPercentile(99)
                    + "\t" + h.getMaxValue() + "\n");
            }
        }
    }

    private static byte[] sha256(byte[] body)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(body);
        }
        catch (Exception e)
        {
            throw new IllegalStateException(e);
        }
    }
}
