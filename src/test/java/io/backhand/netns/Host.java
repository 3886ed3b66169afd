package io.backhand.netns;

import java.util.List;

/**
 * One host of the virtual LAN: its own network namespace with a single interface ({@code iface}, the host end
 * of a veth pair) whose other end ({@code bridgePort}) is plugged into the bridge.
 */
public record Host(String role, String namespace, String address, String iface, String bridgePort)
{
    /** The command prefix that runs a program on this host. */
    public List<String> exec()
    {
        return List.of("ip", "netns", "exec", namespace);
    }
}
