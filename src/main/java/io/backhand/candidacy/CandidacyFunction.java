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
 * <p>Plug-ins implement this interface too; see {@link CandidacyProvider} and docs/plugins.md.</p>
 */
@FunctionalInterface
public interface CandidacyFunction
{
    void apply(Candidates candidates, RequestView request, DecisionContext context);
}
