package io.backhand.netns;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;

/**
 * An HTTP relay that runs inside the client host's namespace, for the test JVM, which lives in the root
 * namespace and has no route to the virtual LAN (on purpose). It reads {@code <id> GET <url> <timeout-ms>}
 * lines on stdin and answers each, in any order, with {@code <id> <status> <micros> <base64 body>} or
 * {@code <id> ERR <micros> <base64 message>} on stdout. It exits when stdin closes, so it never outlives the
 * test.
 */
public final class Probe
{
    private Probe()
    {
    }

    public static void main(String[] args) throws Exception
    {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).executor(Executors.newFixedThreadPool(8, r ->
            {
                Thread t = new Thread(r, "probe");
                t.setDaemon(true);
                return t;
            })).build();
        Base64.Encoder b64 = Base64.getEncoder();
        synchronized (out)
        {
            out.println("ready");
            out.flush();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; )
        {
            String[] w = line.split(" ");
            if (w.length != 4 || !w[1].equals("GET"))
                continue;
            String id = w[0];
            long start = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(URI.create(w[2])).timeout(Duration.ofMillis(Long.parseLong(w[3])))
                .GET().build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) ->
            {
                long micros = (System.nanoTime() - start) / 1000;
                String reply = e == null ? id + " " + r.statusCode() + " " + micros + " " + b64.encodeToString(r.body())
                    : id + " ERR " + micros + " " + b64.encodeToString(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
                synchronized (out)
                {
                    out.println(reply);
                    out.flush();
                }
            });
        }
        System.exit(0);
    }
}
