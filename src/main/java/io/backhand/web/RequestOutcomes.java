package io.backhand.web;

import java.io.IOException;
import java.net.Inet6Address;
import java.util.Enumeration;

import io.backhand.candidacy.Decision;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The filter's answers other than proxying: serve here, redirect, or refuse. */
final class RequestOutcomes
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.decision");

    private final Backhand backhand;
    private final FilterSetup setup;
    private final String viaToken;

    RequestOutcomes(Backhand backhand, FilterSetup setup)
    {
        this.backhand = backhand;
        this.setup = setup;
        this.viaToken = BackhandProxyServlet.viaHost(backhand.settings().nodeName());
    }

    /**
     * Requests that are never balanced: upgrades (Jetty's proxy cannot tunnel WebSocket, so they are served
     * here whole rather than half-proxied), CONNECT, and anything that already passed through this node (a
     * loop, which can only come from a misconfigured AcceptStats).
     */
    boolean mustServeLocally(HttpServletRequest request)
    {
        if ("CONNECT".equals(request.getMethod()) || isProtocolUpgrade(request.getHeader("Upgrade")))
            return true;
        for (Enumeration<String> vias = request.getHeaders("Via"); vias.hasMoreElements(); )
        {
            String via = vias.nextElement();
            if (via.contains(viaToken))
            {
                LOG.warn("Loop: {} {} has already passed through this node (Via: {}); serving it here. "
                    + "Check that peers are inside each other's backhand.acceptStats.", request.getMethod(),
                    request.getRequestURI(), via);
                return true;
            }
        }
        return false;
    }

    /**
     * WebSocket and other upgrades; an {@code h2c} upgrade offer is not one, since the proxy drops it as a
     * hop-by-hop header and the request proceeds as plain HTTP/1.1 (the JDK's client offers it on every request).
     */
    static boolean isProtocolUpgrade(String upgrade)
    {
        if (upgrade == null)
            return false;
        for (String protocol : upgrade.split(","))
        {
            String p = protocol.strip();
            if (!p.isEmpty() && !p.equalsIgnoreCase("h2c"))
                return true;
        }
        return false;
    }

    void serveLocally(HttpServletRequest request, HttpServletResponse response, FilterChain chain, boolean proxiedHere)
        throws IOException, ServletException
    {
        PeerLedger self = backhand.stats().table().selfLedger();
        self.servedLocally();
        setup.counters().record(FilterCounters.Outcome.LOCAL, backhand.settings().nodeName());
        PeerLedger.Period period = self.requestStarted();
        backhand.contextInFlight().incrementAndGet();
        long start = System.nanoTime();
        boolean ok = false;
        try
        {
            chain.doFilter(request, response);
            ok = true;
        }
        finally
        {
            backhand.contextInFlight().decrementAndGet();
            self.requestEnded(period, System.nanoTime() - start, ok);
        }
    }

    void redirect(HttpServletRequest request, HttpServletResponse response, Decision decision) throws IOException
    {
        Member winner = decision.target();
        winner.ledger().redirected();
        setup.counters().record(FilterCounters.Outcome.REDIRECTED, winner.name());
        String scheme = winner.stats().secure() ? "https" : "http";
        int port = winner.contact().getPort();
        String host;
        if (decision.redirect().byName())
        {
            host = String.format(decision.redirect().format(), winner.stats().hostname());
        }
        else
        {
            String a = winner.contact().getAddress().getHostAddress();
            int pct = a.indexOf('%');
            if (pct >= 0)
                a = a.substring(0, pct);
            host = winner.contact().getAddress() instanceof Inet6Address ? "[" + a + "]" : a;
        }
        StringBuilder location = new StringBuilder(scheme).append("://").append(host);
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        if (!defaultPort && !host.matches(".*:\\d+$"))
            location.append(':').append(port);
        location.append(request.getRequestURI());
        if (request.getQueryString() != null)
            location.append('?').append(request.getQueryString());
        String method = request.getMethod();
        // 302 lets browsers turn a POST into a GET; 307 keeps the method and body.
        int status = method.equals("GET") || method.equals("HEAD") ? HttpServletResponse.SC_FOUND
            : HttpServletResponse.SC_TEMPORARY_REDIRECT;
        response.setStatus(status);
        response.setHeader("Location", location.toString());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }

    void unavailable(HttpServletResponse response) throws IOException
    {
        LOG.debug("No server left for filter {}: 503", setup.filterName());
        setup.counters().record(FilterCounters.Outcome.UNAVAILABLE, null);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", Integer.toString(setup.retryAfterSeconds()));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println("No server is available for this request; retry in " + setup.retryAfterSeconds() + " s.");
    }
}
