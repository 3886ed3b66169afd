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

    public static List<StreamResult> runTrial(LoadSpec spec) throws Exception
    {
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
        }
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
