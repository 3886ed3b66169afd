package io.backhand.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.backhand.stats.NodeState;
import io.backhand.node.Backhand;
import io.backhand.proxy.RequestOrigin;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that changes the cluster: {@code POST <status>/admin/drain} and {@code POST <status>/admin/ready}.
 * Off unless {@code backhand.admin=on}; then allowed from {@code backhand.adminAccess} (loopback by default,
 * and never wider), or from anywhere with {@code Authorization: Bearer <backhand.secret>}. Anything else is refused, and GET never changes anything.
 */
public class AdminServlet extends HttpServlet
{
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger("backhand.stats");
    static final String ACTION_HEADER = "X-Backhand-Admin";
    static final String ACTION_HEADER_VALUE = "1";
    private transient Backhand backhand;

    @Override
    public void init() throws ServletException
    {
        backhand = Backhand.of(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        if (!backhand.settings().admin())
        {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setHeader("Allow", "POST");
        response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Use POST to change this node's state");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        if (!backhand.settings().admin())
        {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        // A custom header cannot be sent cross-origin without a CORS preflight, which this node never grants:
        // a web page elsewhere cannot make an operator's browser drain a node on loopback.
        if (!ACTION_HEADER_VALUE.equals(request.getHeader(ACTION_HEADER)))
        {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Send the header " + ACTION_HEADER + ": " + ACTION_HEADER_VALUE);
            return;
        }
        RequestOrigin origin = RequestOrigin.of(request, backhand.marker());
        if (!allowed(request, origin))
        {
            LOG.warn("Refused an admin request from {}", origin.describe());
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Admin actions are allowed from loopback or with the shared secret");
            return;
        }
        String action = request.getPathInfo() == null ? "" : request.getPathInfo();
        NodeState target = switch (action)
        {
            case "/drain" -> NodeState.DRAINING;
            case "/ready" -> NodeState.READY;
            default -> null;
        };
        if (target == null)
        {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "Known actions: drain, ready");
            return;
        }
        NodeState before = backhand.stats().state();
        backhand.stats().setState(target);
        LOG.info("Node {} is now {} (was {}), at the request of {}", backhand.settings().nodeName(), target.word(),
            before.word(), origin.describe());
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println(backhand.settings().nodeName() + " " + target.word());
    }

    /**
     * The secret, or an address inside adminAccess; through a balancer both the balancer's and the client's
     * (adminAccess is loopback, so that means a balancer on this host, serving a client on this host).
     */
    private boolean allowed(HttpServletRequest request, RequestOrigin origin)
    {
        byte[] secret = backhand.settings().stats().secret();
        String auth = request.getHeader("Authorization");
        if (secret != null && auth != null && auth.startsWith("Bearer "))
        {
            byte[] given = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(secret, given))
                return true;
        }
        return origin.within(backhand.settings().adminAccess());
    }
}
