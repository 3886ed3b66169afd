package io.backhand.migrate;

/**
 * Something the operator must know about the conversion, tied to the httpd.conf line it comes from: a
 * {@link Kind#WARNING} when behaviour has no exact equivalent, a {@link Kind#NOTE} when the converter
 * translated something in a way worth checking.
 */
public record Finding(Kind kind, int line, String message)
{
    public enum Kind
    {
        WARNING, NOTE;

        String word()
        {
            return this == WARNING ? "warning" : "note";
        }
    }

    static Finding warning(int line, String message)
    {
        return new Finding(Kind.WARNING, line, message);
    }

    static Finding note(int line, String message)
    {
        return new Finding(Kind.NOTE, line, message);
    }

    /** {@code line 12: warning: ...}, as printed in the generated files' comments. */
    @Override
    public String toString()
    {
        return "line " + line + ": " + kind.word() + ": " + message;
    }
}
