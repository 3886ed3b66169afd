package io.backhand.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The test JVM's side of {@link Probe}: HTTP GETs made from inside the client host. */
public final class ProbeClient implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: an HTTP status and body, or {@code status == -1} and the error in {@code body}. */
    public record Reply(int status, String body, long micros, long sentAtMillis, long receivedAtMillis)
    {
        public boolean ok()
        {
            return status == 200;
        }

        public JsonNode json()
        {
            try
            {
                return JSON.readTree(body);
            }
            catch (IOException e)
            {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    private final Process process;
    private final Writer stdin;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();

    public ProbeClient(Host client, List<String> javaCommand, Path log) throws IOException
    {
        List<String> cmd = new ArrayList<>(client.exec());
        cmd.addAll(javaCommand);
        cmd.add(Probe.class.getName());
        process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!"ready".equals(first))
            throw new IOException("the probe in " + client.namespace() + " did not start (said " + first + "); see " + log);
        Thread reader = new Thread(() -> read(out), "probe-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(BufferedReader out)
    {
        Base64.Decoder b64 = Base64.getDecoder();
        try
        {
            for (String line; (line = out.readLine()) != null; )
            {
                String[] w = line.split(" ", 4);
                long id = Long.parseLong(w[0]);
                CompletableFuture<Reply> f = pending.remove(id);
                Long sent = sentAt.remove(id);
                if (f == null)
                    continue;
                String body = w.length > 3 ? new String(b64.decode(w[3]), StandardCharsets.UTF_8) : "";
                int status = w[1].equals("ERR") ? -1 : Integer.parseInt(w[1]);
                f.complete(new Reply(status, body, Long.parseLong(w[2]), sent == null ? 0 : sent, System.currentTimeMillis()));
            }
        }
        catch (IOException | RuntimeException e)
        {
            // The probe is gone; pending requests fail below.
        }
        pending.values().forEach(f -> f.completeExceptionally(new IOException("the probe process ended")));
    }

    public CompletableFuture<Reply> getAsync(URI uri, Duration timeout)
    {
        long id = ids.incrementAndGet();
        CompletableFuture<Reply> f = new CompletableFuture<>();
        pending.put(id, f);
        sentAt.put(id, System.currentTimeMillis());
        try
        {
            synchronized (stdin)
            {
                stdin.write(id + " GET " + uri + " " + timeout.toMillis() + "\n");
                stdin.flush();
            }
        }
        catch (IOException e)
        {
            pending.remove(id);
            f.completeExceptionally(e);
        }
        return f;
    }

    public Reply get(URI uri, Duration timeout)
    {
        try
        {
            return getAsync(uri, timeout).get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        }
        catch (Exception e)
        {
            long now = System.currentTimeMillis();
            return new Reply(-1, "probe: " + e, 0, now, now);
        }
    }

    @Override
    public void close()
    {
        try
        {
            stdin.close();
            if (!process.waitFor(5, TimeUnit.SECONDS))
                process.destroyForcibly();
        }
        catch (IOException | InterruptedException e)
        {
            process.destroyForcibly();
        }
    }
}
