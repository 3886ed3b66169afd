package io.backhand.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The init-params of one {@code <filter>} declaration, each value tagged with the filter, the parameter and
 * its web.xml line. Unlike context-params, a blank init-param counts as set: the operator wrote it, so a
 * blank chain or number is reported rather than replaced by the default.
 */
public final class InitParams implements ValueSource
{
    private final String filterName;
    private final Map<String, String> params;
    private final DescriptorLines lines;

    public InitParams(String filterName, Map<String, String> params, DescriptorLines lines)
    {
        this.filterName = filterName;
        this.params = params;
        this.lines = lines;
    }

    @Override
    public Settings.Value value(String name)
    {
        String v = params.get(name);
        return v == null ? null : new Settings.Value(name, v.strip(), "filter " + filterName + " init-param" + where(name));
    }

    /** The web.xml line where the value of {@code name} starts, or 0 when unknown. */
    public int valueLine(String name)
    {
        return lines.filterValueLine(filterName, name);
    }

    public String file()
    {
        return lines.file();
    }

    /** Fails on an init-param nobody reads, since a typo must not leave the default silently in force. */
    public void rejectUnknown(Set<String> known)
    {
        Set<String> sorted = new TreeSet<>(known);
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(params.keySet()))
        {
            if (!known.contains(name))
                problems.add("filter " + filterName + ": init-param " + name + where(name)
                    + " is not a Backhand filter parameter" + Parse.suggestion(name, known) + "; expected one of " + sorted);
        }
        if (!problems.isEmpty())
            throw new ConfigException(String.join("; ", problems));
    }

    private String where(String name)
    {
        String w = lines.filterParam(filterName, name);
        return w == null ? "" : " (" + w + ")";
    }
}
