package io.backhand.candidacy.functions;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.Member;

/**
 * {@code byExpectedDelay}: shortest expected delay first, where a server's expected delay is
 * {@code latency x (busy + 1) / workers}. {@code latency} is the peak EWMA of the response times this node saw
 * there (a failure or a 5xx answer counts as a response of at least a second, so a node that fails fast is
 * never mistaken for a fast one); {@code busy} is the interpreted busy count, the requests every sender has
 * running there as announced, with this node's own part exact and fresh; {@code workers} is what the server
 * announces it can run at once. The announcement brings what the other balancers and direct clients are doing,
 * which no single balancer's latency can see; the observation brings speed and failure, at once and without
 * trusting a benchmark.
 *
 * <p>A server not yet measured is priced a hair below the best measured latency (failures' prices aside),
 * scaled by its announced speed ({@code maxArriba / arriba}): tried soon, and, like any server, priced up by
 * every request sent to it.</p>
 */
public final class ByExpectedDelay implements CandidacyFunction
{
    public static ByExpectedDelay create(Arguments a) throws ChainException
    {
        a.atMost(0, "byExpectedDelay");
        return new ByExpectedDelay();
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        double prior = MeasuredLatency.observe(c, ctx, false);
        double[] keys = c.keys();
        int maxArriba = Math.max(1, ctx.view().maxArriba());
        for (int i = 0; i < c.size(); i++)
        {
            Member m = c.get(i);
            double latency = keys[i] > 0 ? keys[i] : prior * maxArriba / Math.max(1, m.stats().arriba());
            keys[i] = latency * (ctx.busy(m) + 1) / Math.max(1, m.stats().totalWorkers());
        }
        c.sortByKeys();
    }
}
