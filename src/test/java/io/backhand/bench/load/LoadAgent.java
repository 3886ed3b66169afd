package io.backhand.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The load generator as a long-lived process, so that the harness can pin it to its own core and keep its JIT
 * warm across trials: each line on standard input is a {@link LoadSpec} in JSON; each answer is one line
 * {@code RESULT [StreamResult, ...]} on standard output. A fresh HTTP client (no pooled connections) serves
 * each trial. End of input ends the agent.
 */
public final class LoadAgent
{
    /** A request sent this much after its intended time counts as late: the generator itself fell behind. */
    public static final long LATE_MILLIS = 2;
    static final ObjectMapper JSON = new ObjectMapper();

    private LoadAgent()
    {
    }

    /** The previous trial's client, stopping. */
    private static Thread stopping;

    public static List<StreamResult> runTrial(LoadSpec spec) throws Exception
    {
        awaitStopped();
        HttpClient client = newClient(spec);
        client.start();
        try
        {
            return new TrialRunner(client, spec).run();
        }
        finally
        {
            // Stopping aborts whatever is still outstanding; the results are already counted, so it need not
            // hold up the answer.
            Thread stopper = new Thread(() ->
            {
                try
                {
                    client.stop();
                }
                catch (Exception e)
                {
                    // a client that fails to stop cleanly has still measured what it measured
                }
            }, "load-client-stop");
            stopper.setDaemon(true);
            stopper.start();
            stopping = stopper;
        }
    }

    /**
     * Waits for the previous trial's client to stop before the next one starts. After a saturated proxy that
     * client holds up to a hundred thousand queued requests, and aborting them took up to 17 s of the generator's
     * one core; done while the next trial sent, it put that trial behind, whose own queue then grew, and so on:
     * two rounds of scenario 1 once measured nothing but the generator (nginx included, 0 answered).
     */
    private static void awaitStopped() throws InterruptedException
    {
        if (stopping == null)
            return;
        long start = System.nanoTime();
        stopping.join(60_000);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (millis > 1_000 || stopping.isAlive())
            System.err.println("The previous trial's client took " + millis + " ms to stop" + (stopping.isAlive() ? " and is still stopping" : ""));
        stopping = null;
    }

    static HttpClient newClient(LoadSpec spec)
    {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("load-client");
        pool.setDaemon(true);
        client.setExecutor(pool);
        int connections = spec.closedLoop()
            ? spec.streams().stream().mapToInt(StreamSpec::connections).max().orElse(1) : 512;
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(1 << 20);
        client.setFollowRedirects(false);
        client.setIdleTimeout(120_000);
        client.setConnectTimeout(5_000);
        client.setUserAgentField(null);
        return client;
    }

    public static void main(String[] args) throws Exception
    {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("READY");
        String line;
        while ((line = in.readLine()) != null)
        {
            if (line.isBlank())
                continue;
            if (line.equals("quit"))
                break;
            try
            {
                LoadSpec spec = JSON.readValue(line, LoadSpec.class);
                out.println("RESULT " + JSON.writeValueAsString(runTrial(spec)));
            }
            catch (Exception e)
            {
                out.println("FAILED " + e.toString().replace('\n', ' '));
            }
        }
    }
}
