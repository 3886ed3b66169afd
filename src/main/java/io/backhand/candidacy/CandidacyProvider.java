package io.backhand.candidacy;

/**
 * How a candidacy function is made, for built-ins and plug-ins alike: a directive, and a factory that builds the
 * function from the words after it. The built-ins are listed in {@link FunctionRegistry}; a jar that lists an
 * implementation in {@code META-INF/services/io.backhand.candidacy.CandidacyProvider} makes its function
 * available in chains by {@link #directive()} exactly like them, and {@code BackhandFromClass} accepts a
 * provider's class name too. docs/plugins.md walks through one.
 */
public interface CandidacyProvider extends FunctionRegistry.Factory
{
    /** The word used in chains, for example {@code byRack}. */
    String directive();

    /**
     * Builds the function from the words after the directive. {@link Arguments} checks and converts them with
     * errors in the parser's words; or throw {@link IllegalArgumentException} with a message saying what was
     * expected, and the parser adds the line and the word.
     */
    @Override
    CandidacyFunction create(Arguments arguments) throws ChainException;
}
