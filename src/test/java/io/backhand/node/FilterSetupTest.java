package io.backhand.node;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.backhand.candidacy.ChainParser;
import io.backhand.config.ConfigException;
import io.backhand.config.DescriptorLines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A filter's init-params are read as the registry describes them, and a wrong one names itself and its web.xml line. */
class FilterSetupTest
{
    private static final String XML = """
        <web-app>
          <filter>
            <filter-name>shop</filter-name>
            <filter-class>io.backhand.web.BackhandFilter</filter-class>
            <init-param><param-name>retries</param-name><param-value>%s</param-value></init-param>
            <init-param><param-name>%s</param-name><param-value>2000</param-value></init-param>
          </filter>
        </web-app>
        """;

    private static FilterSetup read(String retries, String otherName)
    {
        String xml = XML.formatted(retries, otherName);
        DescriptorLines lines = DescriptorLines.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "WEB-INF/web.xml");
        return FilterSetup.read("shop", Map.of("retries", retries, otherName, "2000"), List.of("/*"), ChainParser.standard(), lines);
    }

    @Test
    void unsetParamsTakeTheRegistrysDefaults()
    {
        FilterSetup f = read("1", "connectTimeout");
        assertEquals(1, f.retries());
        assertEquals(5, f.retryAfterSeconds());
        assertTrue(f.interpretedFigures());
        assertNull(f.connectionPools(), "absent: the node's setting decides");
        assertEquals("2000", f.proxyParams().get("connectTimeout"));
        assertEquals("0", f.proxyParams().get("timeout"), "no total timeout unless the filter sets one");
        assertEquals("30000", f.proxyParams().get("idleTimeout"));
        assertEquals("256", f.proxyParams().get("maxConnections"));
        assertEquals(2, f.chain().steps().size(), "the default chain, byAge 6; byLatency");
    }

    @Test
    void aBadNumberNamesTheFilterTheParamItsLineAndTheRange()
    {
        ConfigException e = assertThrows(ConfigException.class, () -> read("many", "connectTimeout"));
        assertEquals("retries (filter shop init-param (WEB-INF/web.xml line 5)): 'many' is not valid; "
            + "expected a whole number from 0 to 16", e.getMessage());
    }

    @Test
    void aJettyParamOutOfRangeIsRefused()
    {
        ConfigException e = assertThrows(ConfigException.class, () -> read("1", "selectors"));
        assertTrue(e.getMessage().startsWith("selectors (filter shop init-param (WEB-INF/web.xml line 6)): '2000' is not valid; "
            + "expected a whole number from 1 to 64"), e.getMessage());
    }

    @Test
    void anUnknownParamIsNamedWithASuggestion()
    {
        ConfigException e = assertThrows(ConfigException.class, () -> read("1", "conectTimeout"));
        assertTrue(e.getMessage().startsWith("filter shop: init-param conectTimeout (WEB-INF/web.xml line 6) is not a "
            + "Backhand filter parameter (did you mean connectTimeout?); expected one of [candidacy, connectTimeout, "), e.getMessage());
    }
}
