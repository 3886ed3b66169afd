package io.backhand.proxy;

import io.backhand.candidacy.Decision;
import io.backhand.cluster.PeerLedger;
import io.backhand.node.FilterSetup;
import jakarta.servlet.ServletRequest;

/**
 * What the balancing filter hands the proxy servlet, in one request attribute: the filter that took the
 * request, and once it decides to proxy, its decision, the in-flight count it took for the winner, and the
 * attempt the servlet works through. The filter sets it as soon as it takes a request, whatever it then does
 * with it, so that a second Backhand filter matching the same request sees it and lets the first decide alone.
 * The proxy servlet serves nothing without a decision in it: only the filter may aim the proxy.
 */
final class ProxyHandoff
{
    private static final String ATTRIBUTE = ProxyHandoff.class.getName();

    private final FilterSetup setup;
    private Decision decision;
    private ProxyAttempt attempt;
    /** Taken at decision time, adopted by the first attempt when it is sent; null once adopted or given back. */
    private PeerLedger.Period reservation;

    private ProxyHandoff(FilterSetup setup)
    {
        this.setup = setup;
    }

    /** The hand-off a filter already put on this request, or null. */
    static ProxyHandoff of(ServletRequest request)
    {
        return (ProxyHandoff) request.getAttribute(ATTRIBUTE);
    }

    /** Marks the request as taken by the filter of {@code setup}. */
    static ProxyHandoff take(ServletRequest request, FilterSetup setup)
    {
        ProxyHandoff handoff = new ProxyHandoff(setup);
        request.setAttribute(ATTRIBUTE, handoff);
        return handoff;
    }

    FilterSetup setup()
    {
        return setup;
    }

    Decision decision()
    {
        return decision;
    }

    /**
     * The filter decided to proxy. The request counts against the winner from now rather than from when the
     * proxy gets round to sending it: the decisions made meanwhile on other threads would otherwise all still
     * see the winner as idle, which is the herd the interpreted figures exist to prevent.
     */
    void proxy(Decision decision)
    {
        this.decision = decision;
        this.attempt = new ProxyAttempt(decision.targets());
        this.reservation = decision.target().ledger().requestStarted();
    }

    /** The attempt under way, or null when the filter did not decide to proxy this request. */
    ProxyAttempt attempt()
    {
        return attempt;
    }

    /** The in-flight count taken for the winner, once: the first attempt adopts it, later ones take their own. */
    PeerLedger.Period takeReservation()
    {
        PeerLedger.Period taken = reservation;
        reservation = null;
        return taken;
    }

    /** The proxy never sent the request: give the count back, or the winner would look busier for good. */
    void cancelUnsent()
    {
        PeerLedger.Period unsent = takeReservation();
        if (unsent != null)
            decision.target().ledger().requestCancelled(unsent);
    }
}
