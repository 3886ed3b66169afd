package io.backhand.demo;

import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

import io.backhand.web.BackhandContextListener;
import io.backhand.web.BackhandFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One node of an embedded cluster: a real Jetty server on a loopback port running Backhand as an application
 * would (the symmetric topology: listener and filter declared by the application), with settings given as
 * context-params so that several nodes can live in one JVM. The launcher and the tests use it.
 */
public final class EmbeddedNode implements AutoCloseable
{
    private final String name;
    private final Server server;
    private final ServerConnector connector;
    private final HttpServlet app;
    private final ServletContextHandler context;

    private EmbeddedNode(Builder b)
    {
        this.name = b.name;
        QueuedThreadPool pool = new QueuedThreadPool(b.maxThreads, 8);
        pool.setName("node-" + b.name);
        server = new Server(pool);
        // With a TLS configuration the node's only port speaks HTTPS, and it announces itself as secure.
        connector = b.tls == null ? new ServerConnector(server, 1, 1) : new ServerConnector(server, 1, 1, b.tls);
        connector.setHost(b.host);
        connector.setPort(b.port);
        server.addConnector(connector);
        context = new ServletContextHandler("/");
        Map<String, String> params = new LinkedHashMap<>(b.params);
        params.putIfAbsent("backhand.nodeName", b.name);
        params.forEach(context::setInitParameter);
        context.addEventListener(new BackhandContextListener());
        if (b.chain != null)
        {
            FilterHolder filter = new FilterHolder(BackhandFilter.class);
            filter.setName("backhand");
            filter.setAsyncSupported(true);
            filter.setInitParameter("candidacy", b.chain);
            b.filterParams.forEach(filter::setInitParameter);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        app = b.app != null ? b.app : new DemoAppServlet(b.name);
        ServletHolder holder = new ServletHolder("app", app);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/");
        // The server-wide StatisticsHandler is what lets a node announce every request it is working on.
        server.setHandler(new StatisticsHandler(context));
        // Jetty's session worker name, which Backhand announces so that bySession can find a session's owner.
        DefaultSessionIdManager sessions = new DefaultSessionIdManager(server);
        sessions.setWorkerName(b.name.replaceAll("[^A-Za-z0-9]", ""));
        server.addBean(sessions);
        server.setStopTimeout(b.stopTimeoutMillis);
        // Idle keep-alive connections are closed this long into a stop; left at Jetty's default (1 s) it
        // equals the stop timeout, and a client that used the node just before makes the stop time out.
        connector.setShutdownIdleTimeout(Math.max(1, b.stopTimeoutMillis / 4));
    }

    public static Builder builder(String name)
    {
        return new Builder(name);
    }

    public EmbeddedNode start() throws Exception
    {
        server.start();
        return this;
    }

    public String name()
    {
        return name;
    }

    public int port()
    {
        return connector.getLocalPort();
    }

    public URI uri()
    {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    public URI statusUri()
    {
        return uri().resolve("backhand/");
    }

    public HttpServlet app()
    {
        return app;
    }

    /** Requests the demo application on this node has served. */
    public long served()
    {
        return app instanceof DemoAppServlet d ? d.served() : -1;
    }

    public Server server()
    {
        return server;
    }

    public ServletContextHandler context()
    {
        return context;
    }

    public boolean isRunning()
    {
        return server.isRunning();
    }

    /**
     * Stops the node, waiting up to the stop timeout for requests in flight. A graceful stop that times out
     * (clients holding idle keep-alive connections) still stops the server; that is not an error here.
     */
    @Override
    public void close() throws Exception
    {
        try
        {
            server.stop();
        }
        catch (Exception e)
        {
            if (!server.isStopped())
                throw e;
        }
    }

    public static final class Builder
    {
        private final String name;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, String> filterParams = new LinkedHashMap<>();
        private String chain;
        private String host = "127.0.0.1";
        private int port;
        private int maxThreads = 64;
        // Above Jetty's one-second shutdown idle timeout, so that clients' idle keep-alive connections are closed
        // by Jetty within the graceful stop rather than racing it.
        private long stopTimeoutMillis = 2000;
        private HttpServlet app;
        private SslContextFactory.Server tls;

        private Builder(String name)
        {
            this.name = name;
        }

        /** A context-param, as web.xml would give it. */
        public Builder param(String key, String value)
        {
            params.put(key, value);
            return this;
        }

        /** Makes this node balance every request with {@code chain}. */
        public Builder balance(String chain)
        {
            this.chain = chain;
            return this;
        }

        public Builder filterParam(String key, String value)
        {
            filterParams.put(key, value);
            return this;
        }

        public Builder port(int port)
        {
            this.port = port;
            return this;
        }

        public Builder host(String host)
        {
            this.host = host;
            return this;
        }

        public Builder maxThreads(int n)
        {
            this.maxThreads = n;
            return this;
        }

        public Builder stopTimeout(long millis)
        {
            this.stopTimeoutMillis = millis;
            return this;
        }

        public Builder app(HttpServlet servlet)
        {
            this.app = servlet;
            return this;
        }

        /** Serves HTTPS instead of HTTP on the node's port. */
        public Builder tls(SslContextFactory.Server serverTls)
        {
            this.tls = serverTls;
            return this;
        }

        public EmbeddedNode build()
        {
            return new EmbeddedNode(this);
        }

        public EmbeddedNode start() throws Exception
        {
            return build().start();
        }
    }
}
