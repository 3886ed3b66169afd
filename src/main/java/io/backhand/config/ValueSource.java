package io.backhand.config;

/**
 * Where raw values come from: the server-wide {@link Settings} (system property, environment, context-param)
 * or one filter's {@link InitParams}. Each value carries its origin, so that an error can say where to look.
 */
public interface ValueSource
{
    /** The value as written, or null when the parameter is not set there. */
    Settings.Value value(String name);
}
