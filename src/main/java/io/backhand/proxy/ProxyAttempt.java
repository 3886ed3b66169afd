package io.backhand.proxy;

import java.util.Set;

import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import org.eclipse.jetty.client.Request;

/**
 * One client request on its way through the proxy: the ranked targets, which one is being tried, what has
 * happened that decides whether another may still be tried, and the retry policy itself, all here. A retry is
 * safe only while the client's body is unread (it cannot be sent twice) and no byte of a response has been
 * passed on; {@link ProxyFailures} says what a failure was, this class what follows from it. It also carries,
 * between the proxy servlet's hooks, the request built for the current target and the count of response
 * pieces still being written to the client.
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
    private Request prepared;
    private int refusal;
    /** Pieces of the response handed to the client's connection and not yet written; guarded by this. */
    private int writing;
    private Runnable whenWritten;

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

    /** Closes the current target's books when the client's side failed: neither a success nor its failure. */
    void endedByClient()
    {
        current().ledger().requestCancelled(period);
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

    synchronized void writeStarted()
    {
        writing++;
    }

    void writeEnded()
    {
        Runnable then;
        synchronized (this)
        {
            if (--writing > 0 || whenWritten == null)
                return;
            then = whenWritten;
            whenWritten = null;
        }
        then.run();
    }

    /** Runs {@code action} once every piece of the response handed to the client's connection is written. */
    void afterWrites(Runnable action)
    {
        synchronized (this)
        {
            if (writing > 0)
            {
                whenWritten = action;
                return;
            }
        }
        action.run();
    }

    /** The proxy request built for the current target, until the servlet takes it to send. */
    void prepared(Request request)
    {
        prepared = request;
    }

    Request takePrepared()
    {
        Request r = prepared;
        prepared = null;
        return r;
    }

    /** No request can be built for the current target: answer {@code status} with {@code explanation}. */
    void refuse(int status, String explanation)
    {
        refusal = status;
        explain(explanation);
    }

    int refusal()
    {
        return refusal;
    }

    /**
     * Reads the head of the current target's response: true when it is its container's 404 or 503 given in
     * place of a webapp that is stopping, and the request should go to the next candidate instead. A node
     * whose webapp is stopping still announces for a moment, and a request already on its way meets that
     * answer; a node known to mark what its webapp served shows it by the missing mark.
     */
    boolean unservedAndRetried(String method, int status, boolean served)
    {
        PeerLedger ledger = current().ledger();
        if (served)
        {
            ledger.marksResponses();
            return false;
        }
        return (status == 404 || status == 503) && ledger.isKnownToMarkResponses() && discardUnservedResponse(method);
    }

    /**
     * After the current target failed: puts it aside for every request if it could not be reached or its webapp
     * was gone (passive health, until it announces again: a leaving node's next announcement says so, and
     * removes it), then moves to the next candidate if that is safe. True when the request should go there.
     */
    boolean retryAfter(String method, Throwable failure, boolean responseCommitted, long nowNanos)
    {
        ProxyFailures.Kind kind = ProxyFailures.classify(failure);
        if (kind == ProxyFailures.Kind.CONNECT || kind == ProxyFailures.Kind.NOT_SERVED)
            current().ledger().markDown(nowNanos);
        return mayRetry(method, kind, responseCommitted) && advance();
    }

    /**
     * Whether a response that the backend's container gave in place of its webapp may be thrown away unread, to
     * try the next candidate; if so, it no longer counts as a response begun.
     */
    private boolean discardUnservedResponse(String method)
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
    private boolean advance()
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
