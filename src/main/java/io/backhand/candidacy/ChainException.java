package io.backhand.candidacy;

/**
 * A chain that cannot be used. It names the line of the chain text, the offending word, and what was
 * expected there, so the operator can fix it without reading our source.
 */
public final class ChainException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String word;
    private final String problem;

    public ChainException(int line, String word, String problem)
    {
        super("line " + line + (word == null ? "" : ", '" + word + "'") + ": " + problem);
        this.line = line;
        this.word = word;
        this.problem = problem;
    }

    public int line()
    {
        return line;
    }

    public String word()
    {
        return word;
    }

    public String problem()
    {
        return problem;
    }
}
