package io.backhand.web;

import java.util.Set;

import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;

/**
 * One client request on its way through the proxy: the ranked targets, which one is being tried, and what
 * has happened that decides whether another may still be tried. A retry is safe only while the client's
 * body is unread (it cannot be sent twice) and no byte of a response has been passed on.
 */
final class ProxyAttempt
{
    /** Methods whose repetition is harmless (RFC 9110 section 9.2.2): retried after any failure before a response. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private final Member[] targets;
    private int index;
    private int number = 1;
    private volatile boolean bodyStarted;
    private volatile boolean begun;
    private volatile boolean committed;
    private volatile boolean responseBegun;
    private long startNanos;
    private PeerLedger.Period period;
    private volatile String explanation;

    ProxyAttempt(Member[] targets)
    {
        this.targets = targets;
    }

    Member current()
    {
        return targets[index];
    }

    /** 1 for the first target, 2 for the first retry, ... */
    int number()
    {
        return number;
    }

    /** @param reserved the in-flight count already taken for this target, or null to take one now */
    void started(long nowNanos, PeerLedger.Period reserved)
    {
        startNanos = nowNanos;
        period = reserved != null ? reserved : current().ledger().requestStarted();
    }

    /** Closes the current target's books; returns the time it took. */
    long ended(boolean ok)
    {
        long elapsed = System.nanoTime() - startNanos;
        current().ledger().requestEnded(period, elapsed, ok);
        return elapsed;
    }

    /** Closes the current target's books for an answer with this status; returns the time it took. */
    long answered(int status)
    {
        if (!PeerLedger.isServerError(status))
            return ended(true);
        long elapsed = System.nanoTime() - startNanos;
        current().ledger().requestAnsweredWithServerError(period, elapsed);
        return elapsed;
    }

    void bodyStarted()
    {
        bodyStarted = true;
    }

    /** The request was taken onto a connection to the backend and its headers are about to be written. */
    void begun()
    {
        begun = true;
    }

    /** The request's headers were written to the backend's connection. */
    void committed()
    {
        committed = true;
    }

    boolean isCommitted()
    {
        return committed;
    }

    void responseBegun()
    {
        responseBegun = true;
    }

    boolean hasResponse()
    {
        return responseBegun;
    }

    /**
     * Whether a response that the backend's container gave in place of its webapp may be thrown away unread, to
     * try the next candidate; if so, it no longer counts as a response begun.
     */
    boolean discardUnservedResponse(String method)
    {
        if (bodyStarted || !mayRetryKind(method, ProxyFailures.Kind.NOT_SERVED) || nextCandidate() < 0)
            return false;
        responseBegun = false;
        return true;
    }

    /** The index of the next candidate that has not refused a connection meanwhile, or -1. */
    private int nextCandidate()
    {
        for (int i = index + 1; i < targets.length; i++)
        {
            if (!targets[i].ledger().isDown())
                return i;
        }
        return -1;
    }

    /**
     * Whether the request may go to another target after this failure: never once the body is being read or a
     * response began; after a connect failure always (nothing reached the backend); after the connection
     * failed later, for idempotent methods, or for any method when the request had not even begun on the
     * connection (a pooled connection the backend had already closed: nothing left this node); never after a
     * timeout (the backend may still be working on it) or a failure that another backend would meet alike.
     */
    boolean mayRetry(String method, ProxyFailures.Kind failure, boolean committed)
    {
        if (bodyStarted || responseBegun || committed)
            return false;
        return mayRetryKind(method, failure);
    }

    private boolean mayRetryKind(String method, ProxyFailures.Kind failure)
    {
        return switch (failure)
        {
            case CONNECT -> true;
            case TRANSPORT -> IDEMPOTENT.contains(method) || !begun;
            // The application never saw it; but one that reset its response (dropping the served header) before
            // a 404 would look the same, so only methods that are safe to repeat anyway.
            case NOT_SERVED -> IDEMPOTENT.contains(method);
            case TIMEOUT, OTHER -> false;
        };
    }

    /**
     * Moves to the next candidate that has not refused a connection meanwhile, closing the books of the
     * current one as retried elsewhere (neither a success nor a failure); false when none is left.
     */
    boolean advance()
    {
        int next = nextCandidate();
        if (next < 0)
            return false;
        current().ledger().requestRetriedElsewhere(period);
        index = next;
        number++;
        begun = false;
        committed = false;
        return true;
    }

    void explain(String text)
    {
        explanation = text;
    }

    String explanation()
    {
        return explanation;
    }
}
