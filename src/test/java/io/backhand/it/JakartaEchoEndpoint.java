package io.backhand.it;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The application of {@link WebSocketStockJettyIT}'s nodes: a Jakarta WebSocket endpoint that answers every text
 * message with the node's Backhand name (its {@code backhand.nodeName} system property, from start.d), a space
 * and the message, so that a client behind the balancer can tell which node serves its session. It is found by
 * Jetty's annotation scanning in the exploded webapp the test writes, and needs nothing but the
 * {@code ee10-websocket-jakarta} module of jetty-home.
 */
@ServerEndpoint("/echo")
public class JakartaEchoEndpoint
{
    private static final String NODE = System.getProperty("backhand.nodeName", "unnamed");

    @OnMessage
    public String echo(String message)
    {
        return NODE + " " + message;
    }
}
