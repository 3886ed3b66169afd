package io.backhand.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A {@link LoadClient} running on the client host, seen from the test JVM: started, then stopped by closing its stdin. */
public final class LoadRun implements AutoCloseable
{
    private final Process process;
    private final Path results;
    private final List<String> output = new CopyOnWriteArrayList<>();

    LoadRun(Host client, List<String> javaCommand, List<String> args, Path results, Path log) throws IOException
    {
        this.results = results;
        List<String> cmd = new ArrayList<>(client.exec());
        cmd.addAll(javaCommand);
        cmd.add(LoadClient.class.getName());
        cmd.addAll(args);
        cmd.addAll(List.of("--out", results.toString()));
        process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!"started".equals(first))
            throw new IOException("the load client did not start (said " + first + "); see " + log);
        Thread reader = new Thread(() ->
        {
            try
            {
                for (String line; (line = out.readLine()) != null; )
                    output.add(line);
            }
            catch (IOException e)
            {
                // the process ended
            }
        }, "load-output");
        reader.setDaemon(true);
        reader.start();
    }

    public Path results()
    {
        return results;
    }

    /** Stops sending, waits for every request in flight to end, and returns the client's closing line. */
    public String stop(long maxWaitSeconds)
    {
        try
        {
            process.getOutputStream().close();
            if (!process.waitFor(maxWaitSeconds, TimeUnit.SECONDS))
                throw new AssertionError("the load client did not finish within " + maxWaitSeconds + " s");
            Thread.sleep(100);
        }
        catch (IOException | InterruptedException e)
        {
            throw new AssertionError("stopping the load client: " + e, e);
        }
        return output.stream().filter(l -> l.startsWith("done ")).findFirst()
            .orElseThrow(() -> new AssertionError("the load client ended without its summary: " + output));
    }

    /** Waits for a load that ends by itself ({@code --seconds}). */
    public String await(long maxWaitSeconds)
    {
        try
        {
            if (!process.waitFor(maxWaitSeconds, TimeUnit.SECONDS))
                throw new AssertionError("the load client did not finish within " + maxWaitSeconds + " s");
            Thread.sleep(100);
        }
        catch (InterruptedException e)
        {
            throw new AssertionError("interrupted", e);
        }
        return output.stream().filter(l -> l.startsWith("done ")).findFirst()
            .orElseThrow(() -> new AssertionError("the load client ended without its summary: " + output));
    }

    /** A field of the closing line, such as {@code sent} or {@code rate}. */
    public static double field(String done, String name)
    {
        for (String w : done.split(" "))
        {
            if (w.startsWith(name + "="))
                return Double.parseDouble(w.substring(name.length() + 1));
        }
        throw new IllegalArgumentException("no " + name + " in " + done);
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
    }
}
