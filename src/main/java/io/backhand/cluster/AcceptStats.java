package io.backhand.cluster;

import java.net.InetAddress;
import java.util.List;

/**
 * mod_backhand's AcceptStats: the source ranges whose announcements are believed. It fails closed: with no
 * range configured nothing from the network is accepted and this node knows only itself.
 */
public final class AcceptStats
{
    private final List<Cidr> ranges;

    public AcceptStats(List<Cidr> ranges)
    {
        this.ranges = List.copyOf(ranges);
    }

    public static AcceptStats none()
    {
        return new AcceptStats(List.of());
    }

    public boolean isEmpty()
    {
        return ranges.isEmpty();
    }

    public boolean accepts(InetAddress source)
    {
        for (Cidr c : ranges)
        {
            if (c.contains(source))
                return true;
        }
        return false;
    }

    public List<Cidr> ranges()
    {
        return ranges;
    }

    @Override
    public String toString()
    {
        return ranges.toString();
    }
}
