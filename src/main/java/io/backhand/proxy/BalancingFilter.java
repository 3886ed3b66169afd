package io.backhand.proxy;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.Decision;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.DecisionTrace;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;
import io.backhand.node.Backhand;
import io.backhand.node.FilterSetup;
import io.backhand.node.ProxyMarker;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancing filter: mapped by url-pattern the way mod_backhand was enabled per Directory or Location, it
 * runs each request through its candidacy chain and serves it here, proxies it, redirects it, or refuses it.
 * In order: CONNECT is refused (this is no forward proxy); a request a trusted peer proxied here is served
 * here, with the client's identity, and never balanced again; one that already passed through this node
 * (Via) is not balanced again either; upgrades (WebSocket) go through the chain and are tunnelled to the
 * chosen node ({@link UpgradeTunnels}), since Jetty's proxy cannot carry them; everything else goes through
 * the chain to the proxy. docs/request-path.md describes each outcome.
 *
 * <p>Must be declared {@code <async-supported>true</async-supported>}: the proxy it forwards to is asynchronous.</p>
 */
public class BalancingFilter implements Filter
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.decision");

    /** Per-thread buffers, so that a decision allocates nothing but its result. */
    private static final class Scratch
    {
        final Candidates candidates = new Candidates();
        final DecisionContext context = new DecisionContext();
        final ServletRequestView view = new ServletRequestView();
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Backhand backhand;
    private FilterSetup setup;
    private RequestDispatcher proxy;
    private RequestOutcomes outcomes;
    private UpgradeTunnels tunnels;
    /** The chain has removeSelf: this node's own application must never answer for it. */
    private boolean neverLocal;
    private long slowStartNanos;
    private RequestBuffering buffering;
    private DecisionExplainer explainer;

    @Override
    public void init(FilterConfig config) throws ServletException
    {
        backhand = Backhand.of(config.getServletContext());
        setup = backhand.filter(config.getFilterName());
        if (setup == null)
            throw new ServletException("filter " + config.getFilterName() + " was registered after Backhand started; "
                + "declare it in web.xml or before the context starts");
        proxy = config.getServletContext().getNamedDispatcher(setup.proxyServletName());
        if (proxy == null)
            throw new ServletException("the proxy servlet " + setup.proxyServletName() + " is missing");
        outcomes = new RequestOutcomes(backhand, setup);
        tunnels = new UpgradeTunnels(backhand, setup, outcomes);
        slowStartNanos = backhand.settings().slowStart().toNanos();
        neverLocal = setup.chain().neverLocal();
        buffering = RequestBuffering.of(config, setup.counters());
        explainer = new DecisionExplainer(backhand.settings().statusAccess(), setup.counters().decisions());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException
    {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response))
        {
            chain.doFilter(req, res);
            return;
        }
        // Request buffering: a request whose body was read first comes back here, to be decided now.
        HttpServletRequest buffered = RequestBuffering.resumed(request);
        if (buffered != null)
        {
            resumeBuffered(buffered, response);
            return;
        }
        if (backhand.isStatusRequest(request) || ProxyHandoff.of(request) != null
            || request.getDispatcherType() == DispatcherType.ASYNC)
        {
            // Status pages are never balanced; and when several Backhand filters match one request, the first
            // decides, as the one block that applies did in httpd (declare the most specific filter first).
            chain.doFilter(request, response);
            return;
        }
        ProxyHandoff handoff = ProxyHandoff.take(request, setup);
        backhand.traffic().arrived();
        try
        {
            handle(request, response, chain, handoff);
        }
        finally
        {
            backhand.traffic().left(request);
        }
    }

    private void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain, ProxyHandoff handoff)
        throws IOException, ServletException
    {
        if ("CONNECT".equals(request.getMethod()))
        {
            outcomes.refuseConnect(request, response);
            return;
        }
        ProxyMarker.Trust trust = backhand.marker().verify(request, System.currentTimeMillis());
        if (trust == ProxyMarker.Trust.TRUSTED)
        {
            // Proxied here by a peer: never balanced again, and the client's identity is believed.
            outcomes.serveLocally(ClientIdentityRequest.of(request), response, chain, true);
            return;
        }
        if (trust == ProxyMarker.Trust.UNTRUSTED)
        {
            LOG.debug("Stripped an untrusted {} header from {}", ProxyMarker.HEADER, request.getRemoteAddr());
            request = ClientIdentityRequest.without(request, ProxyMarker.HEADER);
        }
        if (outcomes.isLoop(request))
        {
            if (neverLocal)
                outcomes.loopDetected(response);
            else
                outcomes.serveLocally(request, response, chain, false);
            return;
        }
        if (tunnels.accepts(request))
        {
            // WebSocket and other upgrades: to the chosen node through a tunnel of their own (UpgradeTunnels).
            tunnels.handle(request, response, chain, decide(request, response));
            return;
        }
        if (outcomes.mustServeLocally(request))
        {
            outcomes.serveLocally(request, response, chain, false);
            return;
        }
        Decision decision = decide(request, response);
        switch (decision.kind())
        {
            case LOCAL ->
            {
                if (backhand.settings().selfRedirect())
                    forwardToProxy(request, response, decision, handoff);
                else
                    outcomes.serveLocally(request, response, chain, false);
            }
            case DECLINED -> outcomes.serveLocally(request, response, chain, false);
            case PROXY -> forwardToProxy(request, response, decision, handoff);
            // Never to this node itself: Decision.from makes that a LOCAL decision.
            case REDIRECT -> outcomes.redirect(request, response, decision);
            case UNAVAILABLE -> outcomes.unavailable(response);
        }
    }

    /**
     * Decides a request whose body has been read (request buffering), on the figures of now rather than of when
     * it arrived. Its body is no longer in the container's stream: serving it here means through this node's
     * own proxy, like selfRedirect; and when no server is left it cannot be served here at all.
     */
    private void resumeBuffered(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException
    {
        // The hand-off this filter put on the request before its body was read; the decision is made now.
        ProxyHandoff handoff = ProxyHandoff.of(request);
        Decision decision = decide(request, response);
        switch (decision.kind())
        {
            case PROXY, LOCAL -> forwardToProxy(request, response, decision, handoff);
            case REDIRECT -> outcomes.redirect(request, response, decision);
            case DECLINED, UNAVAILABLE -> outcomes.unavailable(response);
        }
    }

    private Decision decide(HttpServletRequest request, HttpServletResponse response)
    {
        Scratch s = SCRATCH.get();
        ClusterView view = backhand.stats().view();
        long now = System.nanoTime();
        s.context.set(now, ThreadLocalRandom.current(), view, setup.interpretedFigures());
        s.context.slowStart(slowStartNanos);
        // --- explain: a decision asked about (or sampled) is traced; all others take the plain path below.
        boolean asked = explainer.asked(request);
        Decision d;
        if (asked || explainer.sampleDue(now))
        {
            DecisionTrace trace = new DecisionTrace();
            d = setup.chain().explain(view, s.candidates, s.view.reset(request), s.context, setup.retries() + 1, trace);
            explainer.explained(request, response, trace, asked);
        }
        // --- end explain
        else
            d = setup.chain().decide(view, s.candidates, s.view.reset(request), s.context, setup.retries() + 1);
        if (LOG.isDebugEnabled())
        {
            Member target = d.target();
            LOG.debug("{} {} -> {} {}", request.getMethod(), request.getRequestURI(), d.kind(),
                target == null ? "" : target.name());
        }
        return d;
    }

    private void forwardToProxy(HttpServletRequest request, HttpServletResponse response, Decision decision,
                                ProxyHandoff handoff) throws ServletException, IOException
    {
        if (!request.isAsyncSupported())
        {
            LOG.error("Cannot proxy {}: filter {} and every filter before it must be declared with "
                + "<async-supported>true</async-supported>", request.getRequestURI(), setup.filterName());
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "Backhand misconfigured: async not supported");
            return;
        }
        // Request buffering: a small body is read whole first; the request comes back to resumeBuffered.
        if (buffering.defer(request, response))
            return;
        handoff.proxy(decision);
        try
        {
            proxy.forward(request, response);
        }
        finally
        {
            handoff.cancelUnsent();
        }
    }
}
