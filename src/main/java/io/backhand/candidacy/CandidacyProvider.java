package io.backhand.candidacy;

import java.util.List;

/**
 * The plug-in SPI: a jar that lists an implementation in
 * {@code META-INF/services/io.backhand.candidacy.CandidacyProvider} makes its function available in
 * chains by {@link #directive()}, exactly like the built-ins.
 */
public interface CandidacyProvider
{
    /** The word used in chains, for example {@code byRack}. */
    String directive();

    /**
     * Builds the function from the words after the directive. Throw {@link IllegalArgumentException}
     * with a message saying what was expected; the parser adds the line and the word.
     */
    CandidacyFunction create(List<String> arguments);
}
