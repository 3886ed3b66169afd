package io.backhand.migrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts an httpd.conf with mod_backhand directives into a {@link Migration}: every block that holds
 * {@code Backhand} lines becomes a filter whose url-patterns say what the block matched, and the server-wide
 * directives become context-params and per-node ini settings. Directives of other modules are left alone.
 *
 * <p>Every mistake stops the conversion with the line; everything with no exact equivalent becomes a
 * {@link Finding} tied to its line, so that nothing is dropped without a word.</p>
 */
public final class HttpdConfConverter
{
    private final SiteLayout layout;
    private final ServerDirectives server = new ServerDirectives();
    private final StatusPage status = new StatusPage();
    private final ChainLines chains = new ChainLines();
    private final List<Finding> findings = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private final Map<ConfNode.Section, Block> vhostBlocks = new IdentityHashMap<>();
    private final List<String> boundAddresses = new ArrayList<>();
    private Block serverBlock;
    private int ignored;
    private boolean sawBackhand;

    /** A block of httpd.conf that may hold Backhand lines, with what it matched. */
    private static final class Block
    {
        final String kind;
        final String argument;
        final String tag;
        int line;
        final ConfNode.Section section;
        final List<String> patterns;
        final List<Finding> patternFindings;
        final List<Finding> chainFindings = new ArrayList<>();
        final List<String> chain = new ArrayList<>();
        boolean hasFunction;

        Block(String kind, String argument, String tag, int line, ConfNode.Section section, List<String> patterns,
              List<Finding> patternFindings)
        {
            this.kind = kind;
            this.argument = argument;
            this.tag = tag;
            this.line = line;
            this.section = section;
            this.patterns = patterns;
            this.patternFindings = patternFindings;
        }
    }

    /** Where the walk is: the enclosing virtual host and path block, and an enclosing section Backhand cannot honour. */
    private record Where(ConfNode.Section vhost, Block block, String unsupported)
    {
        Where withVhost(ConfNode.Section v)
        {
            return new Where(v, block, unsupported);
        }

        Where withBlock(Block b)
        {
            return new Where(vhost, b, unsupported);
        }

        Where within(String tag)
        {
            return new Where(vhost, block, tag);
        }
    }

    private HttpdConfConverter(SiteLayout layout)
    {
        this.layout = layout;
    }

    /**
     * @param text   the httpd.conf
     * @param source its name, for the generated headers
     */
    public static Migration convert(String text, String source) throws MigrationException
    {
        List<ConfNode> nodes = HttpdConfParser.parse(text);
        HttpdConfConverter c = new HttpdConfConverter(SiteLayout.of(nodes));
        c.walk(nodes, new Where(null, null, null));
        if (!c.sawBackhand)
            throw new MigrationException(1, "no mod_backhand directive in this file (Backhand, BackhandFromSO, MulticastStats, "
                + "AcceptStats, UnixSocketDir, ...); is it the httpd.conf of a mod_backhand server?");
        return c.finish(source);
    }

    private void walk(List<ConfNode> nodes, Where where) throws MigrationException
    {
        for (ConfNode n : nodes)
        {
            if (n instanceof ConfNode.Section s)
                section(s, where);
            else
                directive((ConfNode.Directive) n, where);
        }
    }

    private void section(ConfNode.Section s, Where where) throws MigrationException
    {
        String kind = s.name().toLowerCase(Locale.ROOT);
        switch (kind)
        {
            case "ifmodule" ->
            {
                if (s.args().isEmpty())
                    throw new MigrationException(s.line(), "<IfModule> needs a module name, such as <IfModule mod_backhand.c>");
                if (SiteLayout.withoutBackhand(s))
                {
                    if (containsBackhand(s.children()))
                        findings.add(Finding.note(s.line(), s.tag() + " applies only where mod_backhand is absent; skipped"));
                    return;
                }
                walk(s.children(), where);
            }
            case "ifdefine", "ifversion", "limit", "limitexcept" ->
            {
                if (containsBackhand(s.children()))
                    findings.add(Finding.warning(s.line(), "the condition of " + s.tag() + " has no equivalent in web.xml: "
                        + "the Backhand lines inside it apply always"));
                walk(s.children(), where);
            }
            case "virtualhost" ->
            {
                if (where.vhost() != null)
                    throw new MigrationException(s.line(), s.tag() + " inside " + where.vhost().tag() + ": virtual hosts do not nest");
                if (containsBackhand(s.children()))
                    virtualHost(s);
                walk(s.children(), where.withVhost(s));
            }
            case "directory", "directorymatch", "location", "locationmatch", "files", "filesmatch" ->
                walk(s.children(), where.withBlock(block(s, kind, where)));
            default ->
            {
                if (containsBackhand(s.children()))
                    walk(s.children(), where.within(s.tag()));
                else
                    ignored++;
            }
        }
    }

