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
 * @param workers     null for an ordinary stream; for the oracle, each backend's workers, {@code uris} being the
 *                    backends: the load generator itself then sends each request where its expected delay is
 *                    shortest, knowing every backend's exact state ({@link Oracle})
 * @param serviceMillis for the oracle, each backend's mean service time; null otherwise
 */
public record StreamSpec(String label, List<String> uris, double rate, boolean poisson, int connections, List<Integer> workers,
                         List<Double> serviceMillis)
{
    public StreamSpec
    {
        uris = List.copyOf(uris);
        if (uris.isEmpty())
            throw new IllegalArgumentException("stream " + label + " has no target");
        if (workers != null && (workers.size() != uris.size() || serviceMillis == null || serviceMillis.size() != uris.size()))
            throw new IllegalArgumentException("stream " + label + ": one worker count and one service time per backend");
    }

    public static StreamSpec open(String label, List<String> uris, double rate, boolean poisson)
    {
        return new StreamSpec(label, uris, rate, poisson, 0, null, null);
    }

    public static StreamSpec closed(String label, List<String> uris, int connections)
    {
        return new StreamSpec(label, uris, 0, false, connections, null, null);
    }

    /** Poisson traffic that the oracle dispatches over {@code backends}, knowing their workers and service times. */
    public static StreamSpec oracle(String label, List<String> backends, List<Integer> workers, List<Double> serviceMillis,
                                    double rate)
    {
        return new StreamSpec(label, backends, rate, true, 0, List.copyOf(workers), List.copyOf(serviceMillis));
    }
}
