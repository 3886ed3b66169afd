package io.backhand.cluster;

import java.util.List;

/**
 * The warning a node without a secret logs at start when the set of senders it believes is large or easy to
 * reach: it says what any of them can do, in the words an operator needs to judge it.
 */
public final class Exposure
{
    /**
     * IPv4 ranges larger than a /16 (65,536 addresses) are more than a cluster's network; in IPv6 a network is
     * a /64, so only ranges larger than that are.
     */
    static final int WIDE_V4_HOST_BITS = 16;
    static final int WIDE_V6_HOST_BITS = 64;

    private Exposure()
    {
    }

    /** The warning, or null when a secret is set, nothing is accepted, or the ranges are small and multicast only. */
    public static String warning(StatsSettings s)
    {
        if (s.secret() != null || s.acceptStats().isEmpty())
            return null;
        List<Cidr> wide = s.acceptStats().ranges().stream().filter(Exposure::isWide).toList();
        boolean peers = !s.transport().peers().isEmpty();
        if (wide.isEmpty() && !peers)
            return null;
        String why = !wide.isEmpty() ? "backhand.acceptStats admits more than a /16 of IPv4 or a /64 of IPv6 ("
            + wide + ")"
            : "this node takes announcements from unicast peers (backhand.peers)";
        return "backhand.secret is not set and " + why + ": anyone who can send a UDP datagram from "
            + s.acceptStats() + " to port(s) " + s.transport().listenPorts() + " can add servers to this node's table"
            + " at any address and port inside " + s.memberAddresses() + " (at most " + NewNameBudget.BURST
            + " new names per source address, then one every " + NewNameBudget.REFILL_NANOS / 1_000_000_000L
            + " s), report false load so that requests go where they choose, and take over the name of a server"
            + " that has been silent for a few announcements; one who can forge a real node's source address (easy"
            + " on a shared network) can speak for that node: take it out with a false 'leaving', or send its"
            + " requests elsewhere inside that range. Set backhand.secretFile on every node to sign"
            + " announcements (docs/operations.md, Secrets).";
    }

    /** Loopback ranges are reachable only from this host, however wide. */
    private static boolean isWide(Cidr c)
    {
        return !c.isLoopback() && c.hostBits() > (c.isIPv4() ? WIDE_V4_HOST_BITS : WIDE_V6_HOST_BITS);
    }
}
