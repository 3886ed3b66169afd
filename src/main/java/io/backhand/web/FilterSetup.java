package io.backhand.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.ChainParser;
import io.backhand.config.ConfigException;
import io.backhand.config.DescriptorLines;
import io.backhand.config.Parse;
import io.backhand.config.Settings;

/**
 * What one {@code <filter>} declaration of {@link BackhandFilter} means: its chain, its url-patterns (the
 * mod_backhand {@code <Directory>}/{@code <Location>} blocks), and the settings of the proxy that serves it.
 * Read once, at deployment, so that every mistake stops the deployment instead of a request.
 */
record FilterSetup(String filterName, Chain chain, List<String> urlPatterns, Map<String, String> proxyParams,
                   int retries, int retryAfterSeconds, boolean interpretedFigures, Boolean connectionPools,
                   String proxyServletName, FilterCounters counters)
{
    static final String CANDIDACY = "candidacy";
    static final String RETRIES = "retries";
    static final String RETRY_AFTER = "retryAfter";
    /** {@code interpreted} (default) or {@code raw}: raw exists only to demonstrate the herd it causes. */
    static final String FIGURES = "figures";
    /** {@code on} or {@code off} for this filter's proxy; when absent, the node's {@code backhand.connectionPools}. */
    static final String CONNECTION_POOLS = "connectionPools";
    /** Jetty's own proxy servlet parameters, passed through under Jetty's names, with their ranges. */
    static final Map<String, long[]> JETTY_PROXY_PARAMS = Map.ofEntries(
        Map.entry("timeout", new long[] {0, 86_400_000}),
        Map.entry("idleTimeout", new long[] {1, 86_400_000}),
        Map.entry("connectTimeout", new long[] {1, 600_000}),
        Map.entry("maxConnections", new long[] {1, 100_000}),
        Map.entry("requestBufferSize", new long[] {512, 16 << 20}),
        Map.entry("responseBufferSize", new long[] {512, 16 << 20}),
        Map.entry("maxRequestHeadersSize", new long[] {1024, 1 << 20}),
        Map.entry("maxResponseHeadersSize", new long[] {1024, 1 << 20}),
        Map.entry("selectors", new long[] {1, 64}),
        Map.entry("maxThreads", new long[] {2, 10_000}));
    /**
     * Where Backhand's defaults differ from Jetty's: no total timeout, because a total cuts off long uploads
     * and downloads that are making progress (idleTimeout catches a backend that stopped); a short connect
     * timeout, because a candidate that cannot be reached in 3 s is better skipped for the next.
     */
    static final Map<String, String> DEFAULTS = Map.of(
        "timeout", "0",
        "idleTimeout", "30000",
        BackhandProxyServlet.CONNECT_TIMEOUT, "3000",
        "maxConnections", "256");
    static final String DEFAULT_CHAIN = "byAge 6\nbyLatency";

    static Set<String> knownParams()
    {
        Set<String> known = new java.util.TreeSet<>(JETTY_PROXY_PARAMS.keySet());
        known.add(CANDIDACY);
        known.add(RETRIES);
        known.add(RETRY_AFTER);
        known.add(FIGURES);
        known.add(CONNECTION_POOLS);
        return known;
    }

    static FilterSetup read(String filterName, Map<String, String> initParams, List<String> urlPatterns,
                            ChainParser parser, DescriptorLines lines)
    {
        Set<String> known = knownParams();
        for (String name : initParams.keySet())
        {
            if (!known.contains(name))
                throw new ConfigException("filter " + filterName + ": init-param " + name + where(lines, filterName, name)
                    + " is not a Backhand filter parameter" + Parse.suggestion(name, known) + "; expected one of " + known);
        }
        String text = initParams.getOrDefault(CANDIDACY, DEFAULT_CHAIN);
        Chain chain;
        try
        {
            chain = parser.parse(text);
        }
        catch (ChainException e)
        {
            int base = lines.filterValueLine(filterName, CANDIDACY);
            String xmlLine = base > 0 ? " (" + lines.file() + " line " + (base + e.line() - 1) + ")" : "";
            throw new ConfigException("filter " + filterName + ": init-param " + CANDIDACY + ", line " + e.line()
                + " of the chain" + xmlLine + (e.word() == null ? "" : ", '" + e.word() + "'") + ": " + e.problem());
        }
        Map<String, String> proxy = new LinkedHashMap<>(DEFAULTS);
        for (Map.Entry<String, long[]> p : JETTY_PROXY_PARAMS.entrySet())
        {
            String v = initParams.get(p.getKey());
            if (v == null)
                continue;
            number(filterName, p.getKey(), v, p.getValue()[0], p.getValue()[1], lines);
            proxy.put(p.getKey(), v.strip());
        }
        int retries = initParams.containsKey(RETRIES)
            ? (int) number(filterName, RETRIES, initParams.get(RETRIES), 0, 16, lines) : 2;
        int retryAfter = initParams.containsKey(RETRY_AFTER)
            ? (int) number(filterName, RETRY_AFTER, initParams.get(RETRY_AFTER), 1, 3600, lines) : 5;
        String figures = initParams.getOrDefault(FIGURES, "interpreted").strip();
        if (!figures.equals("interpreted") && !figures.equals("raw"))
            throw new Settings.Value(FIGURES, figures, "filter " + filterName + " init-param" + where(lines, filterName, FIGURES))
                .invalid("interpreted or raw");
        Boolean pools = null;
        if (initParams.containsKey(CONNECTION_POOLS))
        {
            pools = Parse.onOff(new Settings.Value(CONNECTION_POOLS, initParams.get(CONNECTION_POOLS).strip(),
                "filter " + filterName + " init-param" + where(lines, filterName, CONNECTION_POOLS)));
        }
        return new FilterSetup(filterName, chain, List.copyOf(new ArrayList<>(urlPatterns)), Map.copyOf(proxy), retries,
            retryAfter, figures.equals("interpreted"), pools, "backhand-proxy-" + filterName, new FilterCounters());
    }

    private static long number(String filter, String name, String value, long min, long max, DescriptorLines lines)
    {
        Settings.Value v = new Settings.Value(name, value.strip(), "filter " + filter + " init-param" + where(lines, filter, name));
        try
        {
            long n = Long.parseLong(v.text());
            if (n < min || n > max)
                throw v.invalid("a whole number from " + min + " to " + max);
            return n;
        }
        catch (NumberFormatException e)
        {
            throw v.invalid("a whole number from " + min + " to " + max);
        }
    }

    private static String where(DescriptorLines lines, String filter, String name)
    {
        String w = lines.filterParam(filter, name);
        return w == null ? "" : " (" + w + ")";
    }
}
