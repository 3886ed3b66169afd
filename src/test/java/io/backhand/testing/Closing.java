package io.backhand.testing;

import java.util.ArrayList;
import java.util.List;

import io.backhand.demo.EmbeddedNode;

/** Closes everything a test opened, even when some of it fails to close, and then says what failed. */
public final class Closing
{
    private Closing()
    {
    }

    public static void closeAll(List<? extends AutoCloseable> closeables)
    {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable c : closeables)
        {
            try
            {
                if (c != null)
                    c.close();
            }
            catch (Exception e)
            {
                failures.add(new IllegalStateException((c instanceof EmbeddedNode n ? n.name() : String.valueOf(c)) + ": " + e, e));
            }
        }
        if (!failures.isEmpty())
            throw new IllegalStateException("could not close everything: " + failures);
    }
}
