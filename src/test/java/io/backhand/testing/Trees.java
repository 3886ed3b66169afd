package io.backhand.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies a directory tree, as the tests and the benchmark harness do to give each Jetty process its own jetty-base. */
public final class Trees
{
    private Trees()
    {
    }

    public static void copy(Path from, Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (Path p : (Iterable<Path>) files::iterator)
            {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                    Files.createDirectories(target);
                else
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
