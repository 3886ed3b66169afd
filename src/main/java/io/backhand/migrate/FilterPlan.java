package io.backhand.migrate;

import java.util.List;

/**
 * One {@code <filter>} to generate: a block of httpd.conf that held Backhand lines.
 *
 * @param name        the filter-name (also names its proxy servlet and its line on the status page)
 * @param block       the block as written, such as {@code <Directory /usr/local/www/htdocs/>}
 * @param line        where the block starts
 * @param chain       the candidacy init-param, one line per Backhand line; untranslatable lines as {@code #} comments
 * @param urlPatterns what the block matched, as servlet url-patterns; empty when no url-pattern can say it
 * @param deployable  false when no candidacy function is left, so the filter is written commented out
 * @param findings    what was assumed or lost in converting this block
 */
public record FilterPlan(String name, String block, int line, List<String> chain, List<String> urlPatterns,
                         boolean deployable, List<Finding> findings)
{
}
