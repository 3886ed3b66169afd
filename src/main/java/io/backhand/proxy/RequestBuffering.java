package io.backhand.proxy;

import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import io.backhand.config.DescriptorLines;
import io.backhand.config.Parse;
import io.backhand.node.FilterCounters;
import io.backhand.node.RequestBufferSettings;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request buffering, as nginx's {@code proxy_request_buffering} and HAProxy's {@code http-buffer-request}: a
 * body up to {@code requestBuffer} bytes is read whole before a node is chosen, so that a client sending it
 * slowly ties up no node (and, read without blocking, no thread here either), and the body can go to the next
 * node when the first cannot be reached. Larger bodies, by their Content-Length, are streamed as they arrive:
 * holding them would cost this node their size in memory each, for a gain only for the few clients slower
 * than the node. A body of unknown length is read up to the buffer's size; if there is more, the request is
 * decided then and the rest streamed.
 *
 * <p>The filter hands a request here instead of to the proxy; once its body is in, the container dispatches
 * it back to the filter (an async dispatch, for which the filter is mapped too), which decides it afresh.</p>
 */
public final class RequestBuffering
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.proxy");
    private static final String MAPPED_PREFIX = "io.backhand.asyncMapped.";

    private final RequestBufferSettings settings;
    private final FilterCounters counters;

    RequestBuffering(RequestBufferSettings settings, FilterCounters counters)
    {
        this.settings = settings;
        this.counters = counters;
    }

    /** The filter's buffering, off when the container could not send buffered requests back to the filter. */
    static RequestBuffering of(FilterConfig config, FilterCounters counters)
    {
        Map<String, String> params = new HashMap<>();
        for (String name : Collections.list(config.getInitParameterNames()))
            params.put(name, config.getInitParameter(name));
        RequestBufferSettings s = RequestBufferSettings.read(config.getFilterName(), params, null);
        if (s.enabled() && config.getServletContext().getAttribute(MAPPED_PREFIX + config.getFilterName()) == null)
            s = new RequestBufferSettings(0, s.bodyTimeout());
        return new RequestBuffering(s, counters);
    }

    /**
     * Maps a Backhand filter to async dispatches as well, on the same patterns, when it buffers bodies: a
     * buffered request comes back through it that way. Called at deployment, before the context starts.
     */
    public static void mapAsyncDispatches(ServletContext context, FilterRegistration filter, DescriptorLines lines)
    {
        if (!RequestBufferSettings.read(filter.getName(), filter.getInitParameters(), lines).enabled())
            return;
        try
        {
            EnumSet<DispatcherType> async = EnumSet.of(DispatcherType.ASYNC);
            if (!filter.getUrlPatternMappings().isEmpty())
                filter.addMappingForUrlPatterns(async, true, filter.getUrlPatternMappings().toArray(String[]::new));
            if (!filter.getServletNameMappings().isEmpty())
                filter.addMappingForServletNames(async, true, filter.getServletNameMappings().toArray(String[]::new));
            context.setAttribute(MAPPED_PREFIX + filter.getName(), Boolean.TRUE);
        }
        catch (UnsupportedOperationException | IllegalStateException e)
        {
            LOG.warn("Filter {}: request buffering is off, since the container does not let Backhand map the filter to "
                + "async dispatches ({}); declare <dispatcher>REQUEST</dispatcher><dispatcher>ASYNC</dispatcher> in its "
                + "filter-mapping", filter.getName(), e.toString());
        }
    }

    /**
     * Takes the request over when its body is to be read first; true when it did (the filter then returns, and
     * sees the request again once the body is in). A request with no body, one whose body is larger than the
     * buffer, or one coming back from here is left to the caller.
     */
    boolean defer(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        if (!settings.enabled() || request.getDispatcherType() != DispatcherType.REQUEST)
            return false;
        long length = request.getContentLengthLong();
        // HTTP/1.1 frames a body of unknown length with Transfer-Encoding; HTTP/2 may send one with no header
        // saying so, and then a Content-Type is the sign of it.
        boolean unknownLength = length < 0 && (request.getHeader("Transfer-Encoding") != null
            || (!request.getProtocol().startsWith("HTTP/1") && request.getContentType() != null));
        if (length == 0 || (length < 0 && !unknownLength) || length > settings.limitBytes())
            return false;
        AsyncContext async = request.startAsync();
        async.setTimeout(settings.bodyTimeout().toMillis());
        new BodyBuffer(this, request, response, async, length, settings.limitBytes()).start();
        return true;
    }

    /**
     * The request as the filter must decide it once its body is in, or null when this is not such a return:
     * any other request, or any other dispatch of it.
     */
    static HttpServletRequest resumed(HttpServletRequest request)
    {
        if (request.getDispatcherType() != DispatcherType.ASYNC)
            return null;
        BufferedBody body = BufferedBody.of(request);
        return body != null && body.resume() ? new BufferedBodyRequest(request, body) : null;
    }

    /** Answers a request whose body failed or did not arrive in time; no node ever saw it. */
    void refuse(HttpServletRequest request, HttpServletResponse response, AsyncContext async, int status, String text)
    {
        counters.record(FilterCounters.Outcome.CLIENT_ERROR, null);
        LOG.debug("{} {} from {}: {} {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(), status, text);
        try
        {
            // The rest of the body is not coming, or not worth reading: the connection cannot be used again.
            response.setHeader("Connection", "close");
            RequestOutcomes.plain(response, status, text);
        }
        catch (IOException | RuntimeException e)
        {
            LOG.debug("Could not answer {} (the client is gone?)", status, e);
        }
        finally
        {
            async.complete();
        }
    }

    String timeoutText()
    {
        return Parse.format(settings.bodyTimeout());
    }
}
