package io.backhand.candidacy;

import java.util.List;

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
            switch (f.localServing())
            {
                case FORBIDDEN -> banned = true;
                case ALLOWED -> banned = false;
                case UNCHANGED -> { }
            }
        }
        this.neverLocal = banned;
    }

    /**
     * Whether this node's own application must never answer for this chain: a function that forbids it (such
     * as {@code removeSelf}) that no later one allows again ({@code addSelf}), as the functions declare it in
     * {@link CandidacyFunction#localServing()}. Known before any request, for the requests that are not run
     * through the chain (a loop, say); {@link #run} hands it to the candidates of those that are.
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
        candidates.neverLocal(neverLocal);
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

    /**
     * {@link #decide}, writing down what each function left into {@code trace}: for a decision an operator
     * asked to see. Kept apart from {@link #decide} so that the decisions nobody asks about run exactly as
     * they would without it.
     */
    public Decision explain(ClusterView view, Candidates candidates, RequestView request, DecisionContext context,
                            int maxTargets, DecisionTrace trace)
    {
        candidates.reset(view);
        trace.start(candidates);
        for (Step s : steps)
        {
            // Whatever a function leaves in the key slots is its figure; one that ranks nothing leaves NaN.
            candidates.clearKeys();
            s.function().apply(candidates, request, context);
            trace.after(s.text(), candidates);
        }
        candidates.neverLocal(neverLocal);
        Decision d = Decision.from(candidates, maxTargets, context);
        trace.decided(d);
        return d;
    }

    static boolean eligible(Member m, Member pinned)
    {
        return m.state() == NodeState.READY || m == pinned;
    }
}
