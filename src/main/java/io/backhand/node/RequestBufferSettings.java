package io.backhand.node;

import java.time.Duration;
import java.util.Map;

import io.backhand.config.DescriptorLines;
import io.backhand.config.InitParams;

/**
 * A filter's request buffering: request bodies up to {@code requestBuffer} bytes are read whole before a node is
 * chosen, within {@code requestBodyTimeout}; 0 bytes turns it off. Read and checked at deployment, with the
 * rest of the filter's parameters.
 *
 * @param limitBytes  the largest body read whole (0: none)
 * @param bodyTimeout how long the whole of a buffered body may take to arrive
 */
public record RequestBufferSettings(long limitBytes, Duration bodyTimeout)
{
    public static final String SIZE = SettingsRegistry.REQUEST_BUFFER.name();
    public static final String TIMEOUT = SettingsRegistry.REQUEST_BODY_TIMEOUT.name();

    public boolean enabled()
    {
        return limitBytes > 0;
    }

    /**
     * @param lines where each value sits in web.xml, for the message; null when unknown
     */
    public static RequestBufferSettings read(String filterName, Map<String, String> initParams, DescriptorLines lines)
    {
        InitParams params = new InitParams(filterName, initParams, lines == null ? DescriptorLines.none() : lines);
        return new RequestBufferSettings(SettingsRegistry.REQUEST_BUFFER.read(params),
            SettingsRegistry.REQUEST_BODY_TIMEOUT.read(params));
    }
}
