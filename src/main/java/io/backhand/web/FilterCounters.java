package io.backhand.web;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one filter did with its requests: how many were served here, proxied (per backend), redirected,
 * refused, or failed. Per-backend timing lives in each member's {@link io.backhand.cluster.PeerLedger}; these
 * are the per-filter totals the status page and the metrics show.
 */
final class FilterCounters
{
    enum Outcome
    {
        LOCAL, PROXIED, REDIRECTED, UNAVAILABLE, FAILED, RETRIED
    }

    private final Map<Outcome, LongAdder> totals = new EnumMap<>(Outcome.class);
    private final ConcurrentMap<String, Map<Outcome, LongAdder>> byServer = new ConcurrentHashMap<>();

    FilterCounters()
    {
        for (Outcome o : Outcome.values())
            totals.put(o, new LongAdder());
    }

    void record(Outcome outcome, String server)
    {
        totals.get(outcome).increment();
        if (server != null)
            byServer.computeIfAbsent(server, s ->
            {
                Map<Outcome, LongAdder> m = new EnumMap<>(Outcome.class);
                for (Outcome o : Outcome.values())
                    m.put(o, new LongAdder());
                return m;
            }).get(outcome).increment();
    }

    long total(Outcome outcome)
    {
        return totals.get(outcome).sum();
    }

    /** server name -> outcome -> count, a copy. */
    Map<String, Map<Outcome, Long>> byServer()
    {
        Map<String, Map<Outcome, Long>> out = new java.util.TreeMap<>();
        byServer.forEach((server, m) ->
        {
            Map<Outcome, Long> copy = new EnumMap<>(Outcome.class);
            m.forEach((o, c) -> copy.put(o, c.sum()));
            out.put(server, copy);
        });
        return out;
    }
}
