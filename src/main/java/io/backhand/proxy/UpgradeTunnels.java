package io.backhand.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;

import io.backhand.candidacy.Decision;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import io.backhand.node.Backhand;
import io.backhand.node.FilterCounters;
import io.backhand.node.FilterSetup;
import io.backhand.node.ProxyMarker;
import io.backhand.node.TunnelCounters;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket and other protocol upgrades, which Jetty's proxy servlet cannot carry: the filter's chain chooses
 * the node as for any request, and the upgrade request goes to it over a connection of its own. The node's
 * answer decides: a {@code 101} upgrades the client's connection too and an {@link UpgradeTunnel} passes
 * bytes both ways; any other answer reaches the client as it is. A node that cannot be reached is put aside
 * and the next candidate tried, as the proxy does. When the chain chooses this node itself the upgrade is
 * served here, as any request would be.
 */
final class UpgradeTunnels
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.tunnel");
    /**
     * One timer thread for every tunnel's idle check in this JVM: checks are rare (one per idle timeout per
     * tunnel) and short, and it is a daemon so that it never keeps a container from exiting.
     */
    private static final ScheduledExecutorService TIMER = timer();

    private final Backhand backhand;
    private final FilterSetup setup;
    private final RequestOutcomes outcomes;
    private final TunnelCounters counters;
    private final String viaHost;
    private final long connectTimeoutMillis;
    private final long idleTimeoutMillis;

    UpgradeTunnels(Backhand backhand, FilterSetup setup, RequestOutcomes outcomes)
    {
        this.backhand = backhand;
        this.setup = setup;
        this.outcomes = outcomes;
        this.counters = backhand.tunnels();
        this.viaHost = BackhandProxyServlet.viaHost(backhand.settings().nodeName());
        this.connectTimeoutMillis = Long.parseLong(setup.proxyParams().get(FilterSetup.CONNECT_TIMEOUT));
        this.idleTimeoutMillis = Long.parseLong(setup.proxyParams().get("idleTimeout"));
    }

    private static ScheduledExecutorService timer()
    {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r ->
        {
            Thread thread = new Thread(r, "backhand-tunnel-idle");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /**
     * Whether this request is an upgrade a tunnel can carry: HTTP/1.1 (the only version with Upgrade),
     * a protocol other than {@code h2c} (an offer the proxy drops as hop-by-hop), an origin-form target, and no
     * body (a body would be the first bytes of neither protocol).
     */
    boolean accepts(HttpServletRequest request)
    {
        return RequestOutcomes.isProtocolUpgrade(request.getHeader("Upgrade"))
            && "HTTP/1.1".equals(request.getProtocol())
            && ProxyTargets.isOriginForm(request.getRequestURI())
            && request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null;
    }

    void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Decision decision)
        throws IOException, ServletException
    {
        switch (decision.kind())
        {
            case LOCAL, DECLINED -> outcomes.serveLocally(request, response, chain, false);
            case UNAVAILABLE -> outcomes.unavailable(response);
            // A browser does not follow a redirect of a WebSocket handshake: the chosen node gets it through the tunnel.
            case PROXY, REDIRECT -> tunnel(request, response, decision.targets());
        }
    }

    private void tunnel(HttpServletRequest request, HttpServletResponse response, Member[] targets) throws IOException
    {
        for (int i = 0; i < targets.length; i++)
        {
            Member target = targets[i];
            PeerLedger ledger = target.ledger();
            PeerLedger.Period period = ledger.requestStarted();
            long start = System.nanoTime();
            NodeHandshake.Answer answer;
            try
            {
                byte[] head = UpgradeRequestHead.build(request, target, viaHost, marker(request));
                answer = NodeHandshake.exchange(new InetSocketAddress(target.contact().getAddress(), target.contact().getPort()),
                    head, connectTimeoutMillis, idleTimeoutMillis);
            }
            catch (IllegalArgumentException e)
            {
                ledger.requestCancelled(period);
                LOG.info("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
                RequestOutcomes.plain(response, HttpServletResponse.SC_BAD_REQUEST, "Backhand cannot forward this request target unchanged.");
                return;
            }
            catch (NodeHandshake.Unreachable e)
            {
                // Nothing was sent: put the node aside, as the proxy does, and try the next candidate.
                ledger.markDown(System.nanoTime());
                if (i + 1 < targets.length)
                {
                    ledger.requestRetriedElsewhere(period);
                    setup.counters().record(FilterCounters.Outcome.RETRIED, target.name());
                    LOG.info("Upgrade {}: {} unreachable ({}); trying {}", request.getRequestURI(), target.name(),
                        e.getMessage(), targets[i + 1].name());
                    continue;
                }
                failed(request, response, target, period, HttpServletResponse.SC_BAD_GATEWAY, e.getMessage());
                return;
            }
            catch (TimeoutException e)
            {
                failed(request, response, target, period, HttpServletResponse.SC_GATEWAY_TIMEOUT,
                    "no answer within " + idleTimeoutMillis + " ms");
                return;
            }
            catch (IOException e)
            {
                failed(request, response, target, period, HttpServletResponse.SC_BAD_GATEWAY, NodeHandshake.describe(e));
                return;
            }
            ledger.requestEnded(period, System.nanoTime() - start, true);
            setup.counters().record(FilterCounters.Outcome.PROXIED, target.name());
            backhand.tally().record(System.nanoTime() - start);
            if (answer.status() == HttpServletResponse.SC_SWITCHING_PROTOCOLS)
                upgrade(request, response, target, answer);
            else
                refused(response, target, answer);
            return;
        }
    }

    private String marker(HttpServletRequest request)
    {
        String query = request.getQueryString();
        return backhand.marker().create(request.getMethod(), request.getRequestURI() + (query == null ? "" : "?" + query),
            System.currentTimeMillis());
    }

    private void upgrade(HttpServletRequest request, HttpServletResponse response, Member target, NodeHandshake.Answer answer)
        throws IOException
    {
        UpgradeTunnel tunnel;
        try
        {
            Set<String> seen = new HashSet<>();
            for (String[] h : answer.headers())
            {
                String lower = h[0].toLowerCase(Locale.ROOT);
                // Connection and Upgrade are the container's to write; the served mark is only for this node.
                if (lower.equals("connection") || lower.equals("upgrade") || lower.equals("content-length")
                    || lower.equals("transfer-encoding") || lower.equals(ProxyMarker.SERVED_HEADER.toLowerCase(Locale.ROOT)))
                    continue;
                // The first occurrence replaces what the container set itself (Date, Server); repeats are kept.
                if (seen.add(lower))
                    response.setHeader(h[0], h[1]);
                else
                    response.addHeader(h[0], h[1]);
            }
            tunnel = request.upgrade(UpgradeTunnel.class);
        }
        catch (ServletException | RuntimeException e)
        {
            answer.close();
            LOG.warn("Upgrade {}: the container would not upgrade the client's connection: {}", request.getRequestURI(),
                NodeHandshake.describe(e));
            response.reset();
            RequestOutcomes.plain(response, HttpServletResponse.SC_BAD_GATEWAY, "Backhand could not upgrade this connection.");
            return;
        }
        String upgrade = answer.header("Upgrade");
        if (upgrade != null)
            response.setHeader("Upgrade", upgrade);
        tunnel.attach(request, answer, request.getRequestURI() + " <-> " + target.name(), counters, TIMER, idleTimeoutMillis);
    }

    private void refused(HttpServletResponse response, Member target, NodeHandshake.Answer answer) throws IOException
    {
        counters.refused();
        LOG.debug("{} answered an upgrade with {}", target.name(), answer.status());
        try
        {
            RefusedUpgrade.relay(answer, response, idleTimeoutMillis);
        }
        finally
        {
            answer.close();
        }
    }

    private void failed(HttpServletRequest request, HttpServletResponse response, Member target, PeerLedger.Period period,
                        int status, String cause) throws IOException
    {
        target.ledger().requestEnded(period, 0, false);
        setup.counters().record(FilterCounters.Outcome.FAILED, target.name());
        String text = "Backhand could not open a tunnel to " + target.name() + " (" + ProxyTargets.format(target) + "): " + cause;
        LOG.warn("Upgrade {} from {}: {}", request.getRequestURI(), request.getRemoteAddr(), text);
        RequestOutcomes.plain(response, status, text);
    }
}
