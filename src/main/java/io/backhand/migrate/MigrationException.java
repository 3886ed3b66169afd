package io.backhand.migrate;

/**
 * An httpd.conf the converter cannot translate: it names the line and says what was expected, because a
 * configuration converted with a guess would be worse than none.
 */
public final class MigrationException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String problem;

    public MigrationException(int line, String problem)
    {
        super("line " + line + ": " + problem);
        this.line = line;
        this.problem = problem;
    }

    public int line()
    {
        return line;
    }

    public String problem()
    {
        return problem;
    }
}
