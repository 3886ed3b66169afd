package io.backhand.status;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.backhand.cluster.AcceptStats;
import io.backhand.cluster.Endpoints;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Who may see the status map and the metrics: clients whose address is inside {@code backhand.statusAccess}
 * (by default loopback plus the AcceptStats ranges). The page names every server, address and chain of the
 * cluster, so anyone else gets 403 and nothing more.
 */
final class StatusAccess
{
    private final AcceptStats ranges;

    StatusAccess(AcceptStats ranges)
    {
        this.ranges = ranges;
    }

    /**
     * Whether the client may see the status. Only a literal address is ever checked, so that an odd value
     * from a connector can neither trigger a DNS lookup nor be let in by one.
     */
    boolean allows(HttpServletRequest request)
    {
        InetAddress client = literal(request.getRemoteAddr());
        return client != null && ranges.accepts(client);
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

    static InetAddress literal(String address)
    {
        if (address == null)
            return null;
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]"))
            a = a.substring(1, a.length() - 1);
        if (!Endpoints.isLiteral(a))
            return null;
        try
        {
            return InetAddress.getByName(a);
        }
        catch (UnknownHostException e)
        {
            return null;
        }
    }
}
