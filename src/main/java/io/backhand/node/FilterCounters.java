package io.backhand.node;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one filter did with its requests: how many were served here, proxied (per backend), redirected,
 * refused, or failed. Per-backend timing lives in each member's {@link io.backhand.cluster.PeerLedger}; these
 * are the per-filter totals the status page and the metrics show.
 */
public final class FilterCounters
{
    public enum Outcome
    {
        /** Served by this node's own application. */
        LOCAL,
        /** Proxied to a server, which answered. */
        PROXIED,
        /** Answered with a redirect to a server. */
        REDIRECTED,
        /** No server was left: 503 (never names a server). */
        UNAVAILABLE,
        /** Proxied to a server and failed there with no retry left. */
        FAILED,
        /** One attempt on a server failed and the request went on to the next candidate. */
        RETRIED,
        /**
         * The client's side failed (a body breaking HTTP's framing, a client gone or too slow): 400 or 408, or
         * nothing when the client is gone; never counted against a server.
         */
        CLIENT_ERROR;

        /** The word used in JSON and metric labels. */
        public String word()
        {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether this outcome is recorded against a server. */
        public boolean namesServer()
        {
            return this != UNAVAILABLE && this != CLIENT_ERROR;
        }
    }

    private final Map<Outcome, LongAdder> totals = new EnumMap<>(Outcome.class);
    private final ConcurrentMap<String, Map<Outcome, LongAdder>> byServer = new ConcurrentHashMap<>();
    private final DecisionLog decisions = new DecisionLog();

    FilterCounters()
    {
        for (Outcome o : Outcome.values())
            totals.put(o, new LongAdder());
    }

    public void record(Outcome outcome, String server)
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

    /** The filter's last explained decisions, for the status page. */
    public DecisionLog decisions()
    {
        return decisions;
    }

    public long total(Outcome outcome)
    {
        return totals.get(outcome).sum();
    }

    /** server name -> outcome -> count, a copy sorted by server name. */
    public Map<String, Map<Outcome, Long>> byServer()
    {
        Map<String, Map<Outcome, Long>> out = new TreeMap<>();
        byServer.forEach((server, m) ->
        {
            Map<Outcome, Long> copy = new EnumMap<>(Outcome.class);
            m.forEach((o, c) -> copy.put(o, c.sum()));
            out.put(server, copy);
        });
        return out;
    }
}
