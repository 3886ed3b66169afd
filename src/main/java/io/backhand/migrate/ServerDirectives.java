package io.backhand.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.backhand.cluster.Cidr;
import io.backhand.cluster.Destination;
import io.backhand.config.Parse;

/**
 * mod_backhand's server-wide directives and what they become: MulticastStats, AcceptStats, UnixSocketDir,
 * BackhandSelfRedirect, BackhandConnectionPools, BackhandLogLevel and BackhandModeratorPIDFile. Values are
 * checked with the parsers the webapp itself uses, so that what is converted also deploys.
 */
final class ServerDirectives
{
    /** Every directive mod_backhand defines, for recognising a misspelt one. */
    static final List<String> ALL_BACKHAND = List.of("Backhand", "BackhandFromSO", "MulticastStats", "AcceptStats",
        "UnixSocketDir", "BackhandSelfRedirect", "BackhandConnectionPools", "BackhandLogLevel", "BackhandModeratorPIDFile");

    record Sourced(String value, int line)
    {
    }

    final List<Destination> destinations = new ArrayList<>();
    final List<Integer> destinationLines = new ArrayList<>();
    final Set<String> acceptStats = new LinkedHashSet<>();
    int acceptLine;
    Sourced stateDir;
    Sourced selfRedirect;
    Sourced connectionPools;
    /** Category ({@code net}, {@code decision}, {@code stats}) to level. */
    final Map<String, String> logLevels = new LinkedHashMap<>();
    int logLevelLine;

    static String canonical(String name)
    {
        for (String n : ALL_BACKHAND)
        {
            if (n.equalsIgnoreCase(name))
                return n;
        }
        return null;
    }

    /**
     * Fails on a directive that is almost a mod_backhand one: Apache itself would refuse it, and skipping it
     * as some other module's would silently lose a setting.
     */
    static void rejectNearMiss(ConfNode node) throws MigrationException
    {
        String lower = node.name().toLowerCase(Locale.ROOT);
        String suggestion = Parse.suggestion(node.name(), ALL_BACKHAND);
        boolean close = false;
        for (String n : ALL_BACKHAND)
        {
            if (Parse.distance(lower, n.toLowerCase(Locale.ROOT)) <= 2)
                close = true;
        }
        if (lower.startsWith("backhand") || close)
            throw new MigrationException(node.line(), "'" + node.name() + "' is not a mod_backhand directive"
                + (suggestion.isEmpty() ? "" : suggestion) + "; mod_backhand's directives are " + String.join(", ", ALL_BACKHAND));
    }

    void handle(ConfNode.Directive d, String where, List<Finding> findings) throws MigrationException
    {
        String name = canonical(d.name());
        if (where != null && !name.equals("BackhandModeratorPIDFile"))
            findings.add(Finding.warning(d.line(), name + " inside " + where + ": Backhand's settings are per webapp context, "
                + "not per block or virtual host, so it applies to the whole context"));
        switch (name)
        {
            case "MulticastStats" -> multicast(d);
            case "AcceptStats" -> accept(d);
            case "UnixSocketDir" ->
            {
                exactly(d, 1, "UnixSocketDir /var/backhand");
                stateDir = new Sourced(d.args().get(0), d.line());
            }
            case "BackhandSelfRedirect" -> selfRedirect = onOff(d);
            case "BackhandConnectionPools" -> connectionPools = onOff(d);
            case "BackhandLogLevel" -> logLevel(d, findings);
            case "BackhandModeratorPIDFile" -> findings.add(Finding.warning(d.line(), "BackhandModeratorPIDFile has no "
                + "equivalent: Backhand has no moderator process (its announcer and listener are threads of the webapp); ignored"));
            default -> throw new IllegalStateException(name);
        }
    }

    private void multicast(ConfNode.Directive d) throws MigrationException
    {
        if (d.args().isEmpty() || d.args().size() > 2)
            throw new MigrationException(d.line(), "MulticastStats takes [advertise-ip[:port]] dest-ip:port[,ttl], such as "
                + "MulticastStats 10.58.4.1 239.255.221.20:4445,1; found " + d.args().size() + " word(s)");
        try
        {
            destinations.add(Destination.parse(String.join(" ", d.args())));
            destinationLines.add(d.line());
        }
        catch (IllegalArgumentException e)
        {
            throw new MigrationException(d.line(), "MulticastStats " + e.getMessage());
        }
    }

    private void accept(ConfNode.Directive d) throws MigrationException
    {
        if (d.args().isEmpty())
            throw new MigrationException(d.line(), "AcceptStats needs an address range, such as AcceptStats 10.58.4.0/24");
        for (String a : d.args())
        {
            try
            {
                acceptStats.add(Cidr.parse(a).toString());
            }
            catch (IllegalArgumentException e)
            {
                throw new MigrationException(d.line(), "AcceptStats " + e.getMessage());
            }
        }
        acceptLine = acceptLine == 0 ? d.line() : acceptLine;
    }

    private static Sourced onOff(ConfNode.Directive d) throws MigrationException
    {
        exactly(d, 1, canonical(d.name()) + " On|Off");
        String v = d.args().get(0).toLowerCase(Locale.ROOT);
        if (!v.equals("on") && !v.equals("off"))
            throw new MigrationException(d.line(), canonical(d.name()) + " takes On or Off, not '" + d.args().get(0) + "'");
        return new Sourced(v, d.line());
    }

    /**
     * mod_backhand's flags name a subsystem with {@code +} to log it in detail and {@code -} to quiet it:
     * {@code net} is the stats plane, {@code dcsn} the decisions, {@code mbcs} the cluster table.
     */
    private void logLevel(ConfNode.Directive d, List<Finding> findings) throws MigrationException
    {
        if (d.args().isEmpty())
            throw new MigrationException(d.line(), "BackhandLogLevel needs flags, such as BackhandLogLevel +net +dcsn");
        logLevelLine = d.line();
        for (String flag : d.args())
        {
            String f = flag.toLowerCase(Locale.ROOT);
            String level = f.startsWith("-") ? "info" : "debug";
            String word = f.replaceFirst("^[+-]", "");
            String category = word.startsWith("net") ? "net" : word.startsWith("dcsn") ? "decision"
                : word.startsWith("mbcs") ? "stats" : null;
            if (category == null)
            {
                findings.add(Finding.warning(d.line(), "BackhandLogLevel flag '" + flag + "' has no equivalent; Backhand's "
                    + "subsystems are net, decision, proxy and stats (backhand.logLevel); ignored"));
                continue;
            }
            logLevels.put(category, level);
        }
    }

    private static void exactly(ConfNode.Directive d, int n, String usage) throws MigrationException
    {
        if (d.args().size() != n)
            throw new MigrationException(d.line(), canonical(d.name()) + " takes " + n + " argument" + (n == 1 ? "" : "s")
                + ", as in " + usage + "; found " + d.args().size());
    }
}
