package io.backhand.candidacy;

/**
 * One step of a candidacy chain, named by its directive ({@code byAge}, {@code byLoad}, ...). It filters or
 * reorders the candidates; the first candidate left after the whole chain wins.
 *
 * <p>Functions are pure: the outcome depends only on the candidates, the request and the context. They do
 * no I/O, read time and randomness only through the {@link DecisionContext}, and keep no mutable state, so
 * one instance serves all threads. They work in place on the {@link Candidates} buffer, which belongs to
 * the current decision alone, because a decision per request must not allocate.</p>
 *
 * <p>Built-ins and plug-ins are made the same way, by a {@link CandidacyProvider}; see docs/plugins.md.</p>
 */
@FunctionalInterface
public interface CandidacyFunction
{
    void apply(Candidates candidates, RequestView request, DecisionContext context);

    /** What a function says about this node's own application answering the requests of its chain. */
    enum LocalServing
    {
        /** Says nothing: whatever the functions before it said stands (by default, serving here is allowed). */
        UNCHANGED,
        /** This node's application must never answer: with no candidate left the answer is 503 ({@code removeSelf}). */
        FORBIDDEN,
        /** Lifts an earlier {@code FORBIDDEN} ({@code addSelf}). */
        ALLOWED
    }

    /**
     * Declared, not done in {@link #apply}, because the chain must know it before any request and for the
     * requests it never runs (a request looping between balancers): the last function that says something
     * decides for the whole chain.
     */
    default LocalServing localServing()
    {
        return LocalServing.UNCHANGED;
    }
}
