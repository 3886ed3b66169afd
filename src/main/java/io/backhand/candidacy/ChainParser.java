package io.backhand.candidacy;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Parses a chain written as mod_backhand users wrote it, one function per line, with or without the leading
 * {@code Backhand}: {@code Backhand byAge 6} or {@code byAge 6}. {@code #} starts a comment. A plug-in class
 * is loaded with {@code BackhandFromClass com.example.ByRack [arg]}, the Java twin of {@code BackhandFromSO}.
 *
 * <p>Every error names the line, the word, and what was expected.</p>
 */
public final class ChainParser
{
    private final FunctionRegistry registry;
    private final ClassLoader loader;

    public ChainParser(FunctionRegistry registry, ClassLoader loader)
    {
        this.registry = registry;
        this.loader = loader;
    }

    public static ChainParser standard()
    {
        return new ChainParser(FunctionRegistry.standard(), ChainParser.class.getClassLoader());
    }

    public Chain parse(String text) throws ChainException
    {
        List<Chain.Step> steps = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++)
        {
            int lineNo = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0)
                line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty())
                continue;
            // Allow "a; b; c" on one line too, as in a single-line init-param.
            for (String part : line.split(";"))
            {
                String step = part.strip();
                if (!step.isEmpty())
                    steps.add(parseStep(step, lineNo));
            }
        }
        if (steps.isEmpty())
            throw new ChainException(1, null, "the chain is empty; expected one candidacy function per line, such as byAge 6");
        return new Chain(steps);
    }

    private Chain.Step parseStep(String text, int line) throws ChainException
    {
        List<String> words = new ArrayList<>(Arrays.asList(text.split("\\s+")));
        if (words.get(0).equals("Backhand"))
        {
            words.remove(0);
            if (words.isEmpty())
                throw new ChainException(line, "Backhand", "expected a candidacy function after Backhand, such as byAge 6");
        }
        String directive = words.get(0);
        List<String> args = words.subList(1, words.size());
        if (directive.equals("BackhandFromClass"))
            return new Chain.Step(line, text, fromClass(args, line));
        if (directive.equals("BackhandFromSO"))
            throw new ChainException(line, directive, "shared objects cannot be loaded into a JVM; port the function to "
                + "Java and load it with BackhandFromClass fully.qualified.ClassName [argument]");
        FunctionRegistry.Factory factory = registry.get(directive);
        if (factory == null)
            throw new ChainException(line, directive, "unknown candidacy function; expected one of "
                + String.join(", ", registry.directives()) + suggestion(directive));
        return new Chain.Step(line, text, factory.create(new Arguments(directive, args, line)));
    }

    private String suggestion(String word)
    {
        for (String d : registry.directives())
        {
            if (d.toLowerCase(Locale.ROOT).equals(word.toLowerCase(Locale.ROOT)))
                return " (did you mean " + d + "? names are case-sensitive)";
        }
        String s = io.backhand.config.Parse.suggestion(word, registry.directives());
        return s;
    }

    private CandidacyFunction fromClass(List<String> args, int line) throws ChainException
    {
        if (args.isEmpty())
            throw new ChainException(line, "BackhandFromClass", "expected a class name: BackhandFromClass com.example.ByRack [argument]");
        if (args.size() > 2)
            throw new ChainException(line, args.get(2), "BackhandFromClass takes a class name and at most one argument");
        String className = args.get(0);
        String argument = args.size() == 2 ? args.get(1) : null;
        Class<?> type;
        try
        {
            type = Class.forName(className, true, loader);
        }
        catch (ClassNotFoundException | LinkageError e)
        {
            throw new ChainException(line, className, "class not found on the webapp's class path (put its jar in WEB-INF/lib)");
        }
        if (!CandidacyFunction.class.isAssignableFrom(type))
            throw new ChainException(line, className, "does not implement " + CandidacyFunction.class.getName());
        try
        {
            if (argument != null)
            {
                Constructor<?> c = constructor(type, String.class);
                if (c == null)
                    throw new ChainException(line, argument, className + " takes no argument (it has no public constructor taking a String)");
                return (CandidacyFunction) c.newInstance(argument);
            }
            Constructor<?> c = constructor(type);
            if (c == null)
                throw new ChainException(line, className, "expects an argument (it has no public no-argument constructor)");
            return (CandidacyFunction) c.newInstance();
        }
        catch (InvocationTargetException e)
        {
            Throwable cause = e.getCause();
            throw new ChainException(line, argument != null ? argument : className,
                className + " rejected its argument: " + (cause == null ? e : cause.getMessage()));
        }
        catch (ReflectiveOperationException e)
        {
            throw new ChainException(line, className, "could not be instantiated: " + e);
        }
    }

    private static Constructor<?> constructor(Class<?> type, Class<?>... params)
    {
        try
        {
            return type.getConstructor(params);
        }
        catch (NoSuchMethodException e)
        {
            return null;
        }
    }
}
