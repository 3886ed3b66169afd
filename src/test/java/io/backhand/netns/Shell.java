package io.backhand.netns;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system commands the harness needs ({@code ip}, {@code id}) and says plainly what failed: the
 * command line, its exit status and its error output.
 */
final class Shell
{
    record Result(List<String> command, int exit, String out, String err)
    {
        boolean ok()
        {
            return exit == 0;
        }

        String describe()
        {
            return String.join(" ", command) + " exited with " + exit + (err.isBlank() ? "" : ": " + err.strip());
        }
    }

    private Shell()
    {
    }

    /** Runs a command to its end (at most 30 s); never throws for a non-zero exit. */
    static Result run(String... command)
    {
        List<String> cmd = List.of(command);
        try
        {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(30, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return new Result(cmd, -1, "", "timed out after 30 s");
            }
            return new Result(cmd, p.exitValue(), out.join(), err.join());
        }
        catch (IOException e)
        {
            return new Result(cmd, -1, "", e.getMessage());
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return new Result(cmd, -1, "", "interrupted");
        }
    }

    /** Runs a command that must succeed, and returns its standard output. */
    static String check(String... command)
    {
        Result r = run(command);
        if (!r.ok())
            throw new IllegalStateException(r.describe());
        return r.out();
    }

    /** Reads a stream on a thread of its own: the common pool may have a single thread on a small machine. */
    private static CompletableFuture<String> drain(InputStream in)
    {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() ->
        {
            try (in)
            {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            catch (IOException e)
            {
                text.complete("");
            }
        }, "shell-drain");
        t.setDaemon(true);
        t.start();
        return text;
    }
}
