package io.backhand.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * One client WebSocket session to an echo endpoint that prefixes each reply with its node's name ({@link EchoSocket},
 * or the Jakarta one that io.backhand.it deploys in jetty-home): sends text, takes replies in order, sees how it ended.
 */
public final class EchoClient extends Session.Listener.AbstractAutoDemanding
{
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    /** The close code (1006 for a connection that ended without a close frame), or -1 after an error. */
    public final CompletableFuture<Integer> ended = new CompletableFuture<>();

    static EchoClient connect(WebSocketClient client, int port) throws Exception
    {
        EchoClient echo = new EchoClient();
        client.connect(echo, URI.create("ws://127.0.0.1:" + port + EchoSocket.PATH)).get(30, TimeUnit.SECONDS);
        return echo;
    }

    /** A session whose handshake carries {@code Cookie: <cookie>}. */
    static EchoClient connect(WebSocketClient client, int port, String cookie) throws Exception
    {
        EchoClient echo = new EchoClient();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Cookie", cookie);
        client.connect(echo, URI.create("ws://127.0.0.1:" + port + EchoSocket.PATH), request).get(30, TimeUnit.SECONDS);
        return echo;
    }

    static CompletableFuture<EchoClient> connectAsync(WebSocketClient client, int port) throws Exception
    {
        return connectAsync(client, URI.create("ws://127.0.0.1:" + port + EchoSocket.PATH));
    }

    public static CompletableFuture<EchoClient> connectAsync(WebSocketClient client, URI uri) throws Exception
    {
        EchoClient echo = new EchoClient();
        return client.connect(echo, uri).thenApply(s -> echo);
    }

    public void send(String text)
    {
        getSession().sendText(text, Callback.NOOP);
    }

    /** The next reply, or null if none came within the timeout. */
    public String reply(Duration timeout) throws InterruptedException
    {
        return replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends {@code text} and returns the reply's first word: the node that served it. */
    public String nodeOf(String text) throws InterruptedException
    {
        send(text);
        String r = reply(Duration.ofSeconds(30));
        if (r == null)
            throw new AssertionError("no echo of " + text);
        return r.substring(0, r.indexOf(' '));
    }

    public void close()
    {
        if (isOpen())
            getSession().close();
    }

    @Override
    public void onWebSocketText(String message)
    {
        replies.add(message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason)
    {
        ended.complete(statusCode);
    }

    @Override
    public void onWebSocketError(Throwable cause)
    {
        ended.complete(-1);
    }
}
