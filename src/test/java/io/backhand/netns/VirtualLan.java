package io.backhand.netns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LAN of separate hosts on this one machine: a bridge in a network namespace of its own, and one namespace
 * per host plugged into it by a veth pair. Both ends of every veth are created directly inside namespaces, so
 * nothing ever appears in the root namespace; there are no default routes and no NAT, so nothing inside can
 * reach anything outside.
 *
 * <p>Everything it creates carries the name prefix {@code bhnet-<pid>-<n>-}, so that parallel runs cannot
 * collide and a later run can sweep what a crashed one left behind. {@link #close()} removes every process in
 * its namespaces and the namespaces themselves (which takes the veths and the bridge with them); a JVM shutdown
 * hook does the same if the JVM is stopped before that.</p>
 */
public final class VirtualLan implements AutoCloseable
{
    static final String PREFIX = "bhnet-";
    private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** The host end of every veth has this name in its host's namespace, as a second NIC would on a real box. */
    public static final String HOST_IFACE = "eth1";

    private final String tag;
    private final String bridgeNamespace;
    private final Subnet subnet;
    private final List<Host> hosts = new ArrayList<>();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final Thread shutdownHook;
    private boolean closed;

    private VirtualLan(Subnet subnet)
    {
        this.subnet = subnet;
        this.tag = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        this.bridgeNamespace = tag + "-lan";
        this.shutdownHook = new Thread(this::close, "virtual-lan-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Sweeps leftovers of crashed runs, then builds the bridge. */
    public static VirtualLan create(Subnet subnet)
    {
        sweepLeftovers();
        VirtualLan lan = new VirtualLan(subnet);
        try
        {
            lan.addNamespace(lan.bridgeNamespace);
            Shell.check("ip", "-n", lan.bridgeNamespace, "link", "add", "br0", "type", "bridge");
            // Without a multicast router on the LAN nobody sends IGMP queries; forward every group to every port
            // instead of trusting snooping to have learnt the joins.
            Shell.check("ip", "-n", lan.bridgeNamespace, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
            Shell.check("ip", "-n", lan.bridgeNamespace, "link", "set", "br0", "up");
            return lan;
        }
        catch (RuntimeException e)
        {
            lan.close();
            throw e;
        }
    }

    private void addNamespace(String ns)
    {
        Shell.check("ip", "netns", "add", ns);
        synchronized (this)
        {
            namespaces.add(ns);
        }
    }

    /** A new host at {@code subnet.host(last)}, plugged into the bridge. */
    public synchronized Host addHost(String role, int last)
    {
        if (closed)
            throw new IllegalStateException("closed");
        String ns = tag + "-" + role;
        String port = ("p-" + role);
        if (port.length() > 15)
            port = port.substring(0, 15);
        addNamespace(ns);
        Shell.check("ip", "-n", bridgeNamespace, "link", "add", port, "type", "veth", "peer", "name", HOST_IFACE, "netns", ns);
        Shell.check("ip", "-n", bridgeNamespace, "link", "set", port, "master", "br0");
        Shell.check("ip", "-n", bridgeNamespace, "link", "set", port, "up");
        Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
        Shell.check("ip", "-n", ns, "addr", "add", subnet.host(last) + "/24", "dev", HOST_IFACE);
        Shell.check("ip", "-n", ns, "link", "set", HOST_IFACE, "up");
        Host h = new Host(role, ns, subnet.host(last), HOST_IFACE, port);
        hosts.add(h);
        return h;
    }

    /** Unplugs a host: its veth goes down on the bridge side, as a pulled cable or a dead switch port would. */
    public void cut(Host h)
    {
        Shell.check("ip", "-n", bridgeNamespace, "link", "set", h.bridgePort(), "down");
    }

    public void restore(Host h)
    {
        Shell.check("ip", "-n", bridgeNamespace, "link", "set", h.bridgePort(), "up");
    }

    public Subnet subnet()
    {
        return subnet;
    }

    public String bridgeNamespace()
    {
        return bridgeNamespace;
    }

    public synchronized List<Host> hosts()
    {
        return List.copyOf(hosts);
    }

    /**
     * What, if anything, could let traffic out of the LAN: a host with a default route, a route off its own
     * subnet or an interface other than lo and its veth, or one of our links showing up in the root namespace.
     */
    public List<String> isolationProblems()
    {
        List<String> problems = new ArrayList<>();
        for (Host h : hosts())
        {
            for (String route : Shell.check("ip", "-n", h.namespace(), "-4", "route", "show", "table", "all").split("\n"))
            {
                String r = route.strip();
                if (r.isEmpty() || r.startsWith("local ") || r.startsWith("broadcast ") || r.contains(" dev lo "))
                    continue;
                if (r.startsWith("default") || !r.startsWith(subnet.cidr() + " ") || !r.contains(" dev " + h.iface()))
                    problems.add(h.role() + " has a route off its LAN: " + r);
            }
            if (Shell.check("ip", "-n", h.namespace(), "-6", "route", "show", "table", "all").contains("default"))
                problems.add(h.role() + " has an IPv6 default route");
            for (String link : Shell.check("ip", "-n", h.namespace(), "-o", "link").split("\n"))
            {
                String[] w = link.strip().split(":\\s+|@");
                if (w.length > 1 && !w[1].equals("lo") && !w[1].equals(h.iface()))
                    problems.add(h.role() + " has another interface: " + link.strip());
            }
        }
        String root = Shell.check("ip", "-o", "link");
        for (Host h : hosts())
        {
            if (root.contains(" " + h.bridgePort() + ":") || root.contains(" " + h.bridgePort() + "@"))
                problems.add("the root namespace has our link " + h.bridgePort());
        }
        if (root.contains(tag))
            problems.add("the root namespace has a link named after this run: " + tag);
        return problems;
    }

    /** A kernel counter of a host (for example {@code Tcp InSegs}) from {@code /proc/net/snmp} in its namespace. */
    public static long snmp(Host h, String protocol, String field)
    {
        String[] lines = Shell.check("ip", "netns", "exec", h.namespace(), "cat", "/proc/net/snmp").split("\n");
        for (int i = 0; i + 1 < lines.length; i++)
        {
            if (!lines[i].startsWith(protocol + ":") || !lines[i + 1].startsWith(protocol + ":"))
                continue;
            String[] names = lines[i].split("\\s+");
            String[] values = lines[i + 1].split("\\s+");
            for (int k = 1; k < names.length && k < values.length; k++)
            {
                if (names[k].equals(field))
                    return Long.parseLong(values[k]);
            }
        }
        throw new IllegalStateException("no " + protocol + " " + field + " in /proc/net/snmp of " + h.namespace());
    }

    /** Removes every process in our namespaces, then the namespaces; safe to call more than once. */
    @Override
    public void close()
    {
        List<String> toRemove;
        synchronized (this)
        {
            if (closed)
                return;
            closed = true;
            toRemove = new ArrayList<>(namespaces);
        }
        // Hosts first, the bridge last: a host's processes die before its cable is pulled.
        Collections.reverse(toRemove);
        List<String> failures = new ArrayList<>();
        for (String ns : toRemove)
        {
            String problem = remove(ns);
            if (problem != null)
                failures.add(problem);
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (IllegalStateException e)
        {
            // Already shutting down: this is the hook.
        }
        if (!failures.isEmpty())
            throw new IllegalStateException("could not remove: " + failures);
    }

    /** Kills whatever runs in {@code ns} and deletes it; returns null or what went wrong. */
    static String remove(String ns)
    {
        killEverythingIn(ns);
        Shell.Result del = Shell.run("ip", "netns", "del", ns);
        if (!del.ok() && listNamespaces().contains(ns))
            return del.describe();
        return null;
    }

    static void killEverythingIn(String ns)
    {
        for (int round = 0; round < 3; round++)
        {
            Shell.Result pids = Shell.run("ip", "netns", "pids", ns);
            if (!pids.ok() || pids.out().isBlank())
                return;
            List<ProcessHandle> victims = new ArrayList<>();
            for (String p : pids.out().split("\\s+"))
            {
                if (p.isBlank())
                    continue;
                Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(p.strip()));
                h.ifPresent(ph ->
                {
                    ph.descendants().forEach(victims::add);
                    victims.add(ph);
                });
            }
            for (ProcessHandle v : victims)
                v.destroyForcibly();
            for (ProcessHandle v : victims)
            {
                try
                {
                    v.onExit().get(10, TimeUnit.SECONDS);
                }
                catch (Exception e)
                {
                    // Checked again in the next round.
                }
            }
        }
    }

    public static List<String> listNamespaces()
    {
        List<String> out = new ArrayList<>();
        Shell.Result r = Shell.run("ip", "netns", "list");
        if (!r.ok())
            return out;
        for (String line : r.out().split("\n"))
        {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty())
                out.add(name);
        }
        return out;
    }

    /** Our namespaces, from this run or earlier ones, that still exist. */
    public static List<String> ourNamespaces()
    {
        return listNamespaces().stream().filter(n -> OURS.matcher(n).matches()).toList();
    }

    /**
     * Removes namespaces (and their processes) left by runs of this harness whose JVM is gone, such as one
     * killed with SIGKILL before it could clean up. Runs of live JVMs are left alone: they may be running now.
     */
    public static List<String> sweepLeftovers()
    {
        List<String> swept = new ArrayList<>();
        for (String ns : listNamespaces())
        {
            Matcher m = OURS.matcher(ns);
            if (!m.matches())
                continue;
            long owner = Long.parseLong(m.group(1));
            // A live JVM with that pid is a run in progress; anything else (gone, or the pid reused by another
            // program) means the owner died without cleaning up.
            boolean ownerAlive = ProcessHandle.of(owner).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().command()).map(c -> c.endsWith("/java")).orElse(false);
            if (ownerAlive)
                continue;
            remove(ns);
            swept.add(ns);
        }
        return swept;
    }
}
