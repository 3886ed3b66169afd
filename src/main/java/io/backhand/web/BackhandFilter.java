package io.backhand.web;

import io.backhand.proxy.BalancingFilter;

/**
 * The name web.xml gives Backhand's balancing filter. The request path lives in {@link io.backhand.proxy};
 * this class only keeps the documented {@code <filter-class>} stable for deployments and the migration tool.
 *
 * <p>Must be declared {@code <async-supported>true</async-supported>}: the proxy it forwards to is asynchronous.</p>
 */
public class BackhandFilter extends BalancingFilter
{
}
