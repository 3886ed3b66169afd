package io.backhand.config;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Line numbers of the parameters declared in a web.xml, so that an error about a value can point at the
 * line the operator has to edit. The servlet API hands us values without their position, hence this
 * second, read-only pass over the descriptor.
 */
public final class DescriptorLines
{
    private static final DescriptorLines NONE = new DescriptorLines(Map.of(), null);

    private final Map<String, Integer> lines;
    private final String file;

    private DescriptorLines(Map<String, Integer> lines, String file)
    {
        this.lines = lines;
        this.file = file;
    }

    public static DescriptorLines none()
    {
        return NONE;
    }

    /** Reads the descriptor; a descriptor we cannot read only costs us the line numbers. */
    public static DescriptorLines read(InputStream in, String file)
    {
        if (in == null)
            return NONE;
        Map<String, Integer> found = new HashMap<>();
        try (in)
        {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.newSAXParser().parse(in, new DefaultHandler()
            {
                private Locator locator;
                private final StringBuilder text = new StringBuilder();
                private String scope;
                private String filterName;
                private String currentParam;
                private int paramLine;
                private int valueLine;

                @Override
                public void setDocumentLocator(Locator locator)
                {
                    this.locator = locator;
                }

                @Override
                public void startElement(String uri, String localName, String qName, Attributes attributes)
                {
                    text.setLength(0);
                    switch (localName)
                    {
                        case "context-param" -> scope = "context";
                        case "filter" -> { scope = "filter"; filterName = null; }
                        case "servlet" -> { scope = "servlet"; filterName = null; }
                        case "param-name" -> paramLine = locator.getLineNumber();
                        case "param-value" -> valueLine = locator.getLineNumber();
                        default -> { }
                    }
                }

                @Override
                public void characters(char[] ch, int start, int length)
                {
                    text.append(ch, start, length);
                }

                @Override
                public void endElement(String uri, String localName, String qName)
                {
                    String value = text.toString().trim();
                    switch (localName)
                    {
                        case "filter-name", "servlet-name" -> filterName = value;
                        case "param-name" -> currentParam = value;
                        case "param-value" -> valueLine += leadingNewlines(text);
                        case "init-param", "context-param" ->
                        {
                            if (currentParam != null && "context".equals(scope))
                                found.putIfAbsent(contextKey(currentParam), paramLine);
                            else if (currentParam != null && filterName != null)
                            {
                                found.putIfAbsent(filterKey(filterName, currentParam), paramLine);
                                found.putIfAbsent(filterKey(filterName, currentParam) + " value", valueLine);
                            }
                            currentParam = null;
                            if (localName.equals("context-param"))
                                scope = null;
                        }
                        case "filter", "servlet" -> scope = null;
                        default -> { }
                    }
                    text.setLength(0);
                }
            });
        }
        catch (Exception e)
        {
            return new DescriptorLines(found, file);
        }
        return new DescriptorLines(found, file);
    }

    /** Containers trim values, so the first line of a value is where its first non-blank character is. */
    private static int leadingNewlines(CharSequence raw)
    {
        int n = 0;
        for (int i = 0; i < raw.length() && Character.isWhitespace(raw.charAt(i)); i++)
        {
            if (raw.charAt(i) == '\n')
                n++;
        }
        return n;
    }

    private static String contextKey(String param)
    {
        return "context-param " + param;
    }

    private static String filterKey(String filter, String param)
    {
        return "filter " + filter + " init-param " + param;
    }

    /** "WEB-INF/web.xml line 12" or null when unknown. */
    public String contextParam(String name)
    {
        return where(lines.get(contextKey(name)));
    }

    public String filterParam(String filter, String name)
    {
        return where(lines.get(filterKey(filter, name)));
    }

    /** The web.xml line where a filter init-param's value starts, or 0 when unknown. */
    public int filterValueLine(String filter, String name)
    {
        Integer line = lines.get(filterKey(filter, name) + " value");
        return line == null ? 0 : line;
    }

    public String file()
    {
        return file == null ? "web.xml" : file;
    }

    private String where(Integer line)
    {
        if (line == null)
            return null;
        return (file == null ? "web.xml" : file) + " line " + line;
    }
}
