package io.backhand.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.backhand.cluster.AcceptStats;
import io.backhand.cluster.Endpoints;
import io.backhand.node.ProxyMarker;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a request came from, for deciding who may see the status or act as admin. The TCP peer of a request
 * that a trusted balancer proxied here (its marker verified) is that balancer, not the client: such a request
 * is judged by both, the balancer that passed it on and the client the balancer names, so that a balancer
 * cannot lend its own address to a client it serves. A request with no marker, or one this node does not
 * believe, is judged by its peer alone.
 *
 * <p>A client that the balancer saw on loopback is on the balancer's host: its address here is the
 * balancer's, since another host's loopback is not this one's. Only literal addresses are ever looked at, so
 * that a header can neither trigger a DNS lookup nor be let in by one; a proxied request whose client address
 * is not a literal is let in nowhere.</p>
 *
 * @param peer    the TCP peer, or null when the connector gave no literal address
 * @param client  the client as far as this node can tell, or null when unknown
 * @param proxied whether a trusted balancer passed the request on
 */
public record RequestOrigin(InetAddress peer, InetAddress client, boolean proxied)
{
    public static RequestOrigin of(HttpServletRequest request, ProxyMarker marker)
    {
        InetAddress peer = literal(request.getRemoteAddr());
        if (marker.verify(request, System.currentTimeMillis()) != ProxyMarker.Trust.TRUSTED)
            return new RequestOrigin(peer, peer, false);
        InetAddress client = literal(ClientIdentityRequest.last(request.getHeader("X-Forwarded-For")));
        if (client != null && peer != null && client.isLoopbackAddress() && !peer.isLoopbackAddress())
            client = peer;
        return new RequestOrigin(peer, client, true);
    }

    /** Whether both the peer and the client lie inside {@code ranges}. */
    public boolean within(AcceptStats ranges)
    {
        return peer != null && client != null && ranges.accepts(peer) && ranges.accepts(client);
    }

    /** The client for a log line, with the balancer that passed it on. */
    public String describe()
    {
        String c = client == null ? "an unknown client" : client.getHostAddress();
        return proxied ? c + " (through " + (peer == null ? "?" : peer.getHostAddress()) + ")" : c;
    }

    static InetAddress literal(String address)
    {
        if (address == null)
            return null;
        String a = ProxyMarker.stripBrackets(address.strip());
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
