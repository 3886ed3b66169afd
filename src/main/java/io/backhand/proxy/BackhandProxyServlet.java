package io.backhand.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.backhand.cluster.Member;
import io.backhand.node.Backhand;
import io.backhand.node.FilterCounters;
import io.backhand.node.FilterSetup;
import io.backhand.node.ProxyMarker;
import io.backhand.node.SettingsRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.RandomConnectionPool;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's asynchronous proxy servlet, aimed by the filter's decision instead of the request URL. It only
 * ever targets members of the cluster view (the filter hands it the ranked candidates in a
 * {@link ProxyHandoff}, and {@link ProxyTargets} takes nothing but the path and query from the client), so it
 * cannot be used as an open proxy.
 *
 * <p>Jetty's {@code service()} runs every attempt, the first and each retry, so that its handling of bodies,
 * {@code Expect: 100-continue} and timeouts is ours too; Backhand works through its hooks:
 * {@link #rewriteTarget} aims at the attempt's current candidate, {@link #newProxyRequest} and
 * {@link #proxyRequestContent} record what a retry must know, {@link #addProxyHeaders} adds the
 * forwarded-client headers and the marker, {@link #onServerResponseHeaders} copies the backend's headers
 * verbatim, and {@link #onProxyResponseFailure} either sends the request to the next candidate
 * ({@link ProxyAttempt} holds the whole retry policy) or answers a plain-text 502/504.</p>
 */
public class BackhandProxyServlet extends AsyncProxyServlet
{
    public static final String FILTER_PARAM = "backhand.filter";
    private static final Logger LOG = LoggerFactory.getLogger("backhand.proxy");
    /** Where Jetty's asynchronous servlet looks for the writer of a response's content. */
    private static final String WRITE_LISTENER = AsyncProxyServlet.class.getName() + ".writeListener";
    private static final String SERVED_HEADER_LOWER = ProxyMarker.SERVED_HEADER.toLowerCase(Locale.ROOT);

    private Backhand backhand;
    private boolean pooled;

    public static String viaHost(String nodeName)
    {
        return "backhand-" + nodeName;
    }

    @Override
    public void init() throws ServletException
    {
        backhand = Backhand.of(getServletContext());
        FilterSetup setup = backhand.filter(getInitParameter(FILTER_PARAM));
        if (setup == null)
            throw new ServletException("no Backhand filter named " + getInitParameter(FILTER_PARAM));
        pooled = setup.connectionPools() != null ? setup.connectionPools() : backhand.settings().connectionPools();
        super.init();
    }

    @Override
    protected HttpClient newHttpClient()
    {
        HttpClient client = super.newHttpClient();
        client.setConnectTimeout(Long.parseLong(getInitParameter(FilterSetup.CONNECT_TIMEOUT)));
        // Jetty's default pool hands out the first idle connection, so every request thread starts its search at
        // the same busy entries; under load that scan was one of the proxy's largest costs. A random start
        // spreads the threads over the pool.
        client.getTransport().setConnectionPoolFactory(destination ->
            new RandomConnectionPool(destination, destination.getHttpClient().getMaxConnectionsPerDestination(), 1));
        // The backend must see the client's User-Agent, or none, never Jetty's.
        client.setUserAgentField(null);
        // The response listeners never block: they copy headers, and write to the client through the servlet's
        // asynchronous output. Jetty's client may then run them on the selector thread that read the response,
        // instead of handing every response over to a pool thread: one thread hand-off less per request.
        client.getTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        return client;
    }

    /**
     * The response listeners run on the client's selector threads (see {@link #newHttpClient()}): one selector
     * for every two cores unless the init-param {@code selectors} says otherwise, so that a larger balancer does
     * not pass every response through one thread.
     */
    @Override
    protected HttpClient newHttpClient(ClientConnector connector)
    {
        if (getInitParameter(SettingsRegistry.SELECTORS.name()) == null)
            connector.setSelectors(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        return super.newHttpClient(connector);
    }

    /** TLS to members that announce a secure port, trusting what backhand.proxyTrust says. */
    @Override
    protected ClientConnector newClientConnector()
    {
        ClientConnector connector = super.newClientConnector();
        connector.setSslContextFactory(backhand.settings().proxyTls().newClientFactory());
        return connector;
    }

    /**
     * Aims the request at the current candidate of the filter's decision, never at the URL the client asked
     * for: the proxy request is built here, for that member, from nothing of the client's but its path and
     * query ({@link ProxyTargets}). Without a decision the answer is 404: only the filter may aim this servlet;
     * anything else would make it an open proxy.
     */
    @Override
    protected String rewriteTarget(HttpServletRequest clientRequest)
    {
        ProxyAttempt attempt = attemptOf(clientRequest);
        if (attempt == null)
            return null;
        Member target = attempt.current();
        String path = clientRequest.getRequestURI();
        String query = clientRequest.getQueryString();
        try
        {
            attempt.prepared(ProxyTargets.newRequest(getHttpClient(), target, path, query));
            return ProxyTargets.origin(target) + (query == null ? path : path + "?" + query);
        }
        catch (IllegalArgumentException e)
        {
            LOG.info("{} {}: {}", clientRequest.getMethod(), path, e.getMessage());
            attempt.refuse(HttpServletResponse.SC_BAD_REQUEST, "Backhand cannot forward this request target unchanged.");
        }
        catch (RuntimeException e)
        {
            LOG.error("{} {}: cannot build the request to {}", clientRequest.getMethod(), path, target.name(), e);
            attempt.refuse(HttpServletResponse.SC_BAD_GATEWAY, "Backhand could not send this request to " + target.name() + ".");
        }
        return null;
    }

    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse proxyResponse)
    {
        ProxyAttempt attempt = attemptOf(clientRequest);
        if (attempt != null)
        {
            sendProxyResponseError(clientRequest, proxyResponse, attempt.refusal());
            return;
        }
        try
        {
            proxyResponse.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
        catch (IOException e)
        {
            LOG.debug("Could not answer a request the filter did not aim", e);
        }
    }

    /** The request {@link #rewriteTarget} built, with the listeners that tell a retry whether it is still safe. */
    @Override
    protected Request newProxyRequest(HttpServletRequest request, String rewrittenTarget)
    {
        ProxyAttempt attempt = attemptOf(request);
        Request proxyRequest = attempt.takePrepared().method(request.getMethod()).attribute(CLIENT_REQUEST_ATTRIBUTE, request);
        // Jetty's client begins a request when it takes it onto a connection, and commits it once its headers are
        // written: a request that failed before it began never left this node.
        proxyRequest.onRequestBegin(r -> attempt.begun());
        proxyRequest.onRequestCommit(r -> attempt.committed());
        return proxyRequest;
    }

    /**
     * The client's body, left untouched until the request's headers have reached the backend, so that a
     * request that failed before can go to the next candidate whole ({@link LazyRequestContent}). With
     * {@code Expect: 100-continue}, Jetty's servlet asks for it only once the backend answered 100.
     */
    @Override
    protected Request.Content proxyRequestContent(HttpServletRequest request, HttpServletResponse response, Request proxyRequest)
    {
        // Request buffering: a body the filter read first is sent from there, whole, to every attempt.
        Request.Content buffered = BufferedBody.content(request);
        if (buffered != null)
            return buffered;
        ProxyAttempt attempt = attemptOf(request);
        return new LazyRequestContent(() -> clientContent(request, response, proxyRequest), request.getContentLengthLong(),
            request.getContentType(), attempt::bodyStarted, attempt::isCommitted);
    }

    private Request.Content clientContent(HttpServletRequest request, HttpServletResponse response, Request proxyRequest)
    {
        try
        {
            // A failure reading the client's body is marked as the client's, never the node's.
            return super.proxyRequestContent(ClientFaults.watch(request), response, proxyRequest);
        }
        catch (IOException e)
        {
            throw new IllegalStateException("cannot read the client's request body: " + e.getMessage(), e);
        }
    }

    /**
     * The first attempt adopts the in-flight count the filter took for the winner when it decided, so that the
     * request is counted once, from the moment it was promised to that server.
     */
    @Override
    protected void sendProxyRequest(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest)
    {
        ProxyHandoff handoff = ProxyHandoff.of(clientRequest);
        handoff.attempt().started(System.nanoTime(), handoff.takeReservation());
        listenForWrites(clientRequest, proxyResponse);
        super.sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
    }

    /**
     * Registers the writer of the backend's content while this thread still handles the request. Jetty's servlet
     * registers it when the first content arrives, long after the request thread returned, and registering then
     * hands the first write over to another pool thread; registered now, every write runs on the thread that
     * received the content. A retry keeps the writer of the first attempt.
     */
    private void listenForWrites(HttpServletRequest clientRequest, HttpServletResponse proxyResponse)
    {
        if (clientRequest.getAttribute(WRITE_LISTENER) != null)
            return;
        // The backend's response does not exist yet: the writer learns it when the response begins.
        StreamWriter writer = newWriteListener(clientRequest, null);
        clientRequest.setAttribute(WRITE_LISTENER, writer);
        try
        {
            proxyResponse.getOutputStream().setWriteListener(writer);
        }
        catch (IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static ProxyAttempt attemptOf(HttpServletRequest request)
    {
        ProxyHandoff handoff = ProxyHandoff.of(request);
        return handoff == null ? null : handoff.attempt();
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
        // The servlet API builds the address's text anew on every call: take it once.
        String remote = clientRequest.getRemoteAddr();
        addViaHeader(clientRequest, proxyRequest);
        addForwardedHeader(clientRequest, remote, proxyRequest);
        String client = ProxyMarker.stripBrackets(remote);
        String host = clientRequest.getHeader("Host");
        String query = clientRequest.getQueryString();
        String marker = backhand.marker().create(clientRequest.getMethod(),
            query == null ? clientRequest.getRequestURI() : clientRequest.getRequestURI() + "?" + query, System.currentTimeMillis());
        proxyRequest.headers(h ->
        {
            // Appended to, as every proxy does; the serving node believes only the last entry, which is ours.
            if (h.getField("X-Forwarded-For") == null)
                h.put("X-Forwarded-For", client);
            else
            {
                String previous = String.join(", ", h.getValuesList("X-Forwarded-For"));
                h.put("X-Forwarded-For", previous.isBlank() ? client : previous + ", " + client);
            }
            h.put("X-Forwarded-Proto", clientRequest.getScheme());
            if (host != null)
                h.put("X-Forwarded-Host", host);
            else
                h.remove("X-Forwarded-Host");
            h.put(ProxyMarker.HEADER, marker);
        });
    }

    /**
     * The standard {@code Forwarded} header, the value Jetty's own hook writes ({@code by=;for=;host=;proto=},
     * appended to a client's own). Jetty builds it with {@code String.format}, which parses its pattern on every
     * request: one of the larger allocations of the proxy path. A client's own {@code Forwarded}, rare, still
     * goes through Jetty's code, so that its values are joined exactly as Jetty joins them.
     */
    private void addForwardedHeader(HttpServletRequest clientRequest, String remote, Request proxyRequest)
    {
        if (clientRequest.getHeader(HttpHeader.FORWARDED.asString()) != null)
        {
            super.addForwardedHeader(clientRequest, proxyRequest);
            return;
        }
        String scheme = clientRequest.getScheme();
        String value = "by=" + HttpField.PARAMETER_TOKENIZER.quote(clientRequest.getLocalAddr())
            + ";for=" + HttpField.PARAMETER_TOKENIZER.quote(remote)
            + ";host=" + HttpField.PARAMETER_TOKENIZER.quote(clientRequest.getHeader(HttpHeader.HOST.asString()))
            + ";proto=" + (scheme == null ? (clientRequest.isSecure() ? "https" : "http") : scheme);
        proxyRequest.headers(h -> h.put(HttpHeader.FORWARDED, value));
    }

    /**
     * Copies the backend's headers exactly. Jetty's own copy rebuilds each value from its parsed form, which
     * rewrites them ({@code Set-Cookie: a=1; Path=/} reaches the client as {@code a=1;Path=/}); a balancer
     * must be invisible.
     */
    @Override
    protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse)
    {
        // Headers the backend named in Connection are hop-by-hop too. Most responses name none, or only
        // keep-alive, which is hop-by-hop already: the set is made only for another name.
        Set<String> connectionTokens = Set.of();
        if (serverResponse.getHeaders().getField(HttpHeader.CONNECTION) != null)
        {
            for (String v : serverResponse.getHeaders().getValuesList(HttpHeader.CONNECTION))
            {
                for (String token : v.split(","))
                {
                    String name = token.strip().toLowerCase(Locale.ROOT);
                    if (HOP_HEADERS.contains(name))
                        continue;
                    if (connectionTokens.isEmpty())
                        connectionTokens = new HashSet<>();
                    connectionTokens.add(name);
                }
            }
        }
        // A response has a handful of headers: a scan of those copied so far beats a set built per response.
        HttpFields fields = serverResponse.getHeaders();
        int copied = 0;
        String[] seen = new String[fields.size()];
        for (HttpField field : fields)
        {
            String lower = field.getLowerCaseName();
            if (HOP_HEADERS.contains(lower) || connectionTokens.contains(lower) || lower.equals(SERVED_HEADER_LOWER))
                continue;
            String value = field.getValue() == null ? "" : field.getValue();
            // The first occurrence replaces what the container set itself (Date, Server); repeats are kept.
            if (firstOf(seen, copied, lower))
                proxyResponse.setHeader(field.getName(), value);
            else
                proxyResponse.addHeader(field.getName(), value);
            seen[copied++] = lower;
        }
    }

    private static boolean firstOf(String[] seen, int count, String lower)
    {
        for (int i = 0; i < count; i++)
        {
            if (seen[i].equals(lower))
                return false;
        }
        return true;
    }

    /** Counts the pieces of the response on their way to the client, for {@link ProxyAttempt#afterWrites}. */
    @Override
    protected void onResponseContent(HttpServletRequest request, HttpServletResponse response, Response proxyResponse,
                                     byte[] buffer, int offset, int length, Callback callback)
    {
        ProxyAttempt attempt = attemptOf(request);
        attempt.writeStarted();
        super.onResponseContent(request, response, proxyResponse, buffer, offset, length, new Callback()
        {
            @Override
            public void succeeded()
            {
                callback.succeeded();
                attempt.writeEnded();
            }

            @Override
            public void failed(Throwable x)
            {
                callback.failed(x);
                attempt.writeEnded();
            }

            @Override
            public InvocationType getInvocationType()
            {
                return callback.getInvocationType();
            }
        });
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

        /** The response whose content is being written, aborted when the client's side fails. */
        private volatile Response backendResponse;

        FlushingStreamWriter(HttpServletRequest request, Response proxyResponse)
        {
            super(request, proxyResponse);
            this.request = request;
            this.backendResponse = proxyResponse;
        }

        @Override
        protected synchronized void data(byte[] bytes, int offset, int length, Callback callback)
        {
            super.data(bytes, offset, length, callback);
            this.buffer = bytes;
            this.offset = offset;
            this.length = length;
            this.written = false;
            this.flushed = false;
        }

        @Override
        public void onError(Throwable failure)
        {
            // Client faults: the client is gone, or too slow to take the response; the node did its part.
            ClientFaults.blame(request, failure);
            Response response = backendResponse;
            if (response != null)
                response.abort(failure);
        }

        /**
         * Called by the container when the output can take more, and by Jetty's servlet, on the thread that
         * received it, when content arrives: the two may meet, hence the lock, and every step asks isReady()
         * first, so that a write that could not finish at once is resumed by the container, never repeated.
         */
        @Override
        public synchronized void onWritePossible() throws IOException
        {
            if (buffer == null)
                return;
            ServletOutputStream output = request.getAsyncContext().getResponse().getOutputStream();
            if (!written)
            {
                if (!output.isReady())
                    return;
                written = true;
                output.write(buffer, offset, length);
            }
            if (!flushed)
            {
                if (!output.isReady())
                    return;
                flushed = true;
                output.flush();
            }
            if (!output.isReady())
                return;
            buffer = null;
            complete();
        }
    }

    @Override
    protected Response.Listener newProxyResponseListener(HttpServletRequest request, HttpServletResponse response)
    {
        return new BalancedResponseListener(request, response, attemptOf(request));
    }

    /** Jetty's listener, plus what the attempt must know of the response, and the unserved answer turned away. */
    private final class BalancedResponseListener extends ProxyResponseListener
    {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final ProxyAttempt attempt;

        BalancedResponseListener(HttpServletRequest request, HttpServletResponse response, ProxyAttempt attempt)
        {
            super(request, response);
            this.request = request;
            this.response = response;
            this.attempt = attempt;
        }

        @Override
        public void onBegin(Response proxyResponse)
        {
            attempt.responseBegun();
            if (request.getAttribute(WRITE_LISTENER) instanceof FlushingStreamWriter writer)
                writer.backendResponse = proxyResponse;
            super.onBegin(proxyResponse);
        }

        @Override
        public void onHeaders(Response proxyResponse)
        {
            Member target = attempt.current();
            if (attempt.unservedAndRetried(request.getMethod(), proxyResponse.getStatus(),
                proxyResponse.getHeaders().contains(ProxyMarker.SERVED_HEADER)))
            {
                // Nothing of it has been passed on; the failure sends the request to the next candidate.
                proxyResponse.abort(new ProxyFailures.NotServedException(target.name(), proxyResponse.getStatus()));
                return;
            }
            super.onHeaders(proxyResponse);
        }

        @Override
        public void onComplete(Result result)
        {
            if (result.isFailed() && result.getResponseFailure() == null && attempt.hasResponse())
            {
                // The backend answered in full and only the sending of the body failed: it answered without
                // reading it (a final answer to Expect: 100-continue, an early 401 or 413). That answer is the
                // response, not a failure. Jetty's client hands such an answer over whole, without waiting for
                // its content to reach the client: completing before it has would cut it short.
                attempt.afterWrites(() -> onProxyResponseSuccess(request, response, result.getResponse()));
                return;
            }
            super.onComplete(result);
        }
    }

    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse)
    {
        ProxyHandoff handoff = ProxyHandoff.of(clientRequest);
        ProxyAttempt attempt = handoff.attempt();
        long elapsed = attempt.answered(serverResponse.getStatus());
        backhand.tally().record(elapsed);
        handoff.setup().counters().record(FilterCounters.Outcome.PROXIED, attempt.current().name());
        super.onProxyResponseSuccess(clientRequest, proxyResponse, serverResponse);
    }

    /** Every failed try arrives here: it goes to the next candidate if that is safe, or the client is told why. */
    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
                                          Response serverResponse, Throwable failure)
    {
        ProxyHandoff handoff = ProxyHandoff.of(clientRequest);
        ProxyAttempt attempt = handoff.attempt();
        // Client faults: the client's side failed; answer it (400/408, or nothing when gone), blame no node.
        Throwable clientFault = ClientFaults.of(clientRequest);
        if (clientFault != null)
        {
            attempt.endedByClient();
            handoff.setup().counters().record(FilterCounters.Outcome.CLIENT_ERROR, null);
            attempt.explain(ClientFaults.explain(clientRequest, clientFault));
            if (proxyResponse.isCommitted())
                super.onProxyResponseFailure(clientRequest, proxyResponse, serverResponse, failure);
            else
                sendProxyResponseError(clientRequest, proxyResponse, ClientFaults.status(clientFault));
            return;
        }
        Member target = attempt.current();
        if (attempt.retryAfter(clientRequest.getMethod(), failure, proxyResponse.isCommitted(), System.nanoTime()))
        {
            handoff.setup().counters().record(FilterCounters.Outcome.RETRIED, target.name());
            LOG.info("{} {}: {} failed before answering ({}); retrying on {}", clientRequest.getMethod(),
                clientRequest.getRequestURI(), target.name(), ProxyFailures.describe(failure), attempt.current().name());
            proxyResponse.reset();
            DecisionExplainer.restore(clientRequest, proxyResponse);
            retry(clientRequest, proxyResponse);
            return;
        }
        attempt.ended(false);
        handoff.setup().counters().record(FilterCounters.Outcome.FAILED, target.name());
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

    /** Sends the request to the attempt's new target, through Jetty's servlet as the first time. */
    private void retry(HttpServletRequest clientRequest, HttpServletResponse proxyResponse)
    {
        try
        {
            service(RetriedRequest.of(clientRequest), proxyResponse);
        }
        catch (ServletException | IOException | RuntimeException e)
        {
            Member target = attemptOf(clientRequest).current();
            LOG.error("{} {}: cannot send the request to {}", clientRequest.getMethod(), clientRequest.getRequestURI(),
                target.name(), e);
            attemptOf(clientRequest).explain("Backhand could not send this request to " + target.name() + ".");
            sendProxyResponseError(clientRequest, proxyResponse, HttpServletResponse.SC_BAD_GATEWAY);
        }
    }

    /**
     * The client's request on its way to another candidate. Jetty's {@code service()} starts the asynchronous
     * cycle, which the first attempt already did: here it is handed back as it is.
     */
    private static final class RetriedRequest extends HttpServletRequestWrapper
    {
        static HttpServletRequest of(HttpServletRequest request)
        {
            return request instanceof RetriedRequest ? request : new RetriedRequest(request);
        }

        private RetriedRequest(HttpServletRequest request)
        {
            super(request);
        }

        @Override
        public AsyncContext startAsync()
        {
            return getAsyncContext();
        }
    }

    @Override
    protected int proxyResponseStatus(Throwable failure)
    {
        return ProxyFailures.isTimeout(failure) ? HttpServletResponse.SC_GATEWAY_TIMEOUT : HttpServletResponse.SC_BAD_GATEWAY;
    }

    @Override
    protected void sendProxyResponseError(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, int status)
    {
        ProxyAttempt attempt = attemptOf(clientRequest);
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
            DecisionExplainer.restore(clientRequest, proxyResponse);
            proxyResponse.setHeader("Connection", "close");
            // The output is asynchronous (the content's writer is registered): one write, which it takes whole.
            RequestOutcomes.plainAsync(proxyResponse, status, attempt.explanation());
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
