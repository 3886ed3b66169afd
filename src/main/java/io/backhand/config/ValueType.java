package io.backhand.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a setting's value looks like: how its text becomes a value, and what the operator is told when it
 * cannot. Every failure is a {@link ConfigException} naming the parameter, where its value came from and what
 * was expected ({@link Settings.Value#invalid}).
 *
 * @param <T> the value once parsed
 */
@FunctionalInterface
public interface ValueType<T>
{
    T parse(Settings.Value value);

    /** The accepted range as docs/configuration.md writes it ("1 to 16", "10ms to 1m"), or empty. */
    default String range()
    {
        return "";
    }

    /** A value written the way an operator would write it, for documented defaults. */
    default String format(T value)
    {
        return String.valueOf(value);
    }

    /** The same type, its range worded for ranges that depend on other settings. */
    default ValueType<T> describedAs(String range)
    {
        return described(this, range, this::format);
    }

    /** {@code on}/{@code off}, also {@code true}/{@code false} and {@code yes}/{@code no}. */
    static ValueType<Boolean> onOff()
    {
        return described(Parse::onOff, "", on -> on ? "on" : "off");
    }

    static ValueType<Integer> wholeNumber(int min, int max)
    {
        return described(v -> Parse.integer(v, min, max), min + " to " + max, String::valueOf);
    }

    /** A size in bytes: {@code 65536}, {@code 64k}, {@code 1m} (binary: 1k is 1024 bytes). */
    static ValueType<Long> size(long min, long max)
    {
        return described(v -> Parse.size(v, min, max), Parse.formatSize(min) + " to " + Parse.formatSize(max),
            Parse::formatSize);
    }

    /** {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 2m}; a bare number means seconds. */
    static ValueType<Duration> duration(Duration min, Duration max)
    {
        return described(v -> Parse.duration(v, min, max), Parse.format(min) + " to " + Parse.format(max), Parse::format);
    }

    private static <T> ValueType<T> described(ValueType<T> parser, String range, Function<T, String> format)
    {
        return new ValueType<>()
        {
            @Override
            public T parse(Settings.Value value)
            {
                return parser.parse(value);
            }

            @Override
            public String range()
            {
                return range;
            }

            @Override
            public String format(T value)
            {
                return format.apply(value);
            }
        };
    }

    /** Any text; what the setting means is checked by whoever reads it. */
    static ValueType<String> text()
    {
        return Settings.Value::text;
    }

    /** Text matching a regular expression as a whole. */
    static ValueType<String> matching(String regex, String expected)
    {
        return v ->
        {
            if (!v.text().matches(regex))
                throw v.invalid(expected);
            return v.text();
        };
    }

    /** One of a few words, exactly as written. */
    static ValueType<String> oneOf(String... words)
    {
        Set<String> allowed = Set.of(words);
        String expected = String.join(" or ", words);
        return v ->
        {
            if (!allowed.contains(v.text()))
                throw v.invalid(expected);
            return v.text();
        };
    }

    /** A value made by a parser that throws {@link IllegalArgumentException}; the operator is told {@code expected}. */
    static <T> ValueType<T> parsedBy(Function<String, T> parser, String expected)
    {
        return v ->
        {
            try
            {
                return parser.apply(v.text());
            }
            catch (IllegalArgumentException e)
            {
                throw v.invalid(expected);
            }
        };
    }

    /**
     * The same, for parsers whose message already says what is wrong with the text (a destination without a
     * port, an unknown host): the operator reads that message, then {@code expected} when it is not null.
     */
    static <T> ValueType<T> explainedBy(Function<String, T> parser, String expected)
    {
        return v ->
        {
            try
            {
                return parser.apply(v.text());
            }
            catch (IllegalArgumentException e)
            {
                throw new ConfigException(v.name() + " (" + v.origin() + "): " + e.getMessage()
                    + (expected == null ? "" : "; expected " + expected), e);
            }
        };
    }

    /** Items separated by commas, whitespace or new lines, each of {@code item}'s type. */
    static <T> ValueType<List<T>> listOf(ValueType<T> item)
    {
        return v -> each(v.items(), item);
    }

    /** One item per non-blank line, {@code #} starting a comment; an item's error names its line. */
    static <T> ValueType<List<T>> linesOf(ValueType<T> item)
    {
        return v -> each(v.lines(), item);
    }

    private static <T> List<T> each(List<Settings.Value> values, ValueType<T> item)
    {
        List<T> out = new ArrayList<>();
        for (Settings.Value v : values)
            out.add(item.parse(v));
        return Collections.unmodifiableList(out);
    }
}
