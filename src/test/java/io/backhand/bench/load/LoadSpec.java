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
 * @param windowFromMillis with {@code windowToMillis}: a part of the measured window (from its start) whose
 *                       requests are also counted on their own, such as the time a node is slowed down; 0 and 0
 *                       for none
 * @param timelineMillis  the width of the timeline's buckets (answers by backend, errors), 0 for no timeline
 */
public record LoadSpec(String name, boolean closedLoop, long warmupMillis, long durationMillis, long timeoutMillis, long seed,
                       List<StreamSpec> streams, long windowFromMillis, long windowToMillis, long timelineMillis)
{
    public LoadSpec
    {
        streams = List.copyOf(streams);
    }

    public LoadSpec(String name, boolean closedLoop, long warmupMillis, long durationMillis, long timeoutMillis, long seed,
                    List<StreamSpec> streams)
    {
        this(name, closedLoop, warmupMillis, durationMillis, timeoutMillis, seed, streams, 0, 0, 0);
    }

    boolean hasWindow()
    {
        return windowToMillis > windowFromMillis;
    }
}
