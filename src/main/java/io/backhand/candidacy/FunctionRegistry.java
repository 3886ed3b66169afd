package io.backhand.candidacy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import io.backhand.candidacy.functions.AddSelf;
import io.backhand.candidacy.functions.ByAge;
import io.backhand.candidacy.functions.ByBusyChildren;
import io.backhand.candidacy.functions.ByCPU;
import io.backhand.candidacy.functions.ByCost;
import io.backhand.candidacy.functions.ByExpectedDelay;
import io.backhand.candidacy.functions.ByExtrapolatedDelay;
import io.backhand.candidacy.functions.ByHostname;
import io.backhand.candidacy.functions.ByLatency;
import io.backhand.candidacy.functions.ByLoad;
import io.backhand.candidacy.functions.ByLogWindow;
import io.backhand.candidacy.functions.ByRandom;
import io.backhand.candidacy.functions.BySession;
import io.backhand.candidacy.functions.HTTPRedirectToIP;
import io.backhand.candidacy.functions.HTTPRedirectToName;
import io.backhand.candidacy.functions.RemoveSelf;

/**
 * Candidacy functions by directive: the built-ins, then every {@link CandidacyProvider} found by
 * {@link ServiceLoader} in the given class loader (the webapp's, so plug-in jars go in WEB-INF/lib). Both are
 * the same thing, a directive and a factory from {@link Arguments}, and are created through the same checks.
 * Adding a built-in is one line in {@link #builtIns()}.
 */
public final class FunctionRegistry
{
    /** Builds a function from the words after its directive; what a {@link CandidacyProvider} is, bar its name. */
    @FunctionalInterface
    public interface Factory
    {
        CandidacyFunction create(Arguments arguments) throws ChainException;
    }

    private final Map<String, Factory> factories;

    private FunctionRegistry(Map<String, Factory> factories)
    {
        Map<String, Factory> checked = new LinkedHashMap<>();
        factories.forEach((directive, factory) -> checked.put(directive, args -> create(factory, directive, args)));
        this.factories = Collections.unmodifiableMap(checked);
    }

    public static Map<String, Factory> builtIns()
    {
        Map<String, Factory> m = new LinkedHashMap<>();
        m.put("byAge", ByAge::create);
        m.put("byRandom", ByRandom::create);
        m.put("byLogWindow", ByLogWindow::create);
        m.put("byLoad", ByLoad::create);
        m.put("byBusyChildren", ByBusyChildren::create);
        m.put("byCPU", ByCPU::create);
        m.put("byCost", ByCost::create);
        m.put("addSelf", AddSelf::create);
        m.put("removeSelf", RemoveSelf::create);
        m.put("bySession", BySession::create);
        m.put("byHostname", ByHostname::create);
        m.put("HTTPRedirectToIP", HTTPRedirectToIP::create);
        m.put("HTTPRedirectToName", HTTPRedirectToName::create);
        m.put("byLatency", ByLatency::create);
        m.put("byExpectedDelay", ByExpectedDelay::create);
        m.put("byExtrapolatedDelay", ByExtrapolatedDelay::create);
        return m;
    }

    /** Built-ins only. */
    public static FunctionRegistry standard()
    {
        return new FunctionRegistry(builtIns());
    }

    /**
     * Built-ins plus plug-ins visible to {@code loader}. A plug-in may not replace a built-in, nor two plug-ins
     * share a name: a chain must mean what the reference says it means, whatever jars are deployed.
     *
     * @throws IllegalStateException naming the provider (and its jar) when a plug-in cannot be used
     */
    public static FunctionRegistry withPlugins(ClassLoader loader)
    {
        Map<String, Factory> m = builtIns();
        Map<String, String> owners = new LinkedHashMap<>();
        m.keySet().forEach(d -> owners.put(d, "the built-in " + d));
        try
        {
            for (CandidacyProvider p : ServiceLoader.load(CandidacyProvider.class, loader))
            {
                String who = "candidacy plug-in " + p.getClass().getName() + " (from " + origin(p.getClass()) + ")";
                String directive = p.directive();
                if (directive == null || !directive.matches("[A-Za-z][A-Za-z0-9_]*"))
                    throw new IllegalStateException(who + " has the directive '" + directive + "'; expected a name "
                        + "of letters, digits and _ starting with a letter, such as byRack");
                if (directive.regionMatches(true, 0, "Backhand", 0, 8))
                    throw new IllegalStateException(who + " has the directive '" + directive + "'; names starting "
                        + "with Backhand are reserved for the chain syntax");
                if (m.containsKey(directive))
                    throw new IllegalStateException(who + " claims the directive '" + directive + "', which is "
                        + "already taken by " + owners.get(directive));
                owners.put(directive, who);
                m.put(directive, p);
            }
        }
        catch (ServiceConfigurationError e)
        {
            throw new IllegalStateException("a candidacy plug-in listed in META-INF/services/"
                + CandidacyProvider.class.getName() + " could not be loaded: " + e.getMessage(), e);
        }
        return new FunctionRegistry(m);
    }

    /** A bad argument is an error that names the line and the word, whoever wrote the function. */
    private static CandidacyFunction create(Factory factory, String directive, Arguments args) throws ChainException
    {
        CandidacyFunction f;
        try
        {
            f = factory.create(args);
        }
        catch (IllegalArgumentException e)
        {
            String word = args.count() == 0 ? directive : String.join(" ", args.words());
            throw new ChainException(args.line(), word, e.getMessage() == null ? directive + " rejected its arguments"
                : e.getMessage());
        }
        catch (RuntimeException e)
        {
            throw new ChainException(args.line(), directive, "the function could not be created: " + e);
        }
        if (f == null)
            throw new ChainException(args.line(), directive, "its provider returned no function");
        return f;
    }

    private static String origin(Class<?> type)
    {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "an unknown location" : source.getLocation().toString();
    }

    public Factory get(String directive)
    {
        return factories.get(directive);
    }

    public java.util.Set<String> directives()
    {
        return factories.keySet();
    }
}
