package io.backhand.status;

import java.io.IOException;

import io.backhand.cluster.AcceptStats;
import io.backhand.node.ProxyMarker;
import io.backhand.proxy.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Who may see the status map and the metrics: clients whose address is inside {@code backhand.statusAccess}
 * (by default loopback plus the AcceptStats ranges). The page names every server, address and chain of the
 * cluster, so anyone else gets 403 and nothing more. A request a trusted balancer proxied here is judged by
 * the client's address as well as the balancer's ({@link RequestOrigin}): the balancer being inside the
 * ranges must not let in every client it serves.
 */
final class StatusAccess
{
    private final AcceptStats ranges;
    private final ProxyMarker marker;

    StatusAccess(AcceptStats ranges, ProxyMarker marker)
    {
        this.ranges = ranges;
        this.marker = marker;
    }

    /**
     * Whether the client may see the status. Only a literal address is ever checked, so that an odd value
     * from a connector can neither trigger a DNS lookup nor be let in by one.
     */
    boolean allows(HttpServletRequest request)
    {
        return RequestOrigin.of(request, marker).within(ranges);
    }

    /**
     * Answers 403 unless the client may see the status; returns whether it may.
     */
    boolean check(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        if (allows(request))
            return true;
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println("403 Forbidden: this address may not see the Backhand status (backhand.statusAccess).");
        return false;
    }
}
