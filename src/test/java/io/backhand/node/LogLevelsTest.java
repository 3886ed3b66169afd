package io.backhand.node;


import java.util.Map;

import io.backhand.config.ConfigException;
import io.backhand.config.Settings;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLevelsTest
{
    private static Settings.Value value(String text)
    {
        return new Settings.Value("backhand.logLevel", text, "test");
    }

    @Test
    void oneLevelSetsEverySubsystem()
    {
        Map<String, String> levels = LogLevels.parse(value("debug"));
        assertEquals(Map.of("backhand.net", "debug", "backhand.decision", "debug", "backhand.proxy", "debug",
            "backhand.stats", "debug"), levels);
    }

    @Test
    void pairsSetTheirSubsystemsAndTheBackendObeys()
    {
        Map<String, String> levels = LogLevels.parse(value("net=trace, proxy=error"));
        assertEquals(Map.of("backhand.net", "trace", "backhand.proxy", "error"), levels);
        assertTrue(LogLevels.apply(levels));
        assertTrue(LoggerFactory.getLogger("backhand.net").isTraceEnabled());
        assertFalse(LoggerFactory.getLogger("backhand.proxy").isWarnEnabled());
        assertTrue(LogLevels.apply(LogLevels.parse(value("info"))));
        assertFalse(LoggerFactory.getLogger("backhand.net").isDebugEnabled());
        assertTrue(LoggerFactory.getLogger("backhand.proxy").isWarnEnabled());
    }

    @Test
    void mistakesNameTheWordAndTheChoices()
    {
        ConfigException e = assertThrows(ConfigException.class, () -> LogLevels.parse(value("netz=debug")));
        assertTrue(e.getMessage().contains("'netz' is not a subsystem"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> LogLevels.parse(value("net=loud")));
        assertTrue(e.getMessage().contains("'net=loud' is not valid; expected a level (trace, debug"), e.getMessage());
    }
}