    private void virtualHost(ConfNode.Section s)
    {
        String serverName = null;
        for (ConfNode n : s.children())
        {
            if (n instanceof ConfNode.Directive d && d.is("ServerName") && d.args().size() == 1)
                serverName = d.args().get(0);
        }
        if (layout.isNameBased(s))
        {
            String host = serverName != null ? serverName : "its host names";
            findings.add(Finding.warning(s.line(), s.tag() + (serverName != null ? " (ServerName " + serverName + ")" : "")
                + " is a name-based virtual host. mod_backhand could not proxy those; Backhand can, since it keeps the Host "
                + "header, but a filter applies to every host name its webapp context serves. To limit these filters to "
                + host + ", deploy this web.xml in a context of its own whose virtualHosts are " + host
                + " (jetty-base/webapps/backhand.xml)"));
        }
        else
        {
            List<String> addresses = SiteLayout.addresses(s);
            boundAddresses.addAll(addresses);
            findings.add(Finding.note(s.line(), s.tag() + " is an IP-based virtual host: a webapp context serves every "
                + "address Jetty listens on, so to serve only on " + (addresses.isEmpty() ? "its address" : String.join(", ", addresses))
                + ", bind Jetty's connector there (jetty.http.host, suggested in the ini)"));
        }
    }

    private Block block(ConfNode.Section s, String kind, Where where) throws MigrationException
    {
        boolean tilde = s.args().size() == 2 && s.args().get(0).equals("~");
        if (s.args().isEmpty() || (s.args().size() > 1 && !tilde))
            throw new MigrationException(s.line(), "<" + s.name() + "> takes one path or pattern"
                + (kind.endsWith("match") ? "" : " (or ~ and a regular expression)") + "; found " + s.args().size() + " word(s)");
        boolean regex = kind.endsWith("match") || tilde;
        String arg = tilde ? s.args().get(1) : s.args().get(0);
        String base = kind.replace("match", "");
        Block outer = where.block();
        if (outer != null && (!base.equals("files") || outer.kind.equals("files")))
            throw new MigrationException(s.line(), s.tag() + " cannot be inside " + outer.tag + " (Apache allows only <Files> "
                + "inside <Directory> or <Location>)");
        List<Finding> local = new ArrayList<>();
        List<String> patterns = switch (base)
        {
            case "directory" -> regex
                ? unmappedRegexDirectory(s, arg, local)
                : UrlPatterns.directory(arg, layout.mappings, layout.serverDocumentRoot, s.line(), local);
            case "location" -> regex ? UrlPatterns.locationRegex(arg, s.line(), local) : UrlPatterns.location(arg, s.line(), local);
            default -> regex ? UrlPatterns.filesRegex(arg, s.line(), local) : UrlPatterns.files(arg, s.line(), local);
        };
        if (outer != null)
            patterns = UrlPatterns.nested(outer.patterns, patterns, s.tag(), s.line(), local);
        if (where.vhost() != null && layout.isNameBased(where.vhost()))
            local.add(Finding.warning(s.line(), s.tag() + " is in the name-based " + where.vhost().tag() + " (line "
                + where.vhost().line() + "): this filter sees every host name of its webapp context, not that one only"));
        return new Block(base, arg, s.tag(), s.line(), s, patterns, local);
    }

    private static List<String> unmappedRegexDirectory(ConfNode.Section s, String regex, List<Finding> out)
    {
        out.add(Finding.warning(s.line(), s.tag() + ": a regular expression over filesystem paths has no url-pattern "
            + "equivalent; the filter is declared but NOT MAPPED: add <url-pattern>s for the URLs served from the "
            + "directories " + regex + " matched"));
        return List.of();
    }

