package io.backhand.node;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.backhand.config.ConfigException;
import io.backhand.config.Settings;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mod_backhand's BackhandLogLevel, per subsystem: {@code backhand.logLevel} is either one level for every
 * subsystem ({@code debug}) or {@code subsystem=level} pairs ({@code net=debug, proxy=warn}). The subsystems
 * are the SLF4J categories {@code backhand.net}, {@code backhand.decision}, {@code backhand.proxy} and
 * {@code backhand.stats}.
 *
 * <p>Levels are set in the logging backend the WAR carries (Jetty's SLF4J binding), or in Logback when an
 * application in the symmetric topology brings it; with any other backend the operator is told to configure
 * the categories there.</p>
 */
public final class LogLevels
{
    static final List<String> SUBSYSTEMS = List.of("net", "decision", "proxy", "stats");
    static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
    private static final Logger LOG = LoggerFactory.getLogger("backhand.stats");

    private LogLevels()
    {
    }

    /** Category name -> level word; empty when the parameter is unset. */
    public static Map<String, String> parse(Settings.Value value)
    {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null)
            return out;
        String expected = "a level (" + String.join(", ", LEVELS) + ") or subsystem=level pairs with subsystems "
            + String.join(", ", SUBSYSTEMS) + ", such as net=debug, proxy=warn";
        for (String item : value.text().split("[,\\s]+"))
        {
            if (item.isBlank())
                continue;
            int eq = item.indexOf('=');
            String level = (eq < 0 ? item : item.substring(eq + 1)).toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(level))
                throw new ConfigException(value.name() + " (" + value.origin() + "): '" + item + "' is not valid; expected " + expected);
            if (eq < 0)
            {
                for (String s : SUBSYSTEMS)
                    out.put("backhand." + s, level);
                continue;
            }
            String subsystem = item.substring(0, eq).toLowerCase(Locale.ROOT);
            if (!SUBSYSTEMS.contains(subsystem))
                throw new ConfigException(value.name() + " (" + value.origin() + "): '" + subsystem
                    + "' is not a subsystem; expected " + expected);
            out.put("backhand." + subsystem, level);
        }
        return out;
    }

    /** Applies the levels; returns false when the logging backend could not be told. */
    public static boolean apply(Map<String, String> levels)
    {
        if (levels.isEmpty())
            return true;
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof JettyLoggerFactory jetty)
        {
            levels.forEach((category, level) -> jetty.setLoggerLevel(category, level.toUpperCase(Locale.ROOT)));
            return true;
        }
        if (factory.getClass().getName().startsWith("ch.qos.logback."))
            return applyToLogback(factory, levels);
        LOG.warn("backhand.logLevel cannot be applied to the logging backend {}; set the levels of the categories {} there",
            factory.getClass().getName(), levels.keySet());
        return false;
    }

    private static boolean applyToLogback(ILoggerFactory factory, Map<String, String> levels)
    {
        try
        {
            Class<?> levelType = Class.forName("ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
            Method toLevel = levelType.getMethod("toLevel", String.class);
            for (Map.Entry<String, String> e : levels.entrySet())
            {
                Object logger = factory.getLogger(e.getKey());
                logger.getClass().getMethod("setLevel", levelType).invoke(logger, toLevel.invoke(null, e.getValue().toUpperCase(Locale.ROOT)));
            }
            return true;
        }
        catch (ReflectiveOperationException | RuntimeException e)
        {
            LOG.warn("backhand.logLevel could not be applied to Logback: {}", e.toString());
            return false;
        }
    }
}
