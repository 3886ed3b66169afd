package io.backhand.config;

import java.util.Locale;

/**
 * One setting, described once: its name, where it is set, its type (which parses it and words its errors),
 * its default, and where docs/configuration.md describes it. Everything else about a setting (the unknown-name
 * checks, the quick index of the docs and the test that holds it to the code) is derived from these.
 *
 * @param name the parameter's name, as written in web.xml
 * @param scope where an operator sets it
 * @param type how its text is parsed, and its range
 * @param defaultValue the value when it is set nowhere; null when the default is worked out from other
 *                     settings or the host (then {@code documentedDefault} says how)
 * @param documentedDefault the default as the quick index of docs/configuration.md words it
 * @param section the section of docs/configuration.md that describes it ("2.1", "3")
 * @param anchor the anchor of its entry in docs/configuration.md, without '#'
 */
public record Setting<T>(String name, Scope scope, ValueType<T> type, T defaultValue, String documentedDefault,
                         String section, String anchor)
{
    /** Where a setting is given. */
    public enum Scope
    {
        /** web.xml context-param, overridable per node by system property or environment variable. */
        CONTEXT_PARAM,
        /** Read by Jetty's own XML before the WAR starts, so the WAR only knows its name. */
        SYSTEM_PROPERTY,
        /** An init-param of one Backhand filter. */
        INIT_PARAM;

        /** As the quick index of docs/configuration.md words it: context-param, system property, init-param. */
        public String words()
        {
            return this == SYSTEM_PROPERTY ? "system property" : name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static <T> Setting<T> of(String name, Scope scope, ValueType<T> type)
    {
        return new Setting<>(name, scope, type, null, "none", "", name.toLowerCase(Locale.ROOT).replace(".", ""));
    }

    /** The same setting with a default, documented as the type writes it ({@code `1s`}). */
    public Setting<T> byDefault(T value)
    {
        return new Setting<>(name, scope, type, value, "`" + type.format(value) + "`", section, anchor);
    }

    /** The same setting with its default in words, for defaults that are not one value. */
    public Setting<T> documentedDefault(String words)
    {
        return new Setting<>(name, scope, type, defaultValue, words, section, anchor);
    }

    /** Where docs/configuration.md describes it; the anchor defaults to the name's GitHub heading anchor. */
    public Setting<T> documentedIn(String section)
    {
        return new Setting<>(name, scope, type, defaultValue, documentedDefault, section, anchor);
    }

    public Setting<T> anchoredAt(String anchor)
    {
        return new Setting<>(name, scope, type, defaultValue, documentedDefault, section, anchor);
    }

    /** The same setting checked against a narrower type, for ranges that depend on another setting. */
    public Setting<T> within(ValueType<T> narrower)
    {
        return new Setting<>(name, scope, narrower, defaultValue, documentedDefault, section, anchor);
    }

    /** The value as written, or null when unset. */
    public Settings.Value raw(ValueSource source)
    {
        return source.value(name);
    }

    public boolean isSet(ValueSource source)
    {
        return source.value(name) != null;
    }

    /** The parsed value, or the default when unset. */
    public T read(ValueSource source)
    {
        return read(source, defaultValue);
    }

    /** The parsed value, or {@code fallback} when unset: for defaults worked out from other settings. */
    public T read(ValueSource source, T fallback)
    {
        Settings.Value v = source.value(name);
        return v == null ? fallback : type.parse(v);
    }
}
