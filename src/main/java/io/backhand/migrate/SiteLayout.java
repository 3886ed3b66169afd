package io.backhand.migrate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.backhand.cluster.Endpoints;

/**
 * What the rest of httpd.conf says about where URLs lead, read before any block is converted: the
 * DocumentRoot and Alias lines that turn a {@code <Directory>} into a URL, and the virtual host addresses
 * that tell name-based virtual hosts from IP-based ones.
 */
final class SiteLayout
{
    final List<PathMapping> mappings = new ArrayList<>();
    boolean serverDocumentRoot;
    private final Set<String> nameVirtualHosts = new HashSet<>();
    private final Map<String, Integer> vhostsPerAddress = new HashMap<>();

    static SiteLayout of(List<ConfNode> nodes)
    {
        SiteLayout layout = new SiteLayout();
        layout.scan(nodes, false);
        return layout;
    }

    static boolean isBackhandModule(String module)
    {
        String m = module.toLowerCase(Locale.ROOT);
        return m.equals("mod_backhand.c") || m.equals("mod_backhand") || m.equals("backhand_module") || m.equals("mod_backhand.so");
    }

    /** True for {@code <IfModule !mod_backhand.c>}: read by Apache only where mod_backhand is absent. */
    static boolean withoutBackhand(ConfNode.Section s)
    {
        return s.is("IfModule") && !s.args().isEmpty() && s.args().get(0).startsWith("!")
            && isBackhandModule(s.args().get(0).substring(1));
    }

    private void scan(List<ConfNode> nodes, boolean inVirtualHost)
    {
        for (ConfNode n : nodes)
        {
            if (n instanceof ConfNode.Section s)
            {
                if (withoutBackhand(s))
                    continue;
                if (s.is("VirtualHost"))
                {
                    for (String a : s.args())
                        vhostsPerAddress.merge(a.toLowerCase(Locale.ROOT), 1, Integer::sum);
                    scan(s.children(), true);
                }
                else if (s.is("IfModule") || s.is("IfDefine") || s.is("IfVersion"))
                {
                    scan(s.children(), inVirtualHost);
                }
                continue;
            }
            ConfNode.Directive d = (ConfNode.Directive) n;
            if (d.is("DocumentRoot") && d.args().size() == 1)
            {
                mappings.add(new PathMapping("/", d.args().get(0), "DocumentRoot", d.line()));
                serverDocumentRoot |= !inVirtualHost;
            }
            else if ((d.is("Alias") || d.is("ScriptAlias")) && d.args().size() == 2)
            {
                mappings.add(new PathMapping(d.args().get(0), d.args().get(1), d.name(), d.line()));
            }
            else if (d.is("NameVirtualHost") && d.args().size() == 1)
            {
                nameVirtualHosts.add(d.args().get(0).toLowerCase(Locale.ROOT));
            }
        }
    }

    /**
     * Name-based when the address is a wildcard, was declared with NameVirtualHost (Apache 1.3 and 2.2), is
     * a host name, or is shared by several virtual hosts (Apache 2.4).
     */
    boolean isNameBased(ConfNode.Section vhost)
    {
        for (String a : vhost.args())
        {
            String addr = a.toLowerCase(Locale.ROOT);
            if (addr.startsWith("*") || nameVirtualHosts.contains(addr) || vhostsPerAddress.getOrDefault(addr, 0) > 1)
                return true;
            if (!addr.equals("_default_") && !addr.startsWith("_default_:") && !isAddress(addr))
                return true;
        }
        return false;
    }

    private static boolean isAddress(String text)
    {
        try
        {
            return Endpoints.isLiteral(Endpoints.split(text).host());
        }
        catch (IllegalArgumentException e)
        {
            return false;
        }
    }

    /** The IP address literals a virtual host was bound to, without ports. */
    static List<String> addresses(ConfNode.Section vhost)
    {
        List<String> out = new ArrayList<>();
        for (String a : vhost.args())
        {
            try
            {
                String host = Endpoints.split(a).host();
                if (Endpoints.isLiteral(host))
                    out.add(host);
            }
            catch (IllegalArgumentException e)
            {
                // not an address: nothing to bind to
            }
        }
        return out;
    }
}
