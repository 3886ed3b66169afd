package io.backhand.status;

import io.backhand.node.Backhand;
import io.backhand.proxy.ServletRequestView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The status map, mod_backhand's {@code backhand-handler}: this node's view of the cluster as a page that
 * redraws itself every second from the JSON, and the same data as JSON ({@code ?format=json} or
 * {@code Accept: application/json}). Only clients inside {@code backhand.statusAccess} see it. Read-only:
 * it answers GET and HEAD, and nothing it serves can change the cluster.
 */
public class StatusServlet extends GuardedServlet
{
    private static final long serialVersionUID = 1L;
    static final String ASSETS = "/assets/";
    /** Everything the page uses comes from here: no CDN, no other origin, no inline script. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private transient Backhand backhand;
    private transient StatusAssets assets;

    @Override
    protected void start(Backhand backhand)
    {
        this.backhand = backhand;
        assets = new StatusAssets();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        String path = request.getPathInfo();
        if (path == null)
        {
            // Under /backhand without the slash, the page's relative links would point one level too high.
            String query = request.getQueryString();
            response.sendRedirect(request.getRequestURI() + "/" + (query == null ? "" : "?" + query));
            return;
        }
        if (path.startsWith(ASSETS) && assets.serve(path.substring(ASSETS.length()), request, response))
            return;
        if (!path.equals("/"))
        {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        StatusModel model = StatusModel.build(backhand);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (wantsJson(request))
        {
            response.setContentType("application/json;charset=utf-8");
            StatusModel.json().writeValue(response.getOutputStream(), model);
            return;
        }
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setContentType("text/html;charset=utf-8");
        String page = assets.page()
            .replace("{{node}}", esc(model.node()))
            .replace("{{version}}", esc(model.version()))
            .replace("{{fingerprint}}", assets.fingerprint());
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static boolean wantsJson(HttpServletRequest request)
    {
        if ("json".equals(ServletRequestView.parameter(request.getQueryString(), "format", '&')))
            return true;
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    static String esc(String s)
    {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray())
        {
            switch (c)
            {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
