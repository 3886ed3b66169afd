package io.backhand.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.backhand.cluster.Destination;
import io.backhand.config.Setting;
import io.backhand.node.SettingsRegistry;

/**
 * Splits the server-wide values between web.xml and the node's start.d ini. web.xml holds what every node of
 * the cluster shares (the same WAR runs everywhere); the ini holds what this node's httpd.conf says about
 * itself: the address it advertises, where it keeps its state, the ranges it believes, and where the WAR is
 * deployed. A system property overrides the context-param of the same name, so each node's ini wins over a
 * web.xml generated from another node's httpd.conf.
 */
final class SettingsPlan
{
    private final ServerDirectives server;
    private final StatusPage status;
    private final List<String> boundAddresses;
    private final boolean balances;
    private final List<Finding> findings = new ArrayList<>();

    SettingsPlan(ServerDirectives server, StatusPage status, List<String> boundAddresses, boolean balances)
    {
        this.server = server;
        this.status = status;
        this.boundAddresses = boundAddresses;
        this.balances = balances;
        if (server.destinations.isEmpty())
            findings.add(Finding.warning(1, "no MulticastStats: this node announces nothing. Set backhand.multicastStats, or "
                + "backhand.peers where the network has no multicast (docs/operations.md)"));
        if (server.acceptStats.isEmpty())
            findings.add(Finding.warning(1, "no AcceptStats: Backhand fails closed and believes no announcement, so this node "
                + "knows only itself. Set backhand.acceptStats to the cluster's address ranges"));
    }

    List<Finding> findings()
    {
        return findings;
    }

    /** A destination as every node can share it: without this node's advertised address. */
    static String shared(Destination d)
    {
        String[] words = d.text().split("\\s+");
        return words[words.length - 1];
    }

