package io.backhand.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.backhand.cluster.Cidr;

/**
 * {@code SetHandler backhand-handler}: mod_backhand's status map. Backhand has it built in, at
 * {@code /backhand/} of the webapp's context unless {@code backhand.statusPath} moves it, so the Location
 * becomes that path, and the block's {@code Allow from} / {@code Require ip} ranges become
 * {@code backhand.statusAccess}.
 */
final class StatusPage
{
    static final String DEFAULT_PATH = "/backhand";

    ServerDirectives.Sourced path;
    ServerDirectives.Sourced access;

    static boolean isStatusHandler(ConfNode.Directive d)
    {
        return d.is("SetHandler") && d.args().size() == 1 && d.args().get(0).equalsIgnoreCase("backhand-handler");
    }

    /**
     * @param location the Location block holding the handler, or null when it sits elsewhere
     * @param where    the block's tag, for messages
     */
    void handler(ConfNode.Directive d, ConfNode.Section location, String where, List<Finding> findings)
    {
        if (location == null)
        {
            findings.add(Finding.warning(d.line(), "SetHandler backhand-handler in " + where + ": Backhand's status page is "
                + "built in and answers at " + DEFAULT_PATH + "/ of the webapp's context (backhand.statusPath); a "
                + "directory or file block cannot move it, so it stays there"));
            return;
        }
        String raw = location.args().get(0);
        String p = PathMapping.normalize(raw);
        if (p.equals(DEFAULT_PATH))
        {
            findings.add(Finding.note(d.line(), "SetHandler backhand-handler: Backhand's status page is built in and is "
                + "already at " + DEFAULT_PATH + "/ (HTML; ?format=json for JSON), so nothing needs declaring"));
        }
        else if (p.matches("(/[A-Za-z0-9._~-]+)+"))
        {
            path = new ServerDirectives.Sourced(p, d.line());
            findings.add(Finding.note(d.line(), "SetHandler backhand-handler in <Location " + raw + ">: the built-in status "
                + "page moves there with backhand.statusPath=" + p));
        }
        else
        {
            findings.add(Finding.warning(d.line(), "SetHandler backhand-handler in " + where + ": backhand.statusPath must be "
                + "a plain path such as /backhand, so the status page stays at " + DEFAULT_PATH + "/"));
        }
        access(location, findings);
    }

    private void access(ConfNode.Section location, List<Finding> findings)
    {
        List<String> ranges = new ArrayList<>();
        int line = 0;
        for (ConfNode n : location.children())
        {
            if (!(n instanceof ConfNode.Directive d) || d.args().size() < 2)
                continue;
            String first = d.args().get(0).toLowerCase(Locale.ROOT);
            boolean allow = d.is("Allow") && first.equals("from");
            boolean require = d.is("Require") && first.equals("ip");
            if (!allow && !require)
                continue;
            for (String a : d.args().subList(1, d.args().size()))
            {
                if (a.equalsIgnoreCase("all"))
                {
                    findings.add(Finding.warning(d.line(), d.text() + ": the status page was open to everyone; Backhand "
                        + "keeps its default (loopback and the AcceptStats ranges). To open it, set backhand.statusAccess "
                        + "to 0.0.0.0/0 ::/0 knowing that it shows the cluster's addresses and load"));
                    continue;
                }
                try
                {
                    ranges.add(Cidr.parse(a).toString());
                    line = line == 0 ? d.line() : line;
                }
                catch (IllegalArgumentException e)
                {
                    findings.add(Finding.warning(d.line(), d.text() + ": '" + a + "' is not an address range "
                        + "(host names and partial addresses are not translated); add it to backhand.statusAccess "
                        + "as a range such as 10.58.0.0/16"));
                }
            }
        }
        if (!ranges.isEmpty())
        {
            access = new ServerDirectives.Sourced(String.join(" ", ranges), line);
            findings.add(Finding.note(line, "the status page's Allow ranges become backhand.statusAccess=" + access.value()
                + " (which replaces the default of loopback plus AcceptStats)"));
        }
    }
}
