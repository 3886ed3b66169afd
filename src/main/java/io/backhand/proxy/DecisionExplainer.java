package io.backhand.proxy;

import java.net.InetAddress;

import io.backhand.candidacy.DecisionTrace;
import io.backhand.cluster.AcceptStats;
import io.backhand.node.DecisionLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Explains decisions to whoever may see the status: a request carrying {@value #ASK} from an address inside
 * {@code backhand.statusAccess} gets its chain's trace back in {@value #ANSWER}, and the filter's
 * {@link DecisionLog} keeps it for the status page, along with one sampled decision a second. From anywhere
 * else the header is ignored (the trace names every server of the cluster, as the status page does).
 *
 * <p>The address judged is the connection's peer as the servlet API gives it, the same one the status page
 * judges: a request a trusted peer proxied here is served here and never decided again, so no forwarded
 * address is ever believed for this.</p>
 */
final class DecisionExplainer
{
    /** The request header that asks for the trace; any value. */
    static final String ASK = "X-Backhand-Explain";
    /** The response header that carries it. */
    static final String ANSWER = "X-Backhand-Decision";

    /** The request attribute that keeps the answer's trace for {@link #restore}. */
    private static final String LINE = DecisionExplainer.class.getName() + ".line";

    private final AcceptStats access;
    private final DecisionLog log;

    DecisionExplainer(AcceptStats access, DecisionLog log)
    {
        this.access = access;
        this.log = log;
    }

    /** Whether this request asked for its trace and may have it. */
    boolean asked(HttpServletRequest request)
    {
        return request.getHeader(ASK) != null && allowed(request.getRemoteAddr());
    }

    /** Whether to trace a decision nobody asked about, for the status page's list. */
    boolean sampleDue(long nowNanos)
    {
        return log.sampleDue(nowNanos);
    }

    /** Keeps the trace for the status page and, when the client asked, answers with it. */
    void explained(HttpServletRequest request, HttpServletResponse response, DecisionTrace trace, boolean asked)
    {
        log.add(new DecisionLog.Entry(System.currentTimeMillis(), request.getMethod(), request.getRequestURI(), asked, trace));
        if (asked)
        {
            String line = trace.line();
            response.setHeader(ANSWER, line);
            request.setAttribute(LINE, line);
        }
    }

    /**
     * Puts the trace back on an answer the proxy has just reset (a retry on the next server, or an error of
     * our own): the decision it explains still stands.
     */
    static void restore(HttpServletRequest request, HttpServletResponse response)
    {
        if (request.getAttribute(LINE) instanceof String line)
            response.setHeader(ANSWER, line);
    }

    /** Only a literal address is checked, so that an odd value can neither trigger a DNS lookup nor pass by one. */
    private boolean allowed(String remoteAddr)
    {
        InetAddress a = RequestOrigin.literal(remoteAddr);
        return a != null && access.accepts(a);
    }
}
