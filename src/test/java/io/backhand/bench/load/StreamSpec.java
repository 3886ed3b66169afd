package io.backhand.bench.load;

import java.util.List;

/**
 * One stream of traffic in a trial.
 *
 * @param label       names the stream in results ("balanced", "balancer-2", "direct")
 * @param uris        targets, used in turn (one per request, round robin)
 * @param rate        requests per second for an open-loop trial
 * @param poisson     exponential gaps between intended send times instead of fixed ones
 * @param connections concurrent requests for a closed-loop trial (each sends again when answered)
 */
public record StreamSpec(String label, List<String> uris, double rate, boolean poisson, int connections)
{
    public StreamSpec
    {
        uris = List.copyOf(uris);
        if (uris.isEmpty())
            throw new IllegalArgumentException("stream " + label + " has no target");
    }

    public static StreamSpec open(String label, List<String> uris, double rate, boolean poisson)
    {
        return new StreamSpec(label, uris, rate, poisson, 0);
    }

    public static StreamSpec closed(String label, List<String> uris, int connections)
    {
        return new StreamSpec(label, uris, 0, false, connections);
    }
}
