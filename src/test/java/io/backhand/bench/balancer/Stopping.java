package io.backhand.bench.balancer;

import io.backhand.demo.EmbeddedNode;

/** Stops a node at the end of a trial: keep-alive connections the load generator left open may outlast the graceful stop, which is no error here. */
public final class Stopping
{
    private Stopping()
    {
    }

    public static void quietly(EmbeddedNode node)
    {
        try
        {
            node.close();
        }
        catch (Exception e)
        {
            if (!(e instanceof java.util.concurrent.TimeoutException))
                System.err.println("Stopping " + node.name() + ": " + e);
        }
    }
}