    private String lines(List<Integer> lines)
    {
        return lines.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    Map<String, Migration.Param> contextParams()
    {
        Map<String, Migration.Param> out = new LinkedHashMap<>();
        if (!server.destinations.isEmpty())
        {
            Set<String> shared = new LinkedHashSet<>();
            server.destinations.forEach(d -> shared.add(shared(d)));
            out.put(SettingsRegistry.MULTICAST_STATS.name(), new Migration.Param(String.join("\n", shared),
                "MulticastStats, line " + lines(server.destinationLines) + "; the address each node advertises is in its start.d ini"));
        }
        if (!server.acceptStats.isEmpty())
            out.put(SettingsRegistry.ACCEPT_STATS.name(), new Migration.Param(String.join(" ", server.acceptStats),
                "AcceptStats, line " + server.acceptLine));
        put(out, SettingsRegistry.SELF_REDIRECT, server.selfRedirect, "BackhandSelfRedirect");
        put(out, SettingsRegistry.CONNECTION_POOLS, server.connectionPools, "BackhandConnectionPools");
        if (!server.logLevels.isEmpty())
            out.put(SettingsRegistry.LOG_LEVEL.name(), new Migration.Param(server.logLevels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")),
                "BackhandLogLevel, line " + server.logLevelLine));
        put(out, SettingsRegistry.STATUS_PATH, status.path, "SetHandler backhand-handler");
        put(out, SettingsRegistry.STATUS_ACCESS, status.access, "Allow from");
        return out;
    }

    /** A setting that one directive gives as it is, when the httpd.conf has that directive. */
    private static void put(Map<String, Migration.Param> out, Setting<?> setting, ServerDirectives.Sourced found, String directive)
    {
        if (found != null)
            out.put(setting.name(), new Migration.Param(found.value(), directive + ", line " + found.line()));
    }

    List<Migration.IniEntry> ini(String source)
    {
        List<Migration.IniEntry> out = new ArrayList<>();
        out.add(comment("Backhand: the per-node settings of the server whose httpd.conf was " + source + ",",
            "converted by bin/backhand-migrate. Copy to jetty-base/start.d/backhand.ini on that server. Each line is a",
            "Java system property, which overrides the web.xml context-param of the same name on this node only",
            "(docs/configuration.md)."));
        if (balances)
        {
            out.add(new Migration.IniEntry(List.of("This httpd.conf balances requests: the WAR is the root context of this server."),
                "-D" + SettingsRegistry.CONTEXT_PATH.name() + "=/", true));
        }
        else
        {
            out.add(new Migration.IniEntry(List.of("This httpd.conf balances no request itself (an application server): the WAR",
                "runs beside the application, at /backhand, only to announce this node and show its map there."),
                "-D" + SettingsRegistry.CONTEXT_PATH.name() + "=/backhand", true));
            out.add(new Migration.IniEntry(List.of(), "-D" + SettingsRegistry.STATUS_PATH.name() + "=/", true));
        }
        out.add(new Migration.IniEntry(List.of("This node's name on the status map, unique in the cluster (default: the host name)."),
            "-D" + SettingsRegistry.NODE_NAME.name() + "=" + "web1", false));
        if (server.stateDir != null)
            out.add(new Migration.IniEntry(List.of("UnixSocketDir, line " + server.stateDir.line() + ": Backhand keeps no sockets "
                + "there, only its cached arriba", "benchmark; the directory must be writable by the user Jetty runs as."),
                "-D" + SettingsRegistry.STATE_DIR.name() + "=" + server.stateDir.value(), true));
        multicast(out);
        if (!server.acceptStats.isEmpty())
            out.add(new Migration.IniEntry(List.of("AcceptStats, line " + server.acceptLine + ": the ranges this node believes "
                + "announcements from."), "-D" + SettingsRegistry.ACCEPT_STATS.name() + "=" + String.join(" ", server.acceptStats), true));
        for (String address : new LinkedHashSet<>(boundAddresses))
            out.add(new Migration.IniEntry(List.of("The IP-based <VirtualHost " + address + ">: to serve on that address only,",
                "bind Jetty's HTTP connector to it."), "jetty.http.host=" + address, false));
        return out;
    }

    private void multicast(List<Migration.IniEntry> out)
    {
        List<Destination> advertised = server.destinations.stream().filter(d -> d.advertise() != null).toList();
        if (!server.destinations.isEmpty())
            out.add(new Migration.IniEntry(List.of("mod_backhand found the interface from the advertised address; Backhand needs "
                + "its name (without it, the", "first multicast-capable interface is used and a warning logged)."),
                "-D" + SettingsRegistry.INTERFACE.name() + "=eth0", false));
        if (advertised.isEmpty())
            return;
        if (server.destinations.size() == 1)
        {
            Destination d = advertised.get(0);
            out.add(new Migration.IniEntry(List.of("MulticastStats, line " + server.destinationLines.get(0) + ": this node "
                + "advertises itself as " + d.advertise().getHostAddress() + "."), "-D" + SettingsRegistry.MULTICAST_STATS.name() + "=" + d.text(), true));
            return;
        }
        List<String> comments = new ArrayList<>(List.of("MulticastStats, lines " + lines(server.destinationLines) + ": several "
            + "destinations, each with this node's address.", "A start.d line holds one line of value, so give them in the "
            + "environment variable BACKHAND_MULTICASTSTATS,", "one destination per line:"));
        server.destinations.forEach(d -> comments.add("  " + d.text()));
        out.add(new Migration.IniEntry(comments, null, false));
        findings.add(Finding.warning(server.destinationLines.get(0), "several MulticastStats lines carry this node's advertised "
            + "address; a start.d line cannot hold several lines of value, so the ini lists them for the environment "
            + "variable BACKHAND_MULTICASTSTATS (one line per destination) instead of setting them"));
    }

    private static Migration.IniEntry comment(String... lines)
    {
        return new Migration.IniEntry(List.of(lines), null, false);
    }
}
