package io.backhand.candidacy;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a chain written as mod_backhand users wrote it, one function per line, with or without the leading
 * {@code Backhand}: {@code Backhand byAge 6} or {@code byAge 6}. {@code #} starts a comment; words are split
 * and quoted as Apache split them (see {@link ChainWords}). A plug-in class is loaded with
 * {@code BackhandFromClass com.example.ByRack [arg]}, the Java twin of {@code BackhandFromSO}.
 *
 * <p>Every error names the line, the word, and what was expected.</p>
 */
public final class ChainParser
{
    /** Apache directive names are case-insensitive, so a pasted {@code BackHand byLoad} must still parse. */
    private static final String BACKHAND = "Backhand";
    private static final String FROM_CLASS = "BackhandFromClass";
    private static final String FROM_SO = "BackhandFromSO";
    /** mod_backhand functions with no counterpart here, and what to do instead. */
    private static final Map<String, String> RETIRED = Map.of(
        "backhand_off", "to leave a URL unbalanced, leave it out of the filter's url-patterns",
        "addPrediction", "the balancer counts the requests it sent since each announcement by itself (see the "
            + "interpreted figures in docs/candidacy.md); remove the line");

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
            for (ChainWords.Step step : ChainWords.split(lines[i], lineNo))
                steps.add(new Chain.Step(lineNo, step.text(), function(step.words(), lineNo)));
        }
        if (steps.isEmpty())
            throw new ChainException(1, null, "the chain is empty; expected one candidacy function per line, such as byAge 6");
        return new Chain(steps);
    }

    private CandidacyFunction function(List<String> all, int line) throws ChainException
    {
        List<String> words = all;
        if (words.get(0).equalsIgnoreCase(BACKHAND))
        {
            words = words.subList(1, words.size());
            if (words.isEmpty())
                throw new ChainException(line, all.get(0), "expected a candidacy function after Backhand, such as byAge 6");
        }
        String directive = words.get(0);
        List<String> args = words.subList(1, words.size());
        if (directive.equalsIgnoreCase(FROM_CLASS))
            return fromClass(args, line);
        if (directive.equalsIgnoreCase(FROM_SO))
            return fromSharedObject(args, line);
        return byName(directive, args, line);
    }

    private CandidacyFunction byName(String directive, List<String> args, int line) throws ChainException
    {
        FunctionRegistry.Factory factory = registry.get(directive);
        if (factory == null)
        {
            String retired = RETIRED.get(directive);
            if (retired != null)
                throw new ChainException(line, directive, "this mod_backhand function has no equivalent here: " + retired);
            throw new ChainException(line, directive, "unknown candidacy function; expected one of "
                + String.join(", ", registry.directives()) + ", or BackhandFromClass" + suggestion(directive));
        }
        return factory.create(new Arguments(directive, args, line));
    }

    /**
     * {@code BackhandFromSO libexec/byHostname.so byHostname (sun|alpha)}: a JVM cannot load a shared object,
     * but the function it names may exist here by the same name (mod_backhand shipped byHostname as a shared
     * object only). Such a line means that function; any other is an error that says how to port it.
     */
    private CandidacyFunction fromSharedObject(List<String> args, int line) throws ChainException
    {
        if (args.size() < 2)
            throw new ChainException(line, args.isEmpty() ? FROM_SO : args.get(0), "expected BackhandFromSO "
                + "path/to/module.so functionName [argument]");
        String function = args.get(1);
        if (registry.get(function) != null)
            return byName(function, args.subList(2, args.size()), line);
        throw new ChainException(line, args.get(0), "shared objects cannot be loaded into a JVM and '" + function
            + "' is not a function known here; port it to Java and load it with BackhandFromClass "
            + "fully.qualified.ClassName [argument], or package it as a plug-in (docs/plugins.md)");
    }

    private String suggestion(String word)
    {
        for (String d : registry.directives())
        {
            if (d.toLowerCase(Locale.ROOT).equals(word.toLowerCase(Locale.ROOT)))
                return " (did you mean " + d + "? names are case-sensitive)";
        }
        return io.backhand.config.Parse.suggestion(word, registry.directives());
    }

    /**
     * {@code BackhandFromClass com.example.ByRack [argument]}: a class on the webapp's class path that is either
     * a {@link CandidacyFunction} with a public constructor taking the argument as a String (or none without
     * an argument), or a {@link CandidacyProvider}, which then gets the argument as its list of words.
     */
    private CandidacyFunction fromClass(List<String> args, int line) throws ChainException
    {
        String usage = "BackhandFromClass fully.qualified.ClassName [argument]";
        if (args.isEmpty())
            throw new ChainException(line, FROM_CLASS, "expected a class name: " + usage);
        if (args.size() > 2)
            throw new ChainException(line, args.get(2), "BackhandFromClass takes a class name and at most one argument "
                + "(quote an argument that contains blanks); usage: " + usage);
        String className = args.get(0);
        String argument = args.size() == 2 ? args.get(1) : null;
        Class<?> type;
        try
        {
            type = Class.forName(className, true, loader);
        }
        catch (ClassNotFoundException e)
        {
            throw new ChainException(line, className, "class not found on the webapp's class path; expected the "
                + "fully qualified name of a class in WEB-INF/classes or in a jar in WEB-INF/lib");
        }
        catch (LinkageError | RuntimeException e)
        {
            throw new ChainException(line, className, "class could not be loaded: " + e);
        }
        if (CandidacyProvider.class.isAssignableFrom(type))
            return fromProvider(type, className, argument, line);
        if (!CandidacyFunction.class.isAssignableFrom(type))
            throw new ChainException(line, className, "expected a class implementing " + CandidacyFunction.class.getName()
                + " or " + CandidacyProvider.class.getName());
        Constructor<?> c = argument != null ? constructor(type, String.class) : constructor(type);
        if (c == null && argument != null)
            throw new ChainException(line, argument, className + " takes no argument (it has no public constructor "
                + "taking a String)");
        if (c == null)
            throw new ChainException(line, className, "expects an argument (it has no public no-argument constructor)");
        try
        {
            return (CandidacyFunction) (argument != null ? c.newInstance(argument) : c.newInstance());
        }
        catch (InvocationTargetException e)
        {
            throw rejected(line, className, argument, e.getCause() == null ? e : e.getCause());
        }
        catch (ReflectiveOperationException | RuntimeException e)
        {
            throw new ChainException(line, className, "could not be instantiated: " + e);
        }
    }

    private static CandidacyFunction fromProvider(Class<?> type, String className, String argument, int line)
        throws ChainException
    {
        Constructor<?> c = constructor(type);
        if (c == null)
            throw new ChainException(line, className, "a CandidacyProvider needs a public no-argument constructor");
        CandidacyFunction f;
        try
        {
            CandidacyProvider p = (CandidacyProvider) c.newInstance();
            f = p.create(new Arguments(p.directive(), argument == null ? List.of() : List.of(argument), line));
        }
        catch (InvocationTargetException e)
        {
            throw rejected(line, className, argument, e.getCause() == null ? e : e.getCause());
        }
        catch (RuntimeException e)
        {
            throw rejected(line, className, argument, e);
        }
        catch (ReflectiveOperationException e)
        {
            throw new ChainException(line, className, "could not be instantiated: " + e);
        }
        if (f == null)
            throw new ChainException(line, className, "its create method returned no function");
        return f;
    }

    private static ChainException rejected(int line, String className, String argument, Throwable cause)
    {
        String why = cause instanceof IllegalArgumentException && cause.getMessage() != null ? cause.getMessage()
            : cause.toString();
        return new ChainException(line, argument != null ? argument : className, className + " rejected "
            + (argument != null ? "its argument" : "being created without an argument") + ": " + why);
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
