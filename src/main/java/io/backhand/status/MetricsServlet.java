package io.backhand.status;

import io.backhand.node.Backhand;

import java.io.IOException;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The status map for Prometheus, at {@code <statusPath>/metrics}, in the text exposition format written by
 * Prometheus' own Java client. Each context has its own registry: several Backhand contexts (or tests'
 * nodes) in one JVM never share or clash over metrics, and nothing is registered JVM-wide. Same access rule
 * as the page.
 */
public class MetricsServlet extends GuardedServlet
{
    private static final long serialVersionUID = 1L;
    private transient PrometheusRegistry registry;
    private transient PrometheusTextFormatWriter writer;

    @Override
    protected void start(Backhand backhand)
    {
        registry = new PrometheusRegistry();
        registry.register(new ClusterMetrics(backhand));
        writer = PrometheusTextFormatWriter.create();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(writer.getContentType());
        writer.write(response.getOutputStream(), registry.scrape());
    }
}
