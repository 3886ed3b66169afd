package io.backhand.status;


import java.util.List;

/** One Backhand filter over JMX ({@code io.backhand:type=Filter,context=...,name=...}): its chain and totals. */
public interface FilterMXBean
{
    List<String> getChain();

    List<String> getUrlPatterns();

    long getServedLocally();

    long getProxied();

    long getRedirected();

    long getUnavailable();

    long getFailed();

    long getRetried();
}
