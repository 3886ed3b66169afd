package io.backhand.web;

import java.io.IOException;
import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The status map, mod_backhand's {@code backhand-handler}: this node's view of the cluster as an HTML page,
 * and the same data as JSON ({@code ?format=json} or {@code Accept: application/json}). Read-only.
 */
public class StatusServlet extends HttpServlet
{
    private static final long serialVersionUID = 1L;
    private transient Backhand backhand;

    @Override
    public void init() throws ServletException
    {
        backhand = Backhand.of(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        ObjectNode model = StatusModel.build(backhand);
        response.setHeader("Cache-Control", "no-store");
        if (wantsJson(request))
        {
            response.setContentType("application/json;charset=utf-8");
            StatusModel.json().writerWithDefaultPrettyPrinter().writeValue(response.getOutputStream(), model);
            return;
        }
        response.setContentType("text/html;charset=utf-8");
        PrintWriter out = response.getWriter();
        out.println("<!doctype html><html><head><meta charset=utf-8><title>Backhand: " + esc(model.get("node").asText())
            + "</title></head><body>");
        out.println("<h1>Backhand cluster map from " + esc(model.get("node").asText()) + "</h1>");
        if (!model.get("alone").isNull())
            out.println("<p class=alone>" + esc(model.get("alone").asText()) + "</p>");
        out.println("<table id=servers><thead><tr><th>server<th>address<th>state<th>age (s)<th>busy<th>idle workers"
            + "<th>load<th>cpu idle<th>arriba</tr></thead><tbody>");
        for (JsonNode s : model.get("servers"))
        {
            out.println("<tr class=\"server" + (s.get("self").asBoolean() ? " self" : "") + (s.get("stale").asBoolean() ? " stale" : "")
                + "\" data-name=\"" + esc(s.get("name").asText()) + "\"><td>" + esc(s.get("name").asText())
                + "<td>" + esc(s.get("address").asText()) + ":" + s.get("port").asInt() + "<td>" + esc(s.get("state").asText())
                + "<td>" + s.get("ageSeconds").asDouble() + "<td>" + s.get("busy").asInt() + "<td>" + s.get("workersIdle").asInt()
                + "<td>" + s.get("load").asDouble() + "<td>" + s.get("cpuIdle").asDouble() + "<td>" + s.get("arriba").asInt() + "</tr>");
        }
        out.println("</tbody></table></body></html>");
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
