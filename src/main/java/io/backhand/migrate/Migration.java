package io.backhand.migrate;

import java.util.List;
import java.util.Map;

/**
 * The result of converting one httpd.conf: what goes into web.xml (context-params and filters), what goes
 * into the node's start.d ini, and everything the operator must be told.
 *
 * @param source        the name of the converted file, for the generated headers
 * @param contextParams web.xml context-params in order, each with the httpd.conf lines it came from
 * @param filters       one per block with Backhand lines, most specific url-patterns first
 * @param ini           the per-node settings
 * @param findings      warnings and notes in httpd.conf line order
 * @param ignored       directives of other modules, which have nothing to do with balancing
 */
public record Migration(String source, Map<String, Param> contextParams, List<FilterPlan> filters, List<IniEntry> ini,
                        List<Finding> findings, int ignored)
{
    /** A context-param value and where it came from, such as {@code MulticastStats, line 12}. */
    public record Param(String value, String origin)
    {
    }

    /**
     * One setting of the ini, with the comment lines above it. {@code setting} is written as is when
     * {@code active}, commented out otherwise; it is null for a comment alone.
     */
    public record IniEntry(List<String> comments, String setting, boolean active)
    {
    }

    public List<Finding> warnings()
    {
        return findings.stream().filter(f -> f.kind() == Finding.Kind.WARNING).toList();
    }
}
