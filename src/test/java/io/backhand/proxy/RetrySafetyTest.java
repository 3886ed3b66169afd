package io.backhand.proxy;


import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.backhand.cluster.Member;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a failed attempt may go to the next candidate. The case real servers cannot produce on demand (a pooled
 * connection found dead before the request began on it) is checked here on the objects that decide; the
 * others are also proven end to end in web/proxy/FailureAnswersTest.
 */
class RetrySafetyTest
{
    private static ProxyAttempt attempt(boolean begun, boolean responseBegun)
    {
        ProxyAttempt a = new ProxyAttempt(new Member[0]);
        if (begun)
            a.begun();
        if (responseBegun)
            a.responseBegun();
        return a;
    }

    @Test
    void aRequestThatNeverBeganOnItsConnectionMayBeRetriedWhateverItsMethod()
    {
        assertTrue(attempt(false, false).mayRetry("POST", ProxyFailures.Kind.TRANSPORT, false), "nothing left this node");
        assertFalse(attempt(true, false).mayRetry("POST", ProxyFailures.Kind.TRANSPORT, false), "the backend may have it");
        assertTrue(attempt(true, false).mayRetry("GET", ProxyFailures.Kind.TRANSPORT, false), "idempotent");
        assertTrue(attempt(true, false).mayRetry("POST", ProxyFailures.Kind.CONNECT, false));
        assertFalse(attempt(true, false).mayRetry("GET", ProxyFailures.Kind.TIMEOUT, false), "it may still be working on it");
        assertFalse(attempt(true, true).mayRetry("GET", ProxyFailures.Kind.TRANSPORT, false), "a response began");
        assertFalse(attempt(true, false).mayRetry("GET", ProxyFailures.Kind.TRANSPORT, true), "the client has an answer");
    }

    @Test
    void theClientsBodyIsNotTouchedBeforeTheHeadersAreWritten()
    {
        AtomicInteger created = new AtomicInteger();
        AtomicBoolean committed = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        LazyRequestContent content = new LazyRequestContent(() ->
        {
            created.incrementAndGet();
            return new StringRequestContent("body");
        }, 4, "text/plain", () -> started.set(true), committed::get);
        assertNull(content.read(), "before the headers are written: nothing yet, and the client's body is left alone");
        content.fail(new java.io.IOException("connection found closed"));
        assertEquals(0, created.get());
        assertFalse(started.get());
        committed.set(true);
        assertNotNull(content.read(), "after the headers the body flows");
        assertEquals(1, created.get());
        assertTrue(started.get());
    }
}
