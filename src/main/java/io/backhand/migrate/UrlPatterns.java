package io.backhand.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what an httpd.conf block matched into servlet url-patterns, which can say only four things: an
 * exact path ({@code /app}), a path prefix ({@code /app/*}), an extension in any directory ({@code *.php})
 * and everything ({@code /*}). Whatever cannot be said that way is reported, and the block gets no
 * url-pattern rather than a wrong one.
 */
final class UrlPatterns
{
    private static final Pattern PLAIN_PATH = Pattern.compile("(/[A-Za-z0-9._~%!$&'()+,;=:@-]+)*/?");
    private static final String EXT = "[A-Za-z0-9]+";
    /** {@code \.php$} or {@code \.(php|asp)$}, optionally after {@code .*} or {@code ^.*}. */
    private static final Pattern REGEX_EXTENSIONS = Pattern.compile(
        "\\^?(?:\\.\\*)?\\\\\\.(?:(" + EXT + ")|\\((?:\\?:)?(" + EXT + "(?:\\|" + EXT + ")*)\\))\\$");
    /** {@code ^/app}, {@code ^/app/}, {@code ^/app/.*}, {@code ^/app(/|$)}, {@code ^/app(/.*)?$} and {@code ^/app$}. */
    private static final Pattern REGEX_PREFIX = Pattern.compile(
        "\\^((?:/[A-Za-z0-9_~-]+(?:\\\\\\.[A-Za-z0-9_~-]+)*)+)(/|/\\.\\*|/\\.\\*\\$|\\(/\\|\\$\\)|\\(/\\.\\*\\)\\?\\$|\\$)?");

    private UrlPatterns()
    {
    }

    static boolean isGlob(String s)
    {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** {@code <Location path>}: a URL-path prefix, possibly with shell wildcards. */
    static List<String> location(String path, int line, List<Finding> out)
    {
        if (!path.startsWith("/"))
        {
            out.add(Finding.warning(line, "<Location " + path + "> does not name a URL path; no url-pattern can say it, "
                + "so the filter is not mapped: add a <url-pattern> by hand"));
            return List.of();
        }
        if (isGlob(path))
            return locationGlob(path, line, out);
        if (!PLAIN_PATH.matcher(path).matches())
        {
            out.add(Finding.warning(line, "<Location " + path + "> has characters a url-pattern cannot hold; "
                + "the filter is not mapped: add a <url-pattern> by hand"));
            return List.of();
        }
        String p = PathMapping.normalize(path);
        if (p.equals("/"))
            return List.of("/*");
        if (!path.endsWith("/"))
            out.add(Finding.note(line, "Apache matched <Location " + path + "> as a plain string prefix, so " + p + "-old too; "
                + "the url-pattern " + p + "/* matches " + p + " and the paths below it only"));
        return List.of(p + "/*");
    }

    private static List<String> locationGlob(String path, int line, List<Finding> out)
    {
        Matcher prefix = Pattern.compile("((?:/[^/*?\\[]+)*)/\\*").matcher(path);
        if (prefix.matches())
            return List.of(prefix.group(1).isEmpty() ? "/*" : prefix.group(1) + "/*");
        Matcher ext = Pattern.compile("((?:/[^/*?\\[]+)*)/\\*\\.(" + EXT + ")").matcher(path);
        if (ext.matches())
        {
            if (!ext.group(1).isEmpty())
                out.add(Finding.warning(line, "<Location " + path + ">: an extension url-pattern cannot be limited to "
                    + ext.group(1) + "/, so *." + ext.group(2) + " matches that extension in every directory"));
            return List.of("*." + ext.group(2));
        }
        out.add(Finding.warning(line, "<Location " + path + ">: this wildcard has no url-pattern equivalent (a url-pattern "
            + "is /exact, /prefix/*, *.extension or /*); the filter is not mapped: add <url-pattern>s by hand"));
        return List.of();
    }

    /** {@code <LocationMatch re>} or {@code <Location ~ re>}: a regular expression searched in the URL path. */
    static List<String> locationRegex(String regex, int line, List<Finding> out)
    {
        List<String> ext = extensions(regex);
        if (ext != null)
        {
            out.add(Finding.note(line, "the regular expression " + regex + " selects by extension: url-patterns " + String.join(", ", ext)));
            return ext;
        }
        Matcher m = REGEX_PREFIX.matcher(regex);
        if (m.matches())
        {
            String path = m.group(1).replace("\\.", ".");
            String tail = m.group(2);
            if ("$".equals(tail))
            {
                out.add(Finding.note(line, "the regular expression " + regex + " matches one path: url-pattern " + path));
                return List.of(path);
            }
            if (tail == null)
                out.add(Finding.note(line, "the regular expression " + regex + " also matched " + path + "-old; the url-pattern "
                    + path + "/* matches " + path + " and the paths below it only"));
            return List.of(path + "/*");
        }
        out.add(Finding.warning(line, "the regular expression " + regex + " cannot be expressed as servlet url-patterns "
            + "(/exact, /prefix/*, *.extension or /*); the filter is declared but NOT MAPPED: add <url-pattern>s that "
            + "cover what the expression matched"));
        return List.of();
    }

    /** {@code <Files name>}: a file name, possibly with shell wildcards, in any directory. */
    static List<String> files(String name, int line, List<Finding> out)
    {
        if (name.equals("*"))
            return List.of("/*");
        Matcher ext = Pattern.compile("\\*\\.(" + EXT + ")").matcher(name);
        if (ext.matches())
            return List.of("*." + ext.group(1));
        if (!isGlob(name) && name.indexOf('/') < 0)
        {
            out.add(Finding.warning(line, "<Files " + name + "> matched that file name in every directory; a url-pattern "
                + "cannot, so /" + name + " covers only the one at the top of the context: add the others by hand"));
            return List.of("/" + name);
        }
        out.add(Finding.warning(line, "<Files " + name + ">: this wildcard has no url-pattern equivalent; the filter is "
            + "declared but NOT MAPPED: add <url-pattern>s by hand"));
        return List.of();
    }

    /** {@code <FilesMatch re>} or {@code <Files ~ re>}: a regular expression searched in the file name. */
    static List<String> filesRegex(String regex, int line, List<Finding> out)
    {
        List<String> ext = extensions(regex);
        if (ext != null)
            return ext;
        Matcher exact = Pattern.compile("\\^([A-Za-z0-9_~-]+(?:\\\\\\.[A-Za-z0-9_~-]+)*)\\$").matcher(regex);
        if (exact.matches())
            return files(exact.group(1).replace("\\.", "."), line, out);
        out.add(Finding.warning(line, "the regular expression " + regex + " cannot be expressed as servlet url-patterns; "
            + "the filter is declared but NOT MAPPED: add <url-pattern>s that cover the files it matched"));
        return List.of();
    }

    /** The {@code *.ext} patterns for an extension-selecting expression, or null. */
    static List<String> extensions(String regex)
    {
        Matcher m = REGEX_EXTENSIONS.matcher(regex);
        if (!m.matches())
            return null;
        List<String> out = new ArrayList<>();
        String list = m.group(1) != null ? m.group(1) : m.group(2);
        for (String e : list.split("\\|"))
            out.add("*." + e);
        return out;
    }

    /**
     * {@code <Directory dir>}: a filesystem directory, which a servlet container never sees. It becomes the
     * URL that DocumentRoot or an Alias serves it at; failing those, see {@code serverRootKnown}.
     *
     * @param serverRootKnown whether this file sets the server's DocumentRoot: when it does not, the block is
     *                        taken to be the document root (the usual reason to balance a directory); when it
     *                        does and no mapping reaches the directory, no request ever reached the block
     */
    static List<String> directory(String dir, List<PathMapping> mappings, boolean serverRootKnown, int line, List<Finding> out)
    {
        String tag = "<Directory " + dir + ">";
        if (isGlob(dir))
        {
            out.add(Finding.warning(line, tag + ": a wildcard over filesystem paths has no url-pattern equivalent; the filter "
                + "is declared but NOT MAPPED: add <url-pattern>s for the URLs served from those directories"));
            return List.of();
        }
        PathMapping best = null;
        String bestUrl = null;
        for (PathMapping m : mappings)
        {
            String url = m.urlFor(dir);
            if (url != null && (best == null || PathMapping.normalize(m.directory()).length() > PathMapping.normalize(best.directory()).length()))
            {
                best = m;
                bestUrl = url;
            }
        }
        if (best != null)
        {
            String pattern = bestUrl.isEmpty() ? "/*" : bestUrl + "/*";
            out.add(Finding.note(line, tag + " is a filesystem path; servlets see URLs, and " + best.directive() + " at line "
                + best.line() + " serves it at " + (bestUrl.isEmpty() ? "/" : bestUrl) + ", hence url-pattern " + pattern));
            return List.of(pattern);
        }
        if (!serverRootKnown)
        {
            out.add(Finding.warning(line, tag + " is a filesystem path, and servlets see only URLs. This file sets no server "
                + "DocumentRoot and no Alias that reaches it, so it is taken to be the document root: url-pattern /* "
                + "(every request to the webapp's context). If it held only part of the site, change the url-pattern to "
                + "that part's URL, such as /cgi-bin/*"));
            return List.of("/*");
        }
        out.add(Finding.warning(line, tag + " lies outside the DocumentRoot and every Alias of this file, so no URL reached it "
            + "and mod_backhand never balanced it there; the filter is declared but NOT MAPPED"));
        return List.of();
    }

    /**
     * A files block inside a directory or location block: Apache applied both. A url-pattern cannot combine
     * a prefix with an extension, so the files block's patterns win, with a warning when that widens them.
     */
    static List<String> nested(List<String> outer, List<String> inner, String innerTag, int line, List<Finding> out)
    {
        if (outer.isEmpty() || inner.isEmpty())
            return List.of();
        if (outer.equals(List.of("/*")))
            return inner;
        if (inner.equals(List.of("/*")))
            return outer;
        List<String> result = new ArrayList<>();
        for (String p : inner)
        {
            if (p.startsWith("/") && !p.equals("/*") && outer.size() == 1 && outer.get(0).endsWith("/*"))
            {
                result.add(outer.get(0).substring(0, outer.get(0).length() - 2) + p);
            }
            else
            {
                result.add(p);
                out.add(Finding.warning(line, innerTag + " inside " + String.join(", ", outer) + ": a url-pattern cannot combine "
                    + "both, so " + p + " applies everywhere in the context, not only there"));
            }
        }
        return result;
    }
}
