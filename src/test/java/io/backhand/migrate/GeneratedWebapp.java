package io.backhand.migrate;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.backhand.demo.DemoAppServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.StatisticsHandler;

/**
 * A generated web.xml deployed the way a container deploys a WAR: written into a webapp directory and
 * started in a real Jetty {@link WebAppContext} on a loopback port. Per-node values are context init params
 * (system properties would be JVM-wide); they cannot override a context-param the web.xml declares, so the
 * network values a test must pin are rewritten in the web.xml text first, see {@link #withContextParam}.
 */
final class GeneratedWebapp implements AutoCloseable
{
    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext webapp;

    private GeneratedWebapp(Server server, ServerConnector connector, WebAppContext webapp)
    {
        this.server = server;
        this.connector = connector;
        this.webapp = webapp;
    }

    /**
     * Deploys {@code webXml} at {@code contextPath}; with {@code appName}, the server also runs an application
     * at {@code /} that answers with an {@code X-Served-By: appName} header, as an application server would.
     */
    static GeneratedWebapp deploy(Path dir, String webXml, String contextPath, Map<String, String> nodeParams,
                                  String appName) throws Exception
    {
        Path root = Files.createDirectories(dir.resolve("webapp"));
        Files.createDirectories(root.resolve("WEB-INF"));
        Files.writeString(root.resolve("WEB-INF/web.xml"), webXml);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext(root.toString(), contextPath);
        webapp.setParentLoaderPriority(true);
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setInitParameter("backhand.stateDir", dir.resolve("state").toString());
        // The arriba benchmark measures the machine; these tests do not need it, and the machine is shared.
        webapp.setInitParameter("backhand.arriba", "1000");
        nodeParams.forEach(webapp::setInitParameter);
        Handler handler = webapp;
        if (appName != null)
        {
            ServletContextHandler app = new ServletContextHandler("/");
            app.addServlet(new ServletHolder("app", new DemoAppServlet(appName)), "/");
            handler = new ContextHandlerCollection(webapp, app);
        }
        server.setHandler(new StatisticsHandler(handler));
        // No graceful stop: it would wait for the test client's idle keep-alive connections to go away.
        server.setStopTimeout(0);
        try
        {
            server.start();
        }
        catch (Exception | Error e)
        {
            server.stop();
            throw e;
        }
        return new GeneratedWebapp(server, connector, webapp);
    }

    /** The web.xml with one context-param's value replaced; fails when the web.xml does not declare it. */
    static String withContextParam(String webXml, String name, String value)
    {
        Matcher m = Pattern.compile("(<param-name>" + Pattern.quote(name) + "</param-name>\\s*<param-value>)[^<]*(</param-value>)")
            .matcher(webXml);
        if (!m.find())
            throw new AssertionError("the generated web.xml declares no context-param " + name);
        return m.replaceFirst("$1" + Matcher.quoteReplacement(value) + "$2");
    }

    URI uri(String path)
    {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    boolean isAvailable()
    {
        return webapp.isAvailable();
    }

    @Override
    public void close()
    {
        try
        {
            server.stop();
        }
        catch (Exception e)
        {
            throw new IllegalStateException("could not stop the test's Jetty", e);
        }
    }
}
