package io.backhand.migrate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads httpd.conf syntax into a tree: one directive per logical line (a trailing backslash continues it),
 * {@code #} comments on lines of their own, arguments in double or single quotes, and {@code <Section>}
 * blocks that must be closed by a matching {@code </Section>}. It knows nothing of what directives mean.
 *
 * <p>It refuses text that is not httpd.conf, naming the line: a converter that skipped a prose line could
 * as well skip a misspelt directive. Text copied from a wiki gets its own message, since wiki link markup
 * ({@code MulticastStats?}, {@code <!IfModule?>}) is the usual way such text arrives.</p>
 */
final class HttpdConfParser
{
    private static final String NAME = "[A-Za-z][A-Za-z0-9_]*";

    private record Open(String name, List<String> args, int line, List<ConfNode> children)
    {
    }

    private HttpdConfParser()
    {
    }

    static List<ConfNode> parse(String text) throws MigrationException
    {
        List<ConfNode> top = new ArrayList<>();
        Deque<Open> open = new ArrayDeque<>();
        String[] physical = text.split("\\R", -1);
        int i = 0;
        while (i < physical.length)
        {
            int lineNo = i + 1;
            StringBuilder logical = new StringBuilder();
            String part = physical[i++];
            while (part.endsWith("\\") && i < physical.length)
            {
                logical.append(part, 0, part.length() - 1).append(' ');
                part = physical[i++];
            }
            logical.append(part.endsWith("\\") ? part.substring(0, part.length() - 1) : part);
            String line = logical.toString().strip();
            if (line.isEmpty() || line.startsWith("#"))
                continue;
            List<ConfNode> siblings = open.isEmpty() ? top : open.peek().children();
            if (line.startsWith("</"))
            {
                String name = closingName(line, lineNo);
                if (open.isEmpty())
                    throw new MigrationException(lineNo, "</" + name + "> closes a section, but no section is open here");
                Open o = open.pop();
                if (!o.name().equalsIgnoreCase(name))
                    throw new MigrationException(lineNo, "</" + name + "> does not close <" + o.name() + "> opened at line "
                        + o.line() + "; expected </" + o.name() + ">");
                List<ConfNode> parent = open.isEmpty() ? top : open.peek().children();
                parent.add(new ConfNode.Section(o.name(), o.args(), o.line(), List.copyOf(o.children())));
            }
            else if (line.startsWith("<"))
            {
                if (!line.endsWith(">"))
                    throw new MigrationException(lineNo, "the section tag '" + line + "' has no closing '>'");
                List<String> words = words(line.substring(1, line.length() - 1), lineNo);
                if (words.isEmpty())
                    throw new MigrationException(lineNo, "'" + line + "' is an empty section tag");
                checkName(words.get(0), lineNo, true);
                open.push(new Open(words.get(0), List.copyOf(words.subList(1, words.size())), lineNo, new ArrayList<>()));
            }
            else
            {
                List<String> words = words(line, lineNo);
                checkName(words.get(0), lineNo, false);
                siblings.add(new ConfNode.Directive(words.get(0), List.copyOf(words.subList(1, words.size())), lineNo));
            }
        }
        if (!open.isEmpty())
        {
            Open o = open.peek();
            throw new MigrationException(o.line(), "<" + o.name() + (o.args().isEmpty() ? "" : " " + String.join(" ", o.args()))
                + "> is never closed; expected </" + o.name() + "> before the end of the file");
        }
        return List.copyOf(top);
    }

    private static String closingName(String line, int lineNo) throws MigrationException
    {
        if (!line.endsWith(">"))
            throw new MigrationException(lineNo, "the closing tag '" + line + "' has no '>'");
        String name = line.substring(2, line.length() - 1).strip();
        checkName(name, lineNo, true);
        return name;
    }

    private static void checkName(String word, int lineNo, boolean section) throws MigrationException
    {
        if (word.matches(NAME))
            return;
        String unwikied = word.replaceAll("^!+", "").replaceAll("\\?+$", "");
        if (!unwikied.equals(word) && unwikied.matches(NAME))
            throw new MigrationException(lineNo, "'" + word + "' is wiki link markup, not " + (section ? "a section name" : "a directive")
                + " (wikis add '?' after and '!' before words they take for page names); this text seems copied from a "
                + "wiki page: write " + unwikied + " and keep only the httpd.conf lines");
        throw new MigrationException(lineNo, "'" + word + "' is not " + (section ? "a section name" : "a directive name")
            + " (letters, digits and _); is this an httpd.conf file?");
    }

    /** Splits on blanks; "double" or 'single' quotes group words, and a backslash escapes a quote inside them. */
    static List<String> words(String text, int lineNo) throws MigrationException
    {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n)
        {
            char c = text.charAt(i);
            if (Character.isWhitespace(c))
            {
                i++;
                continue;
            }
            StringBuilder w = new StringBuilder();
            if (c == '"' || c == '\'')
            {
                int start = i++;
                boolean closed = false;
                while (i < n)
                {
                    char d = text.charAt(i++);
                    if (d == '\\' && i < n && (text.charAt(i) == c || text.charAt(i) == '\\'))
                    {
                        w.append(text.charAt(i++));
                    }
                    else if (d == c)
                    {
                        closed = true;
                        break;
                    }
                    else
                    {
                        w.append(d);
                    }
                }
                if (!closed)
                    throw new MigrationException(lineNo, "the quote " + c + " opened at '" + text.substring(start) + "' is never closed");
            }
            else
            {
                while (i < n && !Character.isWhitespace(text.charAt(i)))
                    w.append(text.charAt(i++));
            }
            out.add(w.toString());
        }
        return out;
    }
}
