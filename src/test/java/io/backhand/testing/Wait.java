package io.backhand.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition instead of sleeping a fixed time. */
public final class Wait
{
    private Wait()
    {
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            try
            {
                if (condition.getAsBoolean())
                    return;
            }
            catch (RuntimeException | AssertionError e)
            {
                if (System.nanoTime() > deadline)
                    throw new AssertionError("timed out after " + timeout + " waiting for " + what + ": " + e, e);
            }
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            try
            {
                Thread.sleep(20);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
