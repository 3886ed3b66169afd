package io.backhand.status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format, version 0.0.4, as Prometheus documents it
 * (docs/instrumenting/exposition_formats): it rejects anything a Prometheus server would reject or
 * misread, naming the line. Prometheus' Java client writes this format but has no reader; the reference
 * readers are Go (expfmt) and Python, which a Java test cannot call without another toolchain. So the
 * grammar is checked here, line by line:
 * <ul>
 *   <li>{@code # HELP name text} (escapes {@code \\} and {@code \n} only), at most once per name;</li>
 *   <li>{@code # TYPE name type}, type one of counter, gauge, histogram, summary, untyped, at most once per
 *       name and before the first sample of that name;</li>
 *   <li>samples {@code name{label="value",...} value [timestamp]}: valid metric and label names, label
 *       values with escapes {@code \\ \" \n} only, no label twice, a Go float value (NaN, +Inf, -Inf
 *       included), an integer timestamp;</li>
 *   <li>all lines of one family together; no series (name and label set) twice; counters neither
 *       negative nor NaN; the text ends with a newline.</li>
 * </ul>
 */
final class PrometheusText
{
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
        "[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[Ii]nf|[Ii]nfinity)|NaN");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d{1,19}");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value, String family)
    {
    }

    private PrometheusText()
    {
    }

    /** Parses and checks {@code text}; throws AssertionError naming the first offending line. */
    static List<Sample> parse(String text)
    {
        if (!text.isEmpty() && !text.endsWith("\n"))
            throw new AssertionError("the exposition does not end with a newline");
        Map<String, String> types = new HashMap<>();
        Set<String> helps = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        Set<String> series = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++)
        {
            String line = lines[i];
            int n = i + 1;
            if (line.isBlank())
                continue;
            String family;
            if (line.startsWith("#"))
            {
                String[] parts = line.split("[ \t]+", 4);
                if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE")))
                    continue; // an ordinary comment
                family = parts[2];
                need(METRIC_NAME.matcher(family).matches(), n, "bad metric name in " + parts[1] + ": " + family);
                if (parts[1].equals("HELP"))
                {
                    need(helps.add(family), n, "a second HELP for " + family);
                    checkEscapes(parts.length > 3 ? parts[3] : "", n);
                }
                else
                {
                    need(parts.length == 4 && TYPES.contains(parts[3].strip()), n, "TYPE must be one of " + TYPES + ": " + line);
                    need(!types.containsKey(family), n, "a second TYPE for " + family);
                    need(samples.stream().noneMatch(s -> s.family().equals(family)), n, "TYPE for " + family + " after its samples");
                    types.put(family, parts[3].strip());
                }
            }
            else
            {
                Sample s = sample(line, n, types);
                family = s.family();
                need(series.add(s.name() + new TreeMap<>(s.labels())), n, "the series " + s.name() + s.labels() + " appears twice");
                if ("counter".equals(types.get(family)))
                    need(!Double.isNaN(s.value()) && s.value() >= 0, n, "a counter is negative or NaN: " + line);
                samples.add(s);
            }
            if (!family.equals(currentFamily))
            {
                need(!closedFamilies.contains(family), n, "the lines of " + family + " are not together");
                if (currentFamily != null)
                    closedFamilies.add(currentFamily);
                currentFamily = family;
            }
        }
        return samples;
    }

    private static Sample sample(String line, int n, Map<String, String> types)
    {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t')
            i++;
        String name = line.substring(0, i);
        need(METRIC_NAME.matcher(name).matches(), n, "bad metric name: " + name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{')
        {
            i++;
            while (true)
            {
                need(i < line.length(), n, "unterminated label set");
                if (line.charAt(i) == '}')
                {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                need(eq > i, n, "a label without '='");
                String label = line.substring(i, eq);
                need(LABEL_NAME.matcher(label).matches(), n, "bad label name: " + label);
                need(eq + 1 < line.length() && line.charAt(eq + 1) == '"', n, "label " + label + ": value must be quoted");
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (true)
                {
                    need(j < line.length(), n, "label " + label + ": unterminated value");
                    char c = line.charAt(j);
                    if (c == '"')
                        break;
                    if (c == '\\')
                    {
                        need(j + 1 < line.length(), n, "label " + label + ": dangling backslash");
                        char e = line.charAt(j + 1);
                        need(e == '\\' || e == '"' || e == 'n', n, "label " + label + ": bad escape \\" + e);
                        value.append(e == 'n' ? '\n' : e);
                        j += 2;
                        continue;
                    }
                    value.append(c);
                    j++;
                }
                need(labels.put(label, value.toString()) == null, n, "label " + label + " twice");
                i = j + 1;
                need(i < line.length(), n, "unterminated label set");
                if (line.charAt(i) == ',')
                    i++;
                else
                    need(line.charAt(i) == '}', n, "expected ',' or '}' after label " + label);
            }
        }
        String rest = line.substring(i);
        need(rest.startsWith(" ") || rest.startsWith("\t"), n, "no space before the value");
        String[] fields = rest.strip().split("[ \t]+");
        need(fields.length == 1 || fields.length == 2, n, "expected a value and an optional timestamp: " + rest);
        need(FLOAT.matcher(fields[0]).matches(), n, "not a float value: " + fields[0]);
        if (fields.length == 2)
            need(TIMESTAMP.matcher(fields[1]).matches(), n, "not an integer timestamp: " + fields[1]);
        double value = switch (fields[0].toLowerCase())
        {
            case "+inf", "inf", "+infinity", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(fields[0]);
        };
        return new Sample(name, labels, value, familyOf(name, types));
    }

    /** The family a sample belongs to: its own name, or the name without a summary's or histogram's suffix. */
    private static String familyOf(String name, Map<String, String> types)
    {
        if (types.containsKey(name))
            return name;
        for (String suffix : new String[] {"_bucket", "_count", "_sum"})
        {
            if (name.endsWith(suffix))
            {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket"))
                    return base;
            }
        }
        return name;
    }

    private static void checkEscapes(String help, int n)
    {
        for (int j = 0; j < help.length(); j++)
        {
            if (help.charAt(j) == '\\')
            {
                need(j + 1 < help.length(), n, "HELP ends with a backslash");
                char e = help.charAt(j + 1);
                need(e == '\\' || e == 'n', n, "HELP has a bad escape \\" + e);
                j++;
            }
        }
    }

    private static void need(boolean ok, int line, String what)
    {
        if (!ok)
            throw new AssertionError("Prometheus text format, line " + line + ": " + what);
    }
}
