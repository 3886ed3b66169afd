package io.backhand.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backhand.candidacy.Chain;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.ChainParser;
import io.backhand.config.ConfigException;
import io.backhand.config.DescriptorLines;
import io.backhand.config.InitParams;
import io.backhand.config.Setting;

import static io.backhand.node.SettingsRegistry.CANDIDACY;
import static io.backhand.node.SettingsRegistry.FIGURES;
import static io.backhand.node.SettingsRegistry.FILTER_CONNECTION_POOLS;
import static io.backhand.node.SettingsRegistry.RETRIES;
import static io.backhand.node.SettingsRegistry.RETRY_AFTER;

/**
 * What one {@code <filter>} declaration of Backhand's filter means: its chain, its url-patterns (the
 * mod_backhand {@code <Directory>}/{@code <Location>} blocks), and the settings of the proxy that serves it.
 * Read once, at deployment, as {@link SettingsRegistry} describes each init-param, so that every mistake stops
 * the deployment instead of a request.
 */
public record FilterSetup(String filterName, Chain chain, List<String> urlPatterns, Map<String, String> proxyParams,
                   int retries, int retryAfterSeconds, boolean interpretedFigures, Boolean connectionPools,
                   String proxyServletName, FilterCounters counters)
{
    /** The proxy servlet's init-param for its connect timeout, which Backhand sets unless the filter does. */
    public static final String CONNECT_TIMEOUT = SettingsRegistry.CONNECT_TIMEOUT.name();

    public static FilterSetup read(String filterName, Map<String, String> initParams, List<String> urlPatterns,
                            ChainParser parser, DescriptorLines lines)
    {
        InitParams params = new InitParams(filterName, initParams, lines);
        params.rejectUnknown(SettingsRegistry.initParamNames());
        Chain chain = chain(filterName, params, parser);
        Map<String, String> proxy = new LinkedHashMap<>();
        for (Setting<Integer> p : SettingsRegistry.jettyProxyParams())
        {
            Integer v = p.read(params);
            if (v != null)
                proxy.put(p.name(), v.toString());
        }
        // Request buffering is read by the filter itself; checked here, so that a mistake stops the deployment.
        RequestBufferSettings.read(filterName, initParams, lines);
        return new FilterSetup(filterName, chain, List.copyOf(new ArrayList<>(urlPatterns)), Map.copyOf(proxy),
            RETRIES.read(params), RETRY_AFTER.read(params), FIGURES.read(params).equals("interpreted"),
            FILTER_CONNECTION_POOLS.read(params), "backhand-proxy-" + filterName, new FilterCounters());
    }

    /** A chain's errors name both the line of the chain and the line of web.xml. */
    private static Chain chain(String filterName, InitParams params, ChainParser parser)
    {
        try
        {
            return parser.parse(CANDIDACY.read(params));
        }
        catch (ChainException e)
        {
            int base = params.valueLine(CANDIDACY.name());
            String xmlLine = base > 0 ? " (" + params.file() + " line " + (base + e.line() - 1) + ")" : "";
            throw new ConfigException("filter " + filterName + ": init-param "
                + CANDIDACY.name() + ", line " + e.line() + " of the chain" + xmlLine
                + (e.word() == null ? "" : ", '" + e.word() + "'") + ": " + e.problem());
        }
    }
}
