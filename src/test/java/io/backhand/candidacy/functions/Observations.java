package io.backhand.candidacy.functions;

import java.util.List;
import java.util.SplittableRandom;

import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.PeerLedger;

import static io.backhand.candidacy.TestCluster.fn;
import static io.backhand.candidacy.TestCluster.run;

/** What this node itself observed of the servers, for the functions that price by measured latency. */
final class Observations
{
    static final long MS = 1_000_000;

    private Observations()
    {
    }

    /** One response of {@code millis} observed from {@code name}, finishing at {@code atNanos}. */
    static void observed(ClusterView v, String name, long millis, long atNanos)
    {
        v.byName(name).ledger().ewma().record(millis * MS, atNanos);
    }

    static void inFlight(ClusterView v, String name, int n)
    {
        PeerLedger l = v.byName(name).ledger();
        for (int i = 0; i < n; i++)
            l.requestStarted();
    }

    /** The order {@code directive} gives {@code input} at {@code now}. */
    static List<String> rank(String directive, ClusterView v, List<String> input, long now)
    {
        return run(fn(directive), v, input, RequestView.NONE, new DecisionContext(now, new SplittableRandom(1), v, true));
    }
}
