package io.backhand.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Server-wide settings, looked up in the order an operator overrides them: Java system property, then
 * environment variable ({@code backhand.multicastStats} becomes {@code BACKHAND_MULTICASTSTATS}), then the
 * web.xml context-param. The same WAR can thus be deployed on every node and told apart by a
 * {@code start.d} ini alone.
 *
 * <p>What each value means is the business of its {@link Setting}, whose type throws {@link ConfigException}
 * naming the parameter, where the value came from, and what was expected. There is no silent fallback for a
 * value that is present but wrong.</p>
 */
public final class Settings implements ValueSource
{
    private final Function<String, String> systemProperties;
    private final Map<String, String> environment;
    private final Function<String, String> contextParams;
    private final Set<String> contextParamNames;
    private final DescriptorLines lines;

    public Settings(Function<String, String> systemProperties, Map<String, String> environment,
                    Function<String, String> contextParams, Set<String> contextParamNames, DescriptorLines lines)
    {
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.contextParams = contextParams;
        this.contextParamNames = contextParamNames;
        this.lines = lines;
    }

    /** Settings from context params only; what embedded tests use so that nodes in one JVM differ. */
    public static Settings ofContextParams(Map<String, String> params)
    {
        return new Settings(name -> null, Map.of(), params::get, params.keySet(), DescriptorLines.none());
    }

    public static String environmentName(String param)
    {
        return param.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** A value together with the place it came from. */
    public record Value(String name, String text, String origin)
    {
        public ConfigException invalid(String expected)
        {
            return new ConfigException(name + " (" + origin + "): '" + text + "' is not valid; expected " + expected);
        }

        /** One entry per non-blank line; '#' starts a comment. Each entry's origin names its line. */
        public List<Value> lines()
        {
            List<Value> out = new ArrayList<>();
            int lineNo = 0;
            for (String line : text.split("\\R"))
            {
                lineNo++;
                int hash = line.indexOf('#');
                if (hash >= 0)
                    line = line.substring(0, hash);
                line = line.strip();
                if (!line.isEmpty())
                    out.add(new Value(name, line, origin + ", line " + lineNo + " of the value"));
            }
            return Collections.unmodifiableList(out);
        }

        /** Entries separated by commas, whitespace or newlines. */
        public List<Value> items()
        {
            List<Value> out = new ArrayList<>();
            for (String item : text.split("[,\\s]+"))
            {
                if (!item.isBlank())
                    out.add(new Value(name, item.strip(), origin));
            }
            return Collections.unmodifiableList(out);
        }
    }

    /** The raw value, or null when the parameter is set nowhere. Blank values count as unset. */
    @Override
    public Value value(String name)
    {
        String v = systemProperties.apply(name);
        if (v != null && !v.isBlank())
            return new Value(name, v.strip(), "system property -D" + name);
        String envName = environmentName(name);
        v = environment.get(envName);
        if (v != null && !v.isBlank())
            return new Value(name, v.strip(), "environment variable " + envName);
        v = contextParams.apply(name);
        if (v != null && !v.isBlank())
        {
            String where = lines.contextParam(name);
            return new Value(name, v.strip(), where == null ? "context-param" : "context-param, " + where);
        }
        return null;
    }

    /**
     * Fails when the source that would give this parameter its value has it, but blank. For most parameters
     * a blank value counts as unset; for a secret that would mean running unsigned without a word, so
     * {@code -Dbackhand.secret=} must stop the deployment rather than sign nothing.
     */
    public void refuseBlank(String name, String expected)
    {
        String origin = null;
        String v = systemProperties.apply(name);
        if (v != null)
            origin = "system property -D" + name;
        if (origin == null && (v = environment.get(environmentName(name))) != null)
            origin = "environment variable " + environmentName(name);
        if (origin == null && (v = contextParams.apply(name)) != null)
        {
            String where = lines.contextParam(name);
            origin = where == null ? "context-param" : "context-param, " + where;
        }
        if (origin != null && v.isBlank())
            throw new ConfigException(name + " (" + origin + ") is set but empty; expected " + expected
                + ", or leave " + name + " out entirely");
    }

    /**
     * Fails on a {@code backhand.*} parameter that nobody reads: a typo in a parameter name must not
     * silently leave the default in force.
     */
    public void rejectUnknown(Set<String> known)
    {
        Set<String> unknown = new TreeSet<>();
        for (String name : contextParamNames)
        {
            if (name.startsWith("backhand.") && !known.contains(name))
                unknown.add(name);
        }
        List<String> problems = new ArrayList<>();
        for (String name : unknown)
        {
            String where = lines.contextParam(name);
            problems.add("context-param " + name + (where == null ? "" : " (" + where + ")")
                + " is not a Backhand parameter" + Parse.suggestion(name, known));
        }
        if (!problems.isEmpty())
            throw new ConfigException(String.join("; ", problems));
    }

    /** Same check for system properties, which an operator sets in start.d where typos are easy. */
    public static void rejectUnknownSystemProperties(Iterable<String> propertyNames, Set<String> known)
    {
        List<String> problems = new ArrayList<>();
        for (String name : propertyNames)
        {
            // backhand.net.LEVEL and the like configure Jetty's logging of our categories, not us.
            boolean loggingProperty = name.endsWith(".LEVEL") || name.endsWith(".STACKS");
            if (name.startsWith("backhand.") && !known.contains(name) && !loggingProperty)
                problems.add("system property -D" + name + " is not a Backhand parameter" + Parse.suggestion(name, known));
        }
        if (!problems.isEmpty())
            throw new ConfigException(String.join("; ", problems));
    }
}
