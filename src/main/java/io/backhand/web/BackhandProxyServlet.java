package io.backhand.web;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.backhand.candidacy.Decision;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's asynchronous proxy servlet, aimed by the filter's decision instead of the request URL. It only
 * ever targets members of the cluster view (the filter hands it the ranked candidates), so it cannot be
 * used as an open proxy. It adds failover on top of Jetty's hooks: a connect failure, or any failure of an
 * idempotent request before a response began, goes to the next candidate as long as the client's body was
 * not read.
 */
public class BackhandProxyServlet extends AsyncProxyServlet
{
    static final String FILTER_PARAM = "backhand.filter";
    private static final Logger LOG = LoggerFactory.getLogger("backhand.proxy");
    private static final String ATTEMPT_ATTRIBUTE = "io.backhand.attempt";
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private Backhand backhand;
    private FilterSetup setup;

    /** The state of one client request across its attempts. */
    private static final class Attempt
    {
        final Member[] targets;
        int index;
        volatile boolean bodyStarted;
        volatile boolean responseBegun;
        long startNanos;
        PeerLedger.Period period;
        String explanation;

        Attempt(Member[] targets)
        {
            this.targets = targets;
        }

        Member current()
        {
            return targets[index];
        }

        /** Moves to the next candidate that has not refused a connection meanwhile. */
        boolean advance()
        {
            while (++index < targets.length)
            {
                if (!targets[index].ledger().isDown())
                    return true;
            }
            return false;
        }
    }

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
        super.init();
    }

    @Override
    protected HttpClient newHttpClient()
    {
        HttpClient client = super.newHttpClient();
        client.setConnectTimeout(Long.parseLong(getInitParameter("connectTimeout")));
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
        Attempt attempt = new Attempt(decision.targets());
        request.setAttribute(ATTEMPT_ATTRIBUTE, attempt);
        request.startAsync().setTimeout(0);
        send(request, response, attempt);
    }

    private void send(HttpServletRequest request, HttpServletResponse response, Attempt attempt)
    {
        Member target = attempt.current();
        String url = targetUrl(target, request);
        Request proxyRequest = newProxyRequest(request, url);
        copyRequestHeaders(request, proxyRequest);
        addProxyHeaders(request, proxyRequest);
        proxyRequest.timeout(getTimeout(), TimeUnit.MILLISECONDS);
        if (hasContent(request))
        {
            proxyRequest.body(new LazyRequestContent(() ->
            {
                try
                {
                    return proxyRequestContent(request, response, proxyRequest);
                }
                catch (IOException e)
                {
                    throw new IllegalStateException(e);
                }
            }, request.getContentLengthLong(), request.getContentType(), () -> attempt.bodyStarted = true));
        }
        attempt.startNanos = System.nanoTime();
        PeerLedger.Period reserved = attempt.index == 0
            ? (PeerLedger.Period) request.getAttribute(BackhandFilter.RESERVATION_ATTRIBUTE) : null;
        if (reserved != null)
            request.removeAttribute(BackhandFilter.RESERVATION_ATTRIBUTE);
        attempt.period = reserved != null ? reserved : target.ledger().requestStarted();
        sendProxyRequest(request, response, proxyRequest);
    }

    /** The chosen member's address with the request's path and query exactly as the client sent them. */
    static String targetUrl(Member target, HttpServletRequest request)
    {
        String host = target.contact().getAddress().getHostAddress();
        int pct = host.indexOf('%');
        if (pct >= 0)
            host = host.substring(0, pct);
        if (target.contact().getAddress() instanceof Inet6Address)
            host = "[" + host + "]";
        StringBuilder url = new StringBuilder("http://").append(host).append(':').append(target.contact().getPort())
            .append(request.getRequestURI());
        String query = request.getQueryString();
        if (query != null)
            url.append('?').append(query);
        return url.toString();
    }

    @Override
    protected String rewriteTarget(HttpServletRequest clientRequest)
    {
        // Never derive a target from the request itself: only cluster members chosen by the filter are targets.
        return null;
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest)
    {
        super.copyRequestHeaders(clientRequest, proxyRequest);
        proxyRequest.headers(h ->
        {
            h.remove(ProxyMarker.HEADER);
            if (!backhand.settings().connectionPools())
                h.put("Connection", "close");
        });
    }

    @Override
    protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest)
    {
        super.addProxyHeaders(clientRequest, proxyRequest);
        String client = clientRequest.getRemoteAddr();
        String host = clientRequest.getHeader("Host");
        String marker = backhand.marker().create(clientRequest.getMethod(), clientRequest.getRequestURI()
            + (clientRequest.getQueryString() == null ? "" : "?" + clientRequest.getQueryString()), System.currentTimeMillis());
        proxyRequest.headers(h ->
        {
            String previous = h.get("X-Forwarded-For");
            h.put("X-Forwarded-For", previous == null ? client : previous + ", " + client);
            h.put("X-Forwarded-Proto", clientRequest.getScheme());
            if (host != null)
                h.put("X-Forwarded-Host", host);
            h.put(ProxyMarker.HEADER, marker);
        });
    }

    @Override
    protected Response.Listener newProxyResponseListener(HttpServletRequest request, HttpServletResponse response)
    {
        Attempt attempt = (Attempt) request.getAttribute(ATTEMPT_ATTRIBUTE);
        return new ProxyResponseListener(request, response)
        {
            @Override
            public void onBegin(Response proxyResponse)
            {
                attempt.responseBegun = true;
                super.onBegin(proxyResponse);
            }

            @Override
            public void onComplete(Result result)
            {
                if (result.isFailed() && retry(request, response, attempt, result.getFailure()))
                    return;
                super.onComplete(result);
            }
        };
    }

    /** Sends the request to the next candidate if that is safe; true when it did. */
    private boolean retry(HttpServletRequest request, HttpServletResponse response, Attempt attempt, Throwable failure)
    {
        Member failed = attempt.current();
        boolean connectFailure = isConnectFailure(failure);
        if (connectFailure)
            failed.ledger().markDown(System.nanoTime());
        boolean safe = !attempt.bodyStarted && !attempt.responseBegun && !response.isCommitted()
            && (connectFailure || (IDEMPOTENT.contains(request.getMethod()) && !isTimeout(failure)));
        if (!safe || !attempt.advance())
            return false;
        failed.ledger().requestRetriedElsewhere(attempt.period);
        setup.counters().record(FilterCounters.Outcome.RETRIED, failed.name());
        LOG.info("{} {}: {} failed ({}); retrying on {}", request.getMethod(), request.getRequestURI(), failed.name(),
            describe(failure), attempt.current().name());
        response.reset();
        send(request, response, attempt);
        return true;
    }

    static boolean isConnectFailure(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                || t instanceof UnresolvedAddressException)
                return true;
            if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase().contains("connect"))
                return true;
        }
        return false;
    }

    private static boolean isTimeout(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof java.util.concurrent.TimeoutException)
                return true;
        }
        return false;
    }

    private static String describe(Throwable failure)
    {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root)
            root = root.getCause();
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Response serverResponse)
    {
        Attempt attempt = (Attempt) clientRequest.getAttribute(ATTEMPT_ATTRIBUTE);
        long elapsed = System.nanoTime() - attempt.startNanos;
        attempt.current().ledger().requestEnded(attempt.period, elapsed, true);
        backhand.tally().record(elapsed);
        setup.counters().record(FilterCounters.Outcome.PROXIED, attempt.current().name());
        super.onProxyResponseSuccess(clientRequest, proxyResponse, serverResponse);
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
                                          Response serverResponse, Throwable failure)
    {
        Attempt attempt = (Attempt) clientRequest.getAttribute(ATTEMPT_ATTRIBUTE);
        Member target = attempt.current();
        target.ledger().requestEnded(attempt.period, System.nanoTime() - attempt.startNanos, false);
        setup.counters().record(FilterCounters.Outcome.FAILED, target.name());
        attempt.explanation = "Backhand could not get a response from " + target.name() + " ("
            + ProxyTargets.format(target) + "): " + describe(failure);
        LOG.warn("{} {} failed on {}: {}", clientRequest.getMethod(), clientRequest.getRequestURI(), target.name(),
            describe(failure));
        super.onProxyResponseFailure(clientRequest, proxyResponse, serverResponse, failure);
    }

    @Override
    protected void sendProxyResponseError(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, int status)
    {
        Attempt attempt = (Attempt) clientRequest.getAttribute(ATTEMPT_ATTRIBUTE);
        if (attempt == null || attempt.explanation == null || proxyResponse.isCommitted())
        {
            super.sendProxyResponseError(clientRequest, proxyResponse, status);
            return;
        }
        try
        {
            proxyResponse.resetBuffer();
            proxyResponse.setStatus(status);
            proxyResponse.setHeader("Connection", "close");
            proxyResponse.setHeader("Cache-Control", "no-store");
            proxyResponse.setContentType("text/plain;charset=utf-8");
            proxyResponse.getWriter().println(attempt.explanation);
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
