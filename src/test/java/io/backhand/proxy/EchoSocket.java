package io.backhand.proxy;

import io.backhand.demo.EmbeddedNode;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

/**
 * A WebSocket echo endpoint at {@code /echo} of an embedded node: each text message comes back prefixed with
 * the node's name, so that the client can tell which node served its session; the message {@code via?}
 * comes back with the Via, Host, X-Forwarded-For and marker headers the upgrade request reached the node with.
 */
@WebSocket
public final class EchoSocket
{
    static final String PATH = "/echo";

    private final String node;
    private final String via;
    private final String marker;
    private final String host;
    private final String forwardedFor;

    private EchoSocket(String node, String via, String marker, String host, String forwardedFor)
    {
        this.node = node;
        this.via = via;
        this.marker = marker;
        this.host = host;
        this.forwardedFor = forwardedFor;
    }

    /** Adds the endpoint to a node that is built but not started. */
    static void install(EmbeddedNode n)
    {
        JettyWebSocketServletContainerInitializer.configure(n.context(), (context, container) ->
            container.addMapping(PATH, (request, response) ->
                new EchoSocket(n.name(), request.getHeader("Via"), request.getHeader("X-Backhand-Proxied"),
                    request.getHeader("Host"), request.getHeader("X-Forwarded-For"))));
    }

    @OnWebSocketMessage
    public void onText(Session session, String message)
    {
        String reply = message.equals("via?")
            ? node + " via=" + via + " host=" + host + " xff=" + forwardedFor + " marker=" + (marker != null)
            : node + " " + message;
        session.sendText(reply, Callback.NOOP);
    }
}
