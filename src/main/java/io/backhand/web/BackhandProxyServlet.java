package io.backhand.web;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.backhand.candidacy.Decision;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.RandomConnectionPool;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's asynchronous proxy servlet, aimed by the filter's decision instead of the request URL. It only
 * ever targets members of the cluster view (the filter hands it the ranked candidates, and
 * {@link ProxyTargets} takes nothing but the path and query from the client), so it cannot be used as an
 * open proxy. On top of Jetty's hooks it adds failover ({@link ProxyAttempt}), verbatim response headers,
 * the forwarded-client headers and the marker, and plain-text 502/504 answers.
 */
public class BackhandProxyServlet extends AsyncProxyServlet
{
    static final String FILTER_PARAM = "backhand.filter";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    private static final Logger LOG = LoggerFactory.getLogger("backhand.proxy");
    private static final String ATTEMPT_ATTRIBUTE = "io.backhand.attempt";
    private static final String SERVED_HEADER_LOWER = ProxyMarker.SERVED_HEADER.toLowerCase(Locale.ROOT);

    private Backhand backhand;
    private FilterSetup setup;
    private boolean pooled;

    static String viaHost(String nodeName)
    {
        return "backhand-" + nodeName;
    }

    @Override
    public void init() throws ServletException
    {
        backhand = Backhand.of(getServletContext());
        setup = backhand.filter(getInitParameter(FILTER_PARAM));
        if (setup == null)
            throw new ServletException("no Backhand filter named " + getInitParameter(FILTER_PARAM));
        pooled = setup.connectionPools() != null ? setup.connectionPools() : backhand.settings().connectionPools();
        super.init();
    }

