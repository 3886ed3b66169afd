package io.backhand.netns;

/**
 * Whether this machine can build the namespace cluster: root, iproute2's {@code ip}, and a kernel and
 * container that allow network namespaces, veth pairs and bridges. Tried for real on a throw-away namespace,
 * because a container can deny any one of them.
 */
public final class NetnsSupport
{
    private NetnsSupport()
    {
    }

    /** Null when everything works, otherwise the plain reason the cluster cannot run here. */
    public static String whyUnavailable()
    {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux"))
            return "network namespaces need Linux; this is " + System.getProperty("os.name");
        Shell.Result id = Shell.run("id", "-u");
        if (!id.ok() || !id.out().strip().equals("0"))
            return "creating network namespaces needs root (id -u says " + id.out().strip() + ")";
        Shell.Result ip = Shell.run("ip", "-V");
        if (!ip.ok())
            return "iproute2's ip command is missing (" + ip.describe() + "); install iproute2";
        String probe = VirtualLan.PREFIX + ProcessHandle.current().pid() + "-probe";
        try
        {
            Shell.Result add = Shell.run("ip", "netns", "add", probe);
            if (!add.ok())
                return "this kernel or container does not allow network namespaces: " + add.describe();
            Shell.Result veth = Shell.run("ip", "-n", probe, "link", "add", "p0", "type", "veth", "peer", "name", "p1");
            if (!veth.ok())
                return "veth pairs cannot be created in a network namespace: " + veth.describe();
            Shell.Result bridge = Shell.run("ip", "-n", probe, "link", "add", "br0", "type", "bridge");
            if (!bridge.ok())
                return "bridges cannot be created in a network namespace: " + bridge.describe();
            Shell.Result exec = Shell.run("ip", "netns", "exec", probe, "true");
            if (!exec.ok())
                return "ip netns exec does not work here: " + exec.describe();
            return null;
        }
        finally
        {
            Shell.run("ip", "netns", "del", probe);
        }
    }
}
