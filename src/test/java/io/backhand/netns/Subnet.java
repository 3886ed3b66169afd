package io.backhand.netns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private IPv4 /24 for the virtual LAN that overlaps nothing this machine routes or owns. The LAN never
 * touches the root namespace, so a clash could not leak traffic; avoiding one keeps addresses in logs
 * unambiguous for whoever reads them.
 */
public record Subnet(int second, int third)
{
    private static final Pattern PREFIX = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)(?:/(\\d+))?");

    public static Subnet choose()
    {
        List<long[]> used = usedRanges();
        for (int attempt = 0; attempt < 200; attempt++)
        {
            Subnet s = new Subnet(ThreadLocalRandom.current().nextInt(64, 250), ThreadLocalRandom.current().nextInt(1, 255));
            long base = s.base();
            boolean clash = false;
            for (long[] r : used)
                clash |= base <= r[1] && r[0] <= base + 255;
            if (!clash)
                return s;
        }
        throw new IllegalStateException("no free 10.x.y.0/24 among this host's routes: " + used.size() + " ranges in use");
    }

    /** [first, last] of every IPv4 prefix in the root namespace's routing tables and addresses, except the default. */
    private static List<long[]> usedRanges()
    {
        List<long[]> out = new ArrayList<>();
        String text = Shell.check("ip", "-4", "route", "show", "table", "all") + "\n" + Shell.check("ip", "-4", "-o", "addr");
        for (String line : text.split("\n"))
        {
            String[] words = line.strip().split("\\s+");
            for (String w : words)
            {
                Matcher m = PREFIX.matcher(w);
                if (!m.matches())
                    continue;
                int len = m.group(2) == null ? 32 : Integer.parseInt(m.group(2));
                if (len == 0)
                    continue;
                long a = toLong(m.group(1));
                long mask = len == 32 ? 0xFFFFFFFFL : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
                out.add(new long[] {a & mask, (a & mask) | (~mask & 0xFFFFFFFFL)});
            }
        }
        return out;
    }

    private static long toLong(String dotted)
    {
        long v = 0;
        for (String part : dotted.split("\\."))
            v = (v << 8) | Integer.parseInt(part);
        return v;
    }

    long base()
    {
        return (10L << 24) | ((long) second << 16) | ((long) third << 8);
    }

    public String host(int last)
    {
        return "10." + second + "." + third + "." + last;
    }

    public String cidr()
    {
        return "10." + second + "." + third + ".0/24";
    }

    /** A narrower range inside the subnet, such as the legitimate hosts' AcceptStats range. */
    public String cidr(int first, int prefixLength)
    {
        return host(first) + "/" + prefixLength;
    }
}