    private void directive(ConfNode.Directive d, Where where) throws MigrationException
    {
        String name = ServerDirectives.canonical(d.name());
        if (name == null)
        {
            if (StatusPage.isStatusHandler(d))
            {
                sawBackhand = true;
                Block b = where.block();
                ConfNode.Section location = b != null && b.kind.equals("location") && !b.section.is("LocationMatch")
                    && b.section.args().size() == 1 ? b.section : null;
                status.handler(d, location, b != null ? b.tag : "the server configuration", findings);
            }
            else if (d.is("Include") || d.is("IncludeOptional"))
            {
                findings.add(Finding.warning(d.line(), d.text() + " is not followed: convert the included files too, or "
                    + "concatenate them into one file first"));
            }
            else
            {
                ServerDirectives.rejectNearMiss(d);
                ignored++;
            }
            return;
        }
        sawBackhand = true;
        if (where.unsupported() != null)
        {
            findings.add(Finding.warning(d.line(), d.text() + " inside " + where.unsupported() + " has no equivalent; ignored"));
            return;
        }
        switch (name)
        {
            case "Backhand" ->
            {
                Block b = chainBlock(where, d.line());
                b.chain.add(chains.backhand(d));
                b.hasFunction = true;
            }
            case "BackhandFromSO" ->
            {
                Block b = chainBlock(where, d.line());
                String line = chains.fromSharedObject(d, b.chainFindings);
                b.chain.add(line);
                b.hasFunction |= !line.startsWith("#");
            }
            default -> server.handle(d, where.block() != null ? where.block().tag : where.vhost() != null ? where.vhost().tag() : null,
                findings);
        }
    }

    /** The block Backhand lines at this place belong to: the path block, else the virtual host, else the server. */
    private Block chainBlock(Where where, int line)
    {
        Block b = where.block();
        if (b == null && where.vhost() != null)
        {
            b = vhostBlocks.computeIfAbsent(where.vhost(), v -> new Block("virtualhost", String.join(" ", v.args()), v.tag(),
                v.line(), v, List.of("/*"), List.of()));
        }
        if (b == null)
        {
            if (serverBlock == null)
                serverBlock = new Block("server", "", "the server configuration", line, null, List.of("/*"), List.of());
            b = serverBlock;
        }
        if (!blocks.contains(b))
            blocks.add(b);
        return b;
    }

    private static boolean containsBackhand(List<ConfNode> nodes)
    {
        for (ConfNode n : nodes)
        {
            if (n instanceof ConfNode.Section s ? containsBackhand(s.children())
                : ServerDirectives.canonical(n.name()) != null || StatusPage.isStatusHandler((ConfNode.Directive) n))
                return true;
        }
        return false;
    }

    private Migration finish(String source)
    {
        List<FilterPlan> filters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Block b : blocks)
        {
            List<Finding> own = new ArrayList<>(b.patternFindings);
            own.addAll(b.chainFindings);
            if (!b.hasFunction)
                own.add(Finding.warning(b.line, b.tag + ": no candidacy function is left once BackhandFromSO lines are "
                    + "set aside, so its filter is written commented out; port the functions and uncomment it"));
            findings.addAll(own);
            filters.add(new FilterPlan(uniqueName(b, names), b.tag, b.line, List.copyOf(b.chain), b.patterns, b.hasFunction,
                List.copyOf(own)));
        }
        filters = FilterOrder.sort(filters);
        findings.addAll(FilterOrder.overlaps(filters));
        SettingsPlan settings = new SettingsPlan(server, status, boundAddresses, filters.stream().anyMatch(FilterPlan::deployable));
        findings.addAll(settings.findings());
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt(Finding::line));
        return new Migration(source, settings.contextParams(), List.copyOf(filters), settings.ini(source), List.copyOf(sorted), ignored);
    }

    private static String uniqueName(Block b, Set<String> taken)
    {
        String slug = b.argument.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "").toLowerCase(Locale.ROOT);
        if (slug.length() > 40)
            slug = slug.substring(0, 40).replaceAll("-+$", "");
        String name = b.kind.equals("server") ? "backhand" : b.kind + "-" + (slug.isEmpty() ? "root" : slug);
        String unique = name;
        for (int i = 2; !taken.add(unique); i++)
            unique = name + "-" + i;
        return unique;
    }
}
