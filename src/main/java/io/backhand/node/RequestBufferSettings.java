package io.backhand.node;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.backhand.config.DescriptorLines;
import io.backhand.config.Parse;
import io.backhand.config.Settings;

/**
 * A filter's request buffering: request bodies up to {@code requestBuffer} bytes are read whole before a node is
 * chosen, within {@code requestBodyTimeout}; 0 bytes turns it off. Read and checked at deployment, with the
 * rest of the filter's parameters.
 *
 * @param limitBytes  the largest body read whole (0: none)
 * @param bodyTimeout how long the whole of a buffered body may take to arrive
 */
public record RequestBufferSettings(long limitBytes, Duration bodyTimeout)
{
    public static final String SIZE = "requestBuffer";
    public static final String TIMEOUT = "requestBodyTimeout";
    public static final Set<String> PARAMS = Set.of(SIZE, TIMEOUT);
    public static final long DEFAULT_LIMIT = 64 * 1024;
    /** Memory is held per request while its body arrives: a bound keeps a flood of large bodies from taking it all. */
    public static final long MAX_LIMIT = 16L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public boolean enabled()
    {
        return limitBytes > 0;
    }

    /**
     * @param lines where each value sits in web.xml, for the message; null when unknown
     */
    public static RequestBufferSettings read(String filterName, Map<String, String> initParams, DescriptorLines lines)
    {
        long limit = DEFAULT_LIMIT;
        String size = initParams.get(SIZE);
        if (size != null)
        {
            Settings.Value v = value(filterName, SIZE, size, lines);
            Long parsed = bytes(v.text());
            if (parsed == null || parsed < 0 || parsed > MAX_LIMIT)
                throw v.invalid("a size from 0 (off) to 16m, such as 65536, 64k or 1m");
            limit = parsed;
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String t = initParams.get(TIMEOUT);
        if (t != null)
            timeout = Parse.duration(value(filterName, TIMEOUT, t, lines), MIN_TIMEOUT, MAX_TIMEOUT);
        return new RequestBufferSettings(limit, timeout);
    }

    private static Settings.Value value(String filter, String name, String text, DescriptorLines lines)
    {
        String w = lines == null ? null : lines.filterParam(filter, name);
        return new Settings.Value(name, text.strip(), "filter " + filter + " init-param" + (w == null ? "" : " (" + w + ")"));
    }

    /** Bytes, or with k or m (binary: 1k is 1024 bytes); null when not a size. */
    static Long bytes(String text)
    {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long factor = 1;
        if (t.endsWith("k") || t.endsWith("m"))
        {
            factor = t.endsWith("k") ? 1024 : 1024 * 1024;
            t = t.substring(0, t.length() - 1).strip();
        }
        if (!t.matches("[0-9]{1,9}"))
            return null;
        return Long.parseLong(t) * factor;
    }
}
