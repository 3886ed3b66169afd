package io.backhand.candidacy;

import java.util.List;

import io.backhand.candidacy.functions.AddSelf;
import io.backhand.candidacy.functions.RemoveSelf;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;
import io.backhand.stats.NodeState;

/**
 * A parsed candidacy chain: its functions in order, and how to turn the list they leave into a
 * {@link Decision}.
 */
public final class Chain
{
    /** One line of the chain, kept for the status page and for messages. */
    public record Step(int line, String text, CandidacyFunction function)
    {
    }

    private final List<Step> steps;
    private final CandidacyFunction[] functions;
    private final boolean neverLocal;

    public Chain(List<Step> steps)
    {
        this.steps = List.copyOf(steps);
        this.functions = steps.stream().map(Step::function).toArray(CandidacyFunction[]::new);
        boolean banned = false;
        for (CandidacyFunction f : functions)
        {
            if (f instanceof RemoveSelf)
                banned = true;
            else if (f instanceof AddSelf)
                banned = false;
        }
        this.neverLocal = banned;
    }

    /**
     * Whether this node's own application must never answer for this chain: a {@code removeSelf} that no later
     * {@code addSelf} lifts. What the functions do to {@link Candidates#neverLocal} when they run, read ahead
     * of any request, for the requests that are not run through the chain (a loop, say).
     */
    public boolean neverLocal()
    {
        return neverLocal;
    }

    public List<Step> steps()
    {
        return steps;
    }

    /** The chain as the operator wrote it, one function per line, without comments. */
    public String text()
    {
        StringBuilder b = new StringBuilder();
        for (Step s : steps)
            b.append(s.text()).append('\n');
        return b.toString();
    }

    /** Runs every function over {@code candidates}, which the caller has reset from the view. */
    public void run(Candidates candidates, RequestView request, DecisionContext context)
    {
        for (CandidacyFunction f : functions)
        {
            f.apply(candidates, request, context);
        }
    }

    /**
     * Runs the chain and reads the outcome. The winner is the first candidate that takes new requests: a
     * draining server is passed over unless it owns the request's session, and a server still in its slow
     * start only wins its growing share of the time. Up to {@code maxTargets} candidates are kept as targets,
     * in order, for failover.
     */
    public Decision decide(ClusterView view, Candidates candidates, RequestView request, DecisionContext context,
                           int maxTargets)
    {
        candidates.reset(view);
        run(candidates, request, context);
        return Decision.from(candidates, maxTargets, context);
    }

    static boolean eligible(Member m, Member pinned)
    {
        return m.state() == NodeState.READY || m == pinned;
    }
}
