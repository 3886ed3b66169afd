package io.backhand.migrate;

import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Migration} as a deployable web.xml: Servlet 6.0, the context listener that starts
 * Backhand, one asynchronous {@code BackhandFilter} per converted block, and every finding as a comment
 * beside what it concerns.
 */
public final class WebXmlWriter
{
    static final String LISTENER = "io.backhand.web.BackhandContextListener";
    static final String FILTER = "io.backhand.web.BackhandFilter";

    private WebXmlWriter()
    {
    }

    public static String write(Migration m)
    {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<!--\n");
        comment(x, "  ", "Backhand for Jetty: web.xml converted by bin/backhand-migrate from " + m.source() + ".");
        comment(x, "  ", "Context-params are shared by every node; each node's own values are in its start.d ini, whose "
            + "system properties override these. docs/configuration.md describes every name; docs/from-mod_backhand.md "
            + "the conversion.");
        if (m.ignored() > 0)
            comment(x, "  ", m.ignored() + " directive(s) and section(s) of other modules were left alone.");
        if (!m.warnings().isEmpty())
        {
            x.append("\n");
            comment(x, "  ", "Warnings: what has no exact equivalent. Read them before deploying.");
            for (Finding f : m.warnings())
                comment(x, "   - ", f.toString());
        }
        List<Finding> notes = m.findings().stream().filter(f -> f.kind() == Finding.Kind.NOTE)
            .filter(f -> m.filters().stream().noneMatch(p -> p.findings().contains(f))).toList();
        if (!notes.isEmpty())
        {
            x.append("\n");
            comment(x, "  ", "Notes: how the rest was translated (the filters' own notes are beside them).");
            for (Finding f : notes)
                comment(x, "   - ", f.toString());
        }
        x.append("-->\n");
        x.append("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\"\n");
        x.append("         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n");
        x.append("         xsi:schemaLocation=\"https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd\"\n");
        x.append("         version=\"6.0\" metadata-complete=\"true\">\n\n");
        x.append("  <display-name>Backhand</display-name>\n\n");
        for (Map.Entry<String, Migration.Param> p : m.contextParams().entrySet())
        {
            x.append("  <!-- ").append(commentText("From " + p.getValue().origin() + ".")).append(" -->\n");
            x.append("  <context-param>\n");
            x.append("    <param-name>").append(escape(p.getKey())).append("</param-name>\n");
            x.append("    <param-value>").append(value(p.getValue().value(), "      ")).append("</param-value>\n");
            x.append("  </context-param>\n\n");
        }
        x.append("  <!-- Starts the stats plane and registers the proxy and status servlets. -->\n");
        x.append("  <listener>\n    <listener-class>").append(LISTENER).append("</listener-class>\n  </listener>\n");
        for (FilterPlan f : m.filters())
            filter(x, f, m.findings());
        x.append("</web-app>\n");
        return x.toString();
    }

    private static void filter(StringBuilder x, FilterPlan f, List<Finding> findings)
    {
        x.append("\n  <!--\n");
        comment(x, "    ", f.block() + (f.line() > 0 ? ", line " + f.line() : "") + ".");
        if (f.urlPatterns().isEmpty() && f.deployable())
            comment(x, "    ", "NOT MAPPED: no url-pattern can say what this block matched; add <filter-mapping>s by hand.");
        for (Finding finding : f.findings())
            comment(x, "    ", finding.toString());
        for (Finding finding : findings)
        {
            if (finding.message().startsWith("filters ") && finding.message().contains(" " + f.name() + " "))
                comment(x, "    ", finding.toString());
        }
        x.append("  -->\n");
        StringBuilder body = new StringBuilder();
        body.append("  <filter>\n");
        body.append("    <filter-name>").append(escape(f.name())).append("</filter-name>\n");
        body.append("    <filter-class>").append(FILTER).append("</filter-class>\n");
        body.append("    <async-supported>true</async-supported>\n");
        body.append("    <init-param>\n");
        body.append("      <param-name>candidacy</param-name>\n");
        body.append("      <param-value>").append(value(String.join("\n", f.chain()), "        ")).append("</param-value>\n");
        body.append("    </init-param>\n");
        body.append("  </filter>\n");
        if (!f.urlPatterns().isEmpty())
        {
            body.append("  <filter-mapping>\n");
            body.append("    <filter-name>").append(escape(f.name())).append("</filter-name>\n");
            for (String p : f.urlPatterns())
                body.append("    <url-pattern>").append(escape(p)).append("</url-pattern>\n");
            body.append("  </filter-mapping>\n");
        }
        if (f.deployable())
        {
            x.append(body);
        }
        else
        {
            x.append("  <!-- Commented out: no candidacy function is left until the BackhandFromSO lines are ported.\n");
            x.append(commentText(body.toString()));
            x.append("  -->\n");
        }
    }

    /** A value on one line, or several lines indented under the tag, as the project's own web.xml writes chains. */
    private static String value(String v, String indent)
    {
        if (!v.contains("\n"))
            return escape(v);
        StringBuilder b = new StringBuilder("\n");
        for (String line : v.split("\n"))
            b.append(indent).append(escape(line)).append('\n');
        return b.append(indent, 0, indent.length() - 2).toString();
    }

    private static void comment(StringBuilder x, String prefix, String text)
    {
        String indent = " ".repeat(prefix.length());
        String first = prefix;
        for (String line : wrap(commentText(text), 110 - prefix.length()))
        {
            x.append(first).append(line).append('\n');
            first = indent;
        }
    }

    static List<String> wrap(String text, int width)
    {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" "))
        {
            if (line.length() > 0 && line.length() + 1 + word.length() > width)
            {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0)
                line.append(' ');
            line.append(word);
        }
        if (line.length() > 0)
            out.add(line.toString());
        return out;
    }

    /** XML comments may not hold "--"; text from httpd.conf could. */
    static String commentText(String s)
    {
        String t = s;
        while (t.contains("--"))
            t = t.replace("--", "- -");
        return t.endsWith("-") ? t + " " : t;
    }

    static String escape(String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
