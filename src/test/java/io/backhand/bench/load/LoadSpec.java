package io.backhand.bench.load;

import java.util.List;

/**
 * One trial for the load agent: its streams run at once, from one common start.
 *
 * @param name           names the trial in logs
 * @param closedLoop     false: open loop (each stream at its rate); true: each stream keeps {@code connections} busy
 * @param warmupMillis   traffic sent but not measured, so that JITs, pools and connections are warm
 * @param durationMillis the measured window; a request belongs to it by its intended send time
 * @param timeoutMillis  a request not answered within this counts as an error
 * @param seed           seeds the Poisson arrivals, so that every configuration sees the same sequence of gaps
 */
public record LoadSpec(String name, boolean closedLoop, long warmupMillis, long durationMillis, long timeoutMillis, long seed,
                       List<StreamSpec> streams)
{
    public LoadSpec
    {
        streams = List.copyOf(streams);
    }
}
