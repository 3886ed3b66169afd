package io.backhand.web;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.backhand.candidacy.ChainParser;
import io.backhand.candidacy.FunctionRegistry;
import io.backhand.cluster.StatsService;
import io.backhand.config.ConfigException;
import io.backhand.config.DescriptorLines;
import io.backhand.config.Settings;
import io.backhand.stats.Arriba;
import io.backhand.stats.HostFigures;
import io.backhand.stats.LocalSampler;
import io.backhand.stats.NodeState;
import io.backhand.node.Backhand;
import io.backhand.node.ContextTraffic;
import io.backhand.node.FilterSetup;
import io.backhand.node.GracefulLeave;
import io.backhand.node.JettyContainerProbe;
import io.backhand.node.LogLevels;
import io.backhand.node.NodeSettings;
import io.backhand.node.ProxyTally;
import io.backhand.node.SettingsRegistry;
import io.backhand.proxy.BackhandProxyServlet;
import io.backhand.proxy.BalancingFilter;
import io.backhand.proxy.RequestBuffering;
import io.backhand.proxy.ServedMarkFilter;
import io.backhand.status.AdminServlet;
import io.backhand.status.JmxBeans;
import io.backhand.status.MetricsServlet;
import io.backhand.status.StatusServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Backhand with the web context and stops it with the context. It reads and checks the whole
 * configuration first (context-params, every Backhand filter's chain and proxy settings), so that any
 * mistake stops the deployment with a message naming the parameter and the line. It then registers, for each
 * filter, the proxy servlet that serves it, and the status servlet, so that web.xml only has to declare
 * this listener and the filters.
 */
public class BackhandContextListener implements ServletContextListener
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.stats");
    static final String STATUS_SERVLET = "backhand-status";
    static final String ADMIN_SERVLET = "backhand-admin";
    /** One listener instance serves one context from start to stop, so it keeps what only it stops. */
    private final JmxBeans jmx = new JmxBeans();
    private volatile GracefulLeave leave;
    static final String METRICS_SERVLET = "backhand-metrics";

    @Override
    public void contextInitialized(ServletContextEvent event)
    {
        ServletContext context = event.getServletContext();
        try
        {
            start(context);
        }
        catch (ConfigException e)
        {
            LOG.error("Backhand configuration error in {}: {}", contextName(context), e.getMessage());
            throw e;
        }
        catch (IOException e)
        {
            throw new UncheckedIOException("Backhand could not open its stats sockets: " + e.getMessage(), e);
        }
    }

    private static String contextName(ServletContext context)
    {
        String path = context.getContextPath();
        return path.isEmpty() ? "the root context" : "context " + path;
    }

    private void start(ServletContext context) throws IOException
    {
        DescriptorLines lines = DescriptorLines.read(context.getResourceAsStream("/WEB-INF/web.xml"), "WEB-INF/web.xml");
        Set<String> paramNames = new HashSet<>(Collections.list(context.getInitParameterNames()));
        Settings settings = new Settings(System::getProperty, System.getenv(), context::getInitParameter, paramNames, lines);
        settings.rejectUnknown(SettingsRegistry.serverWideNames());
        Settings.rejectUnknownSystemProperties(System.getProperties().stringPropertyNames(), SettingsRegistry.serverWideNames());
        NodeSettings node = NodeSettings.read(settings, (File) context.getAttribute(ServletContext.TEMPDIR));
        LogLevels.apply(SettingsRegistry.LOG_LEVEL.read(settings));

        ChainParser parser = new ChainParser(FunctionRegistry.withPlugins(context.getClassLoader()), context.getClassLoader());
        List<FilterSetup> filters = new ArrayList<>();
        for (FilterRegistration reg : context.getFilterRegistrations().values())
        {
            if (isBackhandFilter(reg.getClassName(), context.getClassLoader()))
            {
                filters.add(FilterSetup.read(reg.getName(), reg.getInitParameters(), patterns(reg), parser, lines));
                RequestBuffering.mapAsyncDispatches(context, reg, lines);
            }
        }

        ContextTraffic traffic = new ContextTraffic();
        ProxyTally tally = new ProxyTally();
        AtomicReference<NodeState> state = new AtomicReference<>(NodeState.READY);
        int arriba = node.arriba() != null ? node.arriba() : Arriba.forThisMachine(node.stateDir()).arriba();
        String version = version();
        LocalSampler.Identity identity = new LocalSampler.Identity(node.nodeName(), node.hostname(), null,
            node.contactPort(), System.currentTimeMillis(), arriba, version);
        LocalSampler sampler = new LocalSampler(identity, HostFigures.forThisHost(),
            new JettyContainerProbe(context, traffic), tally, state::get);
        StatsService stats = new StatsService(node.stats(), sampler, state);
        Backhand backhand = new Backhand(node, stats, traffic, tally, version);
        for (FilterSetup f : filters)
        {
            backhand.addFilter(f);
            registerProxy(context, node, f);
        }
        registerServedMark(context);
        registerStatus(context, node, backhand);
        registerAdmin(context, node, backhand);
        context.setAttribute(Backhand.ATTRIBUTE, backhand);
        stats.start();
        jmx.register(backhand, context.getContextPath());
        leave = GracefulLeave.install(context, backhand, node.leaveGrace());
        LOG.info("Backhand {} started in {} as node {} with {} filter(s): {}", version, contextName(context),
            node.nodeName(), filters.size(), filters.stream().map(f -> f.filterName() + " " + f.urlPatterns()).toList());
    }

    private static void registerServedMark(ServletContext context)
    {
        try
        {
            FilterRegistration.Dynamic mark = context.addFilter(ServedMarkFilter.NAME, new ServedMarkFilter());
            if (mark != null)
            {
                // It is ahead of Backhand's filters, which proxy asynchronously.
                mark.setAsyncSupported(true);
                mark.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            }
        }
        catch (UnsupportedOperationException | IllegalStateException e)
        {
            LOG.info("Backhand cannot mark the responses of this webapp ({}): while it stops, balancers cannot tell "
                + "its container's 404s from the application's, and do not retry them", e.toString());
        }
    }

    private static boolean isBackhandFilter(String className, ClassLoader loader)
    {
        if (className == null)
            return false;
        // By name first: an embedded context may have no class loader of its own to look the class up with.
        if (className.equals(BackhandFilter.class.getName()) || className.equals(BalancingFilter.class.getName()))
            return true;
        try
        {
            // An embedded context may have no class loader of its own: then the classes are Backhand's.
            ClassLoader l = loader != null ? loader : BackhandContextListener.class.getClassLoader();
            return BalancingFilter.class.isAssignableFrom(Class.forName(className, false, l));
        }
        catch (ClassNotFoundException | LinkageError e)
        {
            return false;
        }
    }

    private static List<String> patterns(FilterRegistration reg)
    {
        List<String> out = new ArrayList<>(reg.getUrlPatternMappings());
        for (String servlet : reg.getServletNameMappings())
            out.add("servlet:" + servlet);
        return out;
    }

    private static void registerProxy(ServletContext context, NodeSettings node, FilterSetup f)
    {
        ServletRegistration.Dynamic proxy = context.addServlet(f.proxyServletName(), BackhandProxyServlet.class);
        if (proxy == null)
            throw new ConfigException("a servlet named " + f.proxyServletName() + " already exists; rename filter " + f.filterName());
        Map<String, String> params = new HashMap<>(f.proxyParams());
        params.put("preserveHost", "true");
        params.put("viaHost", BackhandProxyServlet.viaHost(node.nodeName()));
        params.put(BackhandProxyServlet.FILTER_PARAM, f.filterName());
        proxy.setInitParameters(params);
        proxy.setAsyncSupported(true);
        proxy.setLoadOnStartup(1);
    }

    /**
     * Maps the status servlet under {@code backhand.statusPath} (unless web.xml already declares one) and the
     * metrics servlet at {@code metrics} beneath it, and tells the filters to leave both alone: each node
     * shows its own view.
     */
    private static void registerStatus(ServletContext context, NodeSettings node, Backhand backhand)
    {
        List<String> statusPrefixes = new ArrayList<>();
        boolean statusDeclared = false;
        boolean metricsDeclared = false;
        for (ServletRegistration reg : context.getServletRegistrations().values())
        {
            if (StatusServlet.class.getName().equals(reg.getClassName()))
            {
                backhand.addStatusServlet(reg.getName());
                statusDeclared = true;
                for (String mapping : reg.getMappings())
                {
                    if (mapping.endsWith("/*"))
                        statusPrefixes.add(mapping.substring(0, mapping.length() - 2));
                }
            }
            else if (MetricsServlet.class.getName().equals(reg.getClassName()))
            {
                backhand.addStatusServlet(reg.getName());
                metricsDeclared = true;
            }
        }
        if (!statusDeclared)
        {
            ServletRegistration.Dynamic status = context.addServlet(STATUS_SERVLET, StatusServlet.class);
            if (status == null)
                throw new ConfigException("a servlet named " + STATUS_SERVLET
                    + " already exists; Backhand needs the name for its status page");
            String path = node.statusPath();
            status.addMapping(path.isEmpty() ? "/*" : path + "/*");
            status.setAsyncSupported(true);
            backhand.addStatusServlet(STATUS_SERVLET);
            statusPrefixes.add(path);
        }
        if (metricsDeclared || statusPrefixes.isEmpty())
            return;
        ServletRegistration.Dynamic metrics = context.addServlet(METRICS_SERVLET, MetricsServlet.class);
        if (metrics == null)
            throw new ConfigException("a servlet named " + METRICS_SERVLET
                + " already exists; Backhand needs the name for its metrics");
        for (String prefix : statusPrefixes)
            metrics.addMapping(prefix + "/metrics");
        backhand.addStatusServlet(METRICS_SERVLET);
    }

    private static void registerAdmin(ServletContext context, NodeSettings node, Backhand backhand)
    {
        ServletRegistration.Dynamic admin = context.addServlet(ADMIN_SERVLET, AdminServlet.class);
        if (admin == null)
            throw new ConfigException("a servlet named " + ADMIN_SERVLET + " already exists");
        admin.addMapping(node.statusPath() + "/admin/*");
        backhand.addStatusServlet(ADMIN_SERVLET);
    }

    static String version()
    {
        try (InputStream in = BackhandContextListener.class.getResourceAsStream("/io/backhand/version.properties"))
        {
            Properties p = new Properties();
            if (in != null)
                p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("$") ? "dev" : v;
        }
        catch (IOException e)
        {
            return "dev";
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event)
    {
        Object b = event.getServletContext().getAttribute(Backhand.ATTRIBUTE);
        if (b instanceof Backhand backhand)
        {
            jmx.unregister();
            if (leave != null)
            {
                // Normally done already, when Jetty began to stop the webapp; this covers containers that do not
                // tell us, then removes the hooks.
                leave.leave();
                leave.uninstall();
            }
            backhand.stats().close();
            event.getServletContext().removeAttribute(Backhand.ATTRIBUTE);
        }
    }
}
