package io.backhand.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.regex.Pattern;

import io.backhand.candidacy.Decision;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import io.backhand.node.Backhand;
import io.backhand.node.FilterCounters;
import io.backhand.node.FilterSetup;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The filter's answers other than proxying: serve here, redirect, or refuse. */
final class RequestOutcomes
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.decision");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::\\d{1,5})?");
    private static final Pattern HOST_WITH_PORT = Pattern.compile(".*[^\\]]:\\d+");

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
     * here whole rather than half-proxied) and request targets that are not a path ({@code OPTIONS *}).
     */
    boolean mustServeLocally(HttpServletRequest request)
    {
        return isProtocolUpgrade(request.getHeader("Upgrade")) || !ProxyTargets.isOriginForm(request.getRequestURI());
    }

    /**
     * Whether the request already passed through this node's proxy: a peer did not trust our marker (its
     * AcceptStats or secret differ from ours) and balanced it back. Read from Via, which every hop extends,
     * so that a request can visit each node at most once whatever the markers say.
     */
    boolean isLoop(HttpServletRequest request)
    {
        for (Enumeration<String> vias = request.getHeaders("Via"); vias.hasMoreElements(); )
        {
            String via = vias.nextElement();
            if (viaNames(via, viaToken))
            {
                LOG.warn("Loop: {} {} has already passed through this node (Via: {}). Check that the nodes are inside "
                    + "each other's backhand.acceptStats and share one backhand.secret.", request.getMethod(),
                    request.getRequestURI(), via);
                return true;
            }
        }
        return false;
    }

    /** Whether one Via header value has an entry received by {@code token} ({@code 1.1 backhand-web1}). */
    static boolean viaNames(String via, String token)
    {
        for (String entry : via.split(","))
        {
            String[] words = entry.strip().split("\\s+");
            if (words.length >= 2 && words[1].equalsIgnoreCase(token))
                return true;
        }
        return false;
    }

    /**
     * A looping request under a chain that never serves here: serving it locally would answer from a node
     * that has no application, so the loop is reported instead.
     */
    void loopDetected(HttpServletResponse response) throws IOException
    {
        setup.counters().record(FilterCounters.Outcome.FAILED, null);
        plain(response, 508, "This request has already passed through this balancer: the cluster's nodes do not "
            + "trust each other's proxy marker (check backhand.acceptStats and backhand.secret).");
    }

    /** Backhand is a reverse proxy: it never opens tunnels, whatever the chain says. */
    void refuseConnect(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        LOG.info("Refused CONNECT {} from {}", request.getRequestURI(), request.getRemoteAddr());
        response.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
        plain(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "CONNECT is not supported: this is not a forward proxy.");
    }

    /** Backhand's own short answers: a status and one plain line, never cached. */
    static void plain(HttpServletResponse response, int status, String text) throws IOException
    {
        plainHead(response, status);
        response.getWriter().println(text);
    }

    /**
     * {@link #plain}, for an output in asynchronous mode: the whole text in one write, which a fresh response's
     * buffer takes at once (a second write before the first completed would be refused).
     */
    static void plainAsync(HttpServletResponse response, int status, String text) throws IOException
    {
        plainHead(response, status);
        byte[] body = (text + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        ServletOutputStream output = response.getOutputStream();
        if (output.isReady())
            output.write(body);
    }

    private static void plainHead(HttpServletResponse response, int status)
    {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=utf-8");
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
        long start = System.nanoTime();
        boolean ok = false;
        try
        {
            chain.doFilter(request, response);
            ok = true;
        }
        finally
        {
            long elapsed = System.nanoTime() - start;
            if (ok && PeerLedger.isServerError(response.getStatus()))
                self.requestAnsweredWithServerError(period, elapsed);
            else
                self.requestEnded(period, elapsed, ok);
        }
    }

    void redirect(HttpServletRequest request, HttpServletResponse response, Decision decision) throws IOException
    {
        Member winner = decision.target();
        winner.ledger().redirected();
        setup.counters().record(FilterCounters.Outcome.REDIRECTED, winner.name());
        String scheme = winner.stats().secure() ? "https" : "http";
        int port = winner.contact().getPort();
        String host = ProxyTargets.urlHost(winner);
        if (decision.redirect().byName())
        {
            String name = String.format(decision.redirect().format(), winner.stats().hostname());
            // The hostname is what the peer announced; a name that cannot be a host must not reach a header.
            if (HOST_NAME.matcher(name).matches())
                host = name;
            else
                LOG.warn("{} announces the hostname '{}', which gives no valid host name; redirecting to its address",
                    winner.name(), winner.stats().hostname());
        }
        StringBuilder location = new StringBuilder(scheme).append("://").append(host);
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        if (!defaultPort && !HOST_WITH_PORT.matcher(host).matches())
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
        response.setHeader("Retry-After", Integer.toString(setup.retryAfterSeconds()));
        plain(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
            "No server is available for this request; retry in " + setup.retryAfterSeconds() + " s.");
    }
}
