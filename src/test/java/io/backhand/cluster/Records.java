package io.backhand.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;

import io.backhand.stats.NodeState;
import io.backhand.stats.ServerStats;

/** Announcements for tests: one with every field set to a distinct value, and random valid ones. */
final class Records
{
    private static final String[] WORDS = {"app", "node-7", "balancer.example.org", "Ünïcødé", "東京", "web_01",
        "a", "𝄞 clef", "x:y@z", ""};

    private Records()
    {
    }

    static InetAddress ip(String literal)
    {
        try
        {
            return InetAddress.getByName(literal);
        }
        catch (UnknownHostException e)
        {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** Every field differs from the builder's defaults and from every other field. */
    static ServerStats everyField()
    {
        return ServerStats.builder()
            .name("app-3")
            .hostname("app3.example.org")
            .contactAddress(ip("10.58.4.23"))
            .contactPort(8443)
            .secure(true)
            .startedAtMillis(1_700_000_000_123L)
            .sentAtMillis(1_700_000_456_789L)
            .sequence(4_242_424_242L)
            .state(NodeState.DRAINING)
            .arriba(3_141)
            .totalWorkers(250)
            .idleWorkers(177)
            .inFlight(61)
            .load1000(2_718)
            .loadHighWater1000(8_000)
            .cpuIdle1000(577)
            .cpuCount(48)
            .memTotalBytes(68_719_476_736L)
            .memFreeBytes(12_884_901_888L)
            .requestsBackhanded(9_876_543_210L)
            .avgServeMicros(1_234_567)
            .workerName("node3")
            .version("1.4.2-SNAPSHOT")
            .build();
    }

    /** A random record the encoder accepts, reaching the edges of every field's range now and then. */
    static ServerStats random(Random r)
    {
        int total = r.nextInt(4) == 0 ? 0 : r.nextInt(1 << (1 + r.nextInt(30)));
        long memTotal = r.nextInt(8) == 0 ? Long.MAX_VALUE : r.nextLong() >>> (1 + r.nextInt(40));
        InetAddress address = switch (r.nextInt(3))
        {
            case 0 -> null;
            case 1 -> ip("10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)));
            default -> ip("fd00::" + Integer.toHexString(1 + r.nextInt(0xFFFF)) + ":" + Integer.toHexString(r.nextInt(0xFFFF)));
        };
        return ServerStats.builder()
            .name(word(r, false))
            .hostname(word(r, false))
            .contactAddress(address)
            .contactPort(1 + r.nextInt(65535))
            .secure(r.nextBoolean())
            .startedAtMillis(1 + (r.nextLong() >>> 1) % 4_000_000_000_000L)
            .sentAtMillis(1 + (r.nextLong() >>> 1) % 4_000_000_000_000L)
            .sequence(r.nextInt(4) == 0 ? Long.MAX_VALUE : r.nextLong() >>> 1 + r.nextInt(62))
            .state(NodeState.values()[r.nextInt(NodeState.values().length)])
            .arriba(1 + r.nextInt(Integer.MAX_VALUE))
            .totalWorkers(total)
            .idleWorkers(total == 0 ? 0 : r.nextInt(total + 1))
            .inFlight(r.nextInt(Integer.MAX_VALUE))
            .load1000(r.nextInt(Integer.MAX_VALUE))
            .loadHighWater1000(1000 << r.nextInt(StatsCodec.MAX_HWM_EXPONENT + 1))
            .cpuIdle1000(r.nextInt(1001))
            .cpuCount(1 + r.nextInt(65535))
            .memTotalBytes(memTotal)
            .memFreeBytes(memTotal == 0 ? 0 : (r.nextLong() >>> 1) % memTotal)
            .requestsBackhanded(r.nextLong() >>> 1)
            .avgServeMicros(r.nextInt(Integer.MAX_VALUE))
            .workerName(word(r, true))
            .version(word(r, true))
            .build();
    }

    private static String word(Random r, boolean mayBeEmpty)
    {
        String w;
        do
        {
            w = WORDS[r.nextInt(WORDS.length)];
            if (r.nextInt(10) == 0)
            {
                String repeated = w.repeat(1 + r.nextInt(255));
                w = repeated.substring(0, Math.min(repeated.length(), 255));
            }
        }
        while (w.isEmpty() && !mayBeEmpty || w.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255
            || !validUtf16(w));
        return w;
    }

    private static boolean validUtf16(String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c))
            {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                    return false;
                i++;
            }
            else if (Character.isLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}
