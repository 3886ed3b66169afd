package io.backhand.proxy;

import io.backhand.node.Backhand;
import io.backhand.node.ProxyMarker;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Marks every response to a proxied request as having reached this webapp, whatever the application then
 * answers. Registered ahead of every other filter and mapped to everything, so that it does not depend on
 * where the operator mapped Backhand's own filters.
 *
 * <p>Why: a node whose webapp is stopping still announces for a moment, and its container answers 404 (or 503)
 * for requests already on their way, without running any of the webapp. A balancer that has seen this mark
 * from that node before knows such an unmarked answer for what it is, and tries the next candidate.</p>
 */
public final class ServedMarkFilter implements Filter
{
    public static final String NAME = "backhand-served-mark";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException
    {
        if (request instanceof HttpServletRequest http && http.getHeader(ProxyMarker.HEADER) != null)
            ((HttpServletResponse) response).setHeader(ProxyMarker.SERVED_HEADER, "1");
        chain.doFilter(request, response);
    }
}