    @Override
    protected HttpClient newHttpClient()
    {
        HttpClient client = super.newHttpClient();
        client.setConnectTimeout(Long.parseLong(getInitParameter(CONNECT_TIMEOUT)));
        // Jetty's default pool hands out the first idle connection, so every request thread starts its search at
        // the same busy entries; under load that scan was one of the proxy's largest costs. A random start
        // spreads the threads over the pool.
        client.getTransport().setConnectionPoolFactory(destination ->
            new RandomConnectionPool(destination, destination.getHttpClient().getMaxConnectionsPerDestination(), 1));
        // The backend must see the client's User-Agent, or none, never Jetty's.
        client.setUserAgentField(null);
        return client;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException
    {
        Decision decision = (Decision) request.getAttribute(BackhandFilter.DECISION_ATTRIBUTE);
        if (decision == null || decision.targets().length == 0)
        {
            // Only the filter may aim this servlet; anything else would make it an open proxy.
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        ProxyAttempt attempt = new ProxyAttempt(decision.targets());
        request.setAttribute(ATTEMPT_ATTRIBUTE, attempt);
        // The proxy request has its own timeouts; the client's side waits as long as they allow.
        request.startAsync().setTimeout(0);
        send(request, response, attempt);
    }

    private void send(HttpServletRequest request, HttpServletResponse response, ProxyAttempt attempt)
    {
        Member target = attempt.current();
        Request proxyRequest;
        try
        {
            proxyRequest = ProxyTargets.newRequest(getHttpClient(), target, request.getRequestURI(), request.getQueryString());
        }
        catch (IllegalArgumentException e)
        {
            LOG.info("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            attempt.explain("Backhand cannot forward this request target unchanged.");
            sendProxyResponseError(request, response, HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        catch (RuntimeException e)
        {
            LOG.error("{} {}: cannot build the request to {}", request.getMethod(), request.getRequestURI(), target.name(), e);
            attempt.explain("Backhand could not send this request to " + target.name() + ".");
            sendProxyResponseError(request, response, HttpServletResponse.SC_BAD_GATEWAY);
            return;
        }
        proxyRequest.method(request.getMethod()).attribute(CLIENT_REQUEST_ATTRIBUTE, request);
        copyRequestHeaders(request, proxyRequest);
        addProxyHeaders(request, proxyRequest);
        proxyRequest.timeout(getTimeout(), TimeUnit.MILLISECONDS);
        // Jetty's client begins a request when it takes it onto a connection, and commits it once its headers are
        // written: a request that failed before it began never left this node.
        proxyRequest.onRequestBegin(r -> attempt.begun());
        proxyRequest.onRequestCommit(r -> attempt.committed());
        if (hasContent(request))
            proxyRequest.body(new LazyRequestContent(() -> clientContent(request, response, proxyRequest),
                request.getContentLengthLong(), request.getContentType(), attempt::bodyStarted, attempt::isCommitted,
                expects100Continue(request) ? attempt::hasResponse : () -> false));
        attempt.started(System.nanoTime(), takeReservation(request, attempt));
        sendProxyRequest(request, response, proxyRequest);
    }

    /**
     * The first attempt adopts the in-flight count the filter took for the winner when it decided, so that the
     * request is counted once, from the moment it was promised to that server.
     */
    private static PeerLedger.Period takeReservation(HttpServletRequest request, ProxyAttempt attempt)
    {
        if (attempt.number() != 1)
            return null;
        PeerLedger.Period reserved = (PeerLedger.Period) request.getAttribute(BackhandFilter.RESERVATION_ATTRIBUTE);
        if (reserved != null)
            request.removeAttribute(BackhandFilter.RESERVATION_ATTRIBUTE);
        return reserved;
    }

    private Request.Content clientContent(HttpServletRequest request, HttpServletResponse response, Request proxyRequest)
    {
        try
        {
            return proxyRequestContent(request, response, proxyRequest);
        }
        catch (IOException e)
        {
            throw new IllegalStateException("cannot read the client's request body: " + e.getMessage(), e);
        }
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest)
    {
        super.copyRequestHeaders(clientRequest, proxyRequest);
        proxyRequest.headers(h ->
        {
            h.remove(ProxyMarker.HEADER);
            if (!pooled)
                h.put(HttpHeader.CONNECTION, "close");
        });
    }

    @Override
    protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest)
    {
        // Via and Forwarded, the standard ones, from Jetty.
        super.addProxyHeaders(clientRequest, proxyRequest);
        String client = ProxyMarker.stripBrackets(clientRequest.getRemoteAddr());
        String host = clientRequest.getHeader("Host");
        String query = clientRequest.getQueryString();
        String marker = backhand.marker().create(clientRequest.getMethod(),
            clientRequest.getRequestURI() + (query == null ? "" : "?" + query), System.currentTimeMillis());
        proxyRequest.headers(h ->
        {
            // Appended to, as every proxy does; the serving node believes only the last entry, which is ours.
            String previous = String.join(", ", h.getValuesList("X-Forwarded-For"));
            h.put("X-Forwarded-For", previous.isBlank() ? client : previous + ", " + client);
            h.put("X-Forwarded-Proto", clientRequest.getScheme());
            if (host != null)
                h.put("X-Forwarded-Host", host);
            else
                h.remove("X-Forwarded-Host");
            h.put(ProxyMarker.HEADER, marker);
        });
    }

    /**
     * Copies the backend's headers exactly. Jetty's own copy rebuilds each value from its parsed form, which
     * rewrites them ({@code Set-Cookie: a=1; Path=/} reaches the client as {@code a=1;Path=/}); a balancer
     * must be invisible.
     */
    @Override
    protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse)
    {
        // Headers the backend named in Connection are hop-by-hop too; most responses name none.
        Set<String> connectionTokens = Set.of();
        List<String> connection = serverResponse.getHeaders().getValuesList(HttpHeader.CONNECTION);
        if (!connection.isEmpty())
        {
            connectionTokens = new HashSet<>();
            for (String v : connection)
            {
                for (String token : v.split(","))
                    connectionTokens.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        Set<String> seen = new HashSet<>();
        for (HttpField field : serverResponse.getHeaders())
        {
            String lower = field.getLowerCaseName();
            if (HOP_HEADERS.contains(lower) || connectionTokens.contains(lower) || lower.equals(SERVED_HEADER_LOWER))
                continue;
            String value = field.getValue() == null ? "" : field.getValue();
            // The first occurrence replaces what the container set itself (Date, Server); repeats are kept.
            if (seen.add(lower))
                proxyResponse.setHeader(field.getName(), value);
            else
                proxyResponse.addHeader(field.getName(), value);
        }
    }

    @Override
    protected StreamWriter newWriteListener(HttpServletRequest request, Response proxyResponse)
    {
        return new FlushingStreamWriter(request, proxyResponse);
    }

    /**
     * Jetty's writer of the backend's content to the client, plus a flush of every piece: without it the
     * container gathers small pieces in its buffer until more come, and a streamed response (server-sent
     * events, progress, long polling) stalls in the balancer. Write, then flush, each completing
     * asynchronously, before the backend is asked for more.
     */
    private final class FlushingStreamWriter extends StreamWriter
    {
        private final HttpServletRequest request;
        private byte[] buffer;
        private int offset;
        private int length;
        private boolean written;
        private boolean flushed;

        FlushingStreamWriter(HttpServletRequest request, Response proxyResponse)
        {
            super(request, proxyResponse);
            this.request = request;
        }

        @Override
        protected void data(byte[] bytes, int offset, int length, Callback callback)
        {
            super.data(bytes, offset, length, callback);
            this.buffer = bytes;
            this.offset = offset;
            this.length = length;
            this.written = false;
            this.flushed = false;
        }

        @Override
        public void onWritePossible() throws IOException
        {
            if (buffer == null)
                return;
            ServletOutputStream output = request.getAsyncContext().getResponse().getOutputStream();
            if (!written)
            {
                written = true;
                output.write(buffer, offset, length);
                if (!output.isReady())
                    return;
            }
            if (!flushed)
            {
                flushed = true;
                output.flush();
                if (!output.isReady())
                    return;
            }
            buffer = null;
            complete();
        }
    }

    @Override
    protected Response.Listener newProxyResponseListener(HttpServletRequest request, HttpServletResponse response)
    {
        ProxyAttempt attempt = (ProxyAttempt) request.getAttribute(ATTEMPT_ATTRIBUTE);
        return new ProxyResponseListener(request, response)
        {
            @Override
            public void onBegin(Response proxyResponse)
            {
                attempt.responseBegun();
                super.onBegin(proxyResponse);
            }

            @Override
            public void onHeaders(Response proxyResponse)
            {
                int status = proxyResponse.getStatus();
                PeerLedger ledger = attempt.current().ledger();
                if (proxyResponse.getHeaders().contains(ProxyMarker.SERVED_HEADER))
                {
                    ledger.marksResponses();
                }
                else if ((status == HttpServletResponse.SC_NOT_FOUND || status == HttpServletResponse.SC_SERVICE_UNAVAILABLE)
                    && ledger.isKnownToMarkResponses() && attempt.discardUnservedResponse(request.getMethod()))
                {
                    // A node whose webapp is stopping still announces for a moment: a request already on its way
                    // meets the container's 404. Nothing of it has been passed on, so try the next candidate.
                    proxyResponse.abort(new ProxyFailures.NotServedException(attempt.current().name(), status));
                    return;
                }
                super.onHeaders(proxyResponse);
            }

            @Override
            public void onComplete(Result result)
            {
                if (result.isFailed() && result.getResponseFailure() == null && attempt.hasResponse())
                {
                    // The backend answered in full and only the sending of the body failed: it answered
                    // without reading it (a final answer to Expect: 100-continue, an early 401 or 413). That
                    // answer is the response, not a failure.
                    onProxyResponseSuccess(request, response, result.getResponse());
                    return;
                }
                if (result.isFailed() && retry(request, response, attempt, result.getFailure()))
                    return;
                super.onComplete(result);
            }
        };
    }

    /** Sends the request to the next candidate if that is safe; true when it did. */
    private boolean retry(HttpServletRequest request, HttpServletResponse response, ProxyAttempt attempt, Throwable failure)
    {
        Member failed = attempt.current();
        ProxyFailures.Kind kind = ProxyFailures.classify(failure);
        if (kind == ProxyFailures.Kind.CONNECT || kind == ProxyFailures.Kind.NOT_SERVED)
        {
            // Passive health: put it aside for every request until it announces again (a leaving node's next
            // announcement says so, and removes it).
            failed.ledger().markDown(System.nanoTime());
        }
        if (!attempt.mayRetry(request.getMethod(), kind, response.isCommitted()))
            return false;
        if (!attempt.advance())
            return false;
        setup.counters().record(FilterCounters.Outcome.RETRIED, failed.name());
        LOG.info("{} {}: {} failed before answering ({}); retrying on {}", request.getMethod(), request.getRequestURI(),
            failed.name(), ProxyFailures.describe(failure), attempt.current().name());
        response.reset();
        send(request, response, attempt);
        return true;
    }

    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse)
    {
        ProxyAttempt attempt = (ProxyAttempt) clientRequest.getAttribute(ATTEMPT_ATTRIBUTE);
        long elapsed = attempt.answered(serverResponse.getStatus());
        backhand.tally().record(elapsed);
        setup.counters().record(FilterCounters.Outcome.PROXIED, attempt.current().name());
        super.onProxyResponseSuccess(clientRequest, proxyResponse, serverResponse);
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
                                          Response serverResponse, Throwable failure)
    {
        ProxyAttempt attempt = (ProxyAttempt) clientRequest.getAttribute(ATTEMPT_ATTRIBUTE);
        Member target = attempt.current();
        attempt.ended(false);
        setup.counters().record(FilterCounters.Outcome.FAILED, target.name());
        String cause = ProxyFailures.describe(failure);
        if (proxyResponse.isCommitted())
        {
            // Too late for an answer of our own: the client sees the connection cut, not a clean end.
            LOG.warn("{} {}: {} failed after the response began; cutting the client's connection: {}",
                clientRequest.getMethod(), clientRequest.getRequestURI(), target.name(), cause);
        }
        else
        {
            attempt.explain("Backhand could not get a response from " + target.name() + " (" + ProxyTargets.format(target)
                + ")" + (attempt.number() > 1 ? " after " + attempt.number() + " attempts" : "") + ": " + cause);
            LOG.warn("{} {} from {}: {}", clientRequest.getMethod(), clientRequest.getRequestURI(),
                clientRequest.getRemoteAddr(), attempt.explanation());
        }
        super.onProxyResponseFailure(clientRequest, proxyResponse, serverResponse, failure);
    }

    /** 504 for every kind of timeout, however deep Jetty wrapped it; 502 for the rest. */
    @Override
    protected int proxyResponseStatus(Throwable failure)
    {
        return ProxyFailures.isTimeout(failure) ? HttpServletResponse.SC_GATEWAY_TIMEOUT : HttpServletResponse.SC_BAD_GATEWAY;
    }

    @Override
    protected void sendProxyResponseError(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, int status)
    {
        ProxyAttempt attempt = (ProxyAttempt) clientRequest.getAttribute(ATTEMPT_ATTRIBUTE);
        if (attempt == null || attempt.explanation() == null || proxyResponse.isCommitted())
        {
            super.sendProxyResponseError(clientRequest, proxyResponse, status);
            return;
        }
        try
        {
            // reset(), not resetBuffer(): headers already copied from the backend (its Content-Length above all)
            // would describe a body that is not coming.
            proxyResponse.reset();
            proxyResponse.setHeader("Connection", "close");
            RequestOutcomes.plain(proxyResponse, status, attempt.explanation());
        }
        catch (IOException | RuntimeException e)
        {
            LOG.debug("Could not write the error response", e);
        }
        finally
        {
            if (clientRequest.isAsyncStarted())
                clientRequest.getAsyncContext().complete();
        }
    }
}
