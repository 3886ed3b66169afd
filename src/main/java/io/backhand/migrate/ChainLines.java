package io.backhand.migrate;

import java.util.List;

import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.FunctionRegistry;

/**
 * Turns {@code Backhand} and {@code BackhandFromSO} lines into lines of a filter's {@code candidacy}
 * init-param, checked by the same parser the webapp uses at deployment: a line the converter accepts is a
 * line that deploys, and a mistake is reported against the httpd.conf line rather than a web.xml line.
 */
final class ChainLines
{
    private final ChainParser parser = ChainParser.standard();
    private final FunctionRegistry registry = FunctionRegistry.standard();

    /** {@code Backhand function [argument]}. */
    String backhand(ConfNode.Directive d) throws MigrationException
    {
        if (d.args().isEmpty())
            throw new MigrationException(d.line(), "Backhand needs a candidacy function, such as Backhand byAge 6");
        String text = "Backhand " + String.join(" ", d.args());
        check(text, d.line());
        return text;
    }

    /**
     * {@code BackhandFromSO library.so function [argument]}. A function that Backhand has built in (the
     * distribution's byHostname.so) becomes a plain Backhand line; any other needs porting to Java, so it is kept
     * as a comment saying how, and a warning is added.
     */
    String fromSharedObject(ConfNode.Directive d, List<Finding> findings) throws MigrationException
    {
        List<String> a = d.args();
        if (a.size() < 2 || a.size() > 3)
            throw new MigrationException(d.line(), "BackhandFromSO takes a shared object, a function name and an optional "
                + "argument, such as BackhandFromSO libexec/byHostname.so byHostname www; found " + a.size() + " word(s)");
        String function = a.get(1);
        String argument = a.size() == 3 ? " " + a.get(2) : "";
        if (registry.get(function) != null)
        {
            String text = "Backhand " + function + argument;
            check(text, d.line());
            findings.add(Finding.note(d.line(), "BackhandFromSO " + a.get(0) + " " + function + ": " + function
                + " is built into Backhand, so the line is now: " + text));
            return text;
        }
        String className = "com.example." + Character.toUpperCase(function.charAt(0)) + function.substring(1);
        findings.add(Finding.warning(d.line(), "BackhandFromSO " + a.get(0) + " " + function + ": a shared object cannot be "
            + "loaded into a JVM. Port " + function + " to a Java class implementing io.backhand.candidacy.CandidacyFunction "
            + "(docs/plugins.md), put its jar in WEB-INF/lib and replace the comment left in the chain with "
            + "BackhandFromClass " + className + argument + ". Until then the chain runs without it"));
        return "# " + d.text() + "  (port to Java: BackhandFromClass " + className + argument + ")";
    }

    private void check(String text, int line) throws MigrationException
    {
        try
        {
            parser.parse(text);
        }
        catch (ChainException e)
        {
            throw new MigrationException(line, (e.word() == null ? "" : "'" + e.word() + "': ") + e.problem());
        }
    }
}
