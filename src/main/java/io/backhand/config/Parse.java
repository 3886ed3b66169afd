package io.backhand.config;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/** Value parsers shared by context params and filter init-params, all failing with a clear message. */
public final class Parse
{
    private Parse()
    {
    }

    public static boolean onOff(Settings.Value v)
    {
        return switch (v.text().toLowerCase(Locale.ROOT))
        {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw v.invalid("on or off");
        };
    }

    public static int integer(Settings.Value v, int min, int max)
    {
        try
        {
            int n = Integer.parseInt(v.text());
            if (n < min || n > max)
                throw v.invalid("a whole number from " + min + " to " + max);
            return n;
        }
        catch (NumberFormatException e)
        {
            throw v.invalid("a whole number from " + min + " to " + max);
        }
    }

    /**
     * Accepts {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 2m}; a bare number means seconds, as in
     * mod_backhand's directives.
     */
    public static Duration duration(Settings.Value v, Duration min, Duration max)
    {
        Duration d = parseDuration(v.text());
        String expected = "a duration such as 500ms, 1s or 2m, from " + format(min) + " to " + format(max);
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0)
            throw v.invalid(expected);
        return d;
    }

    /** Null when the text is not a duration. */
    public static Duration parseDuration(String text)
    {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long factorNanos;
        String number;
        if (t.endsWith("ms"))
        {
            factorNanos = 1_000_000L;
            number = t.substring(0, t.length() - 2);
        }
        else if (t.endsWith("s"))
        {
            factorNanos = 1_000_000_000L;
            number = t.substring(0, t.length() - 1);
        }
        else if (t.endsWith("m"))
        {
            factorNanos = 60_000_000_000L;
            number = t.substring(0, t.length() - 1);
        }
        else
        {
            factorNanos = 1_000_000_000L;
            number = t;
        }
        try
        {
            double n = Double.parseDouble(number.strip());
            if (!Double.isFinite(n) || n < 0 || number.isBlank() || !number.strip().matches("[0-9.]+"))
                return null;
            return Duration.ofNanos(Math.round(n * factorNanos));
        }
        catch (NumberFormatException e)
        {
            return null;
        }
    }

    public static String format(Duration d)
    {
        if (d.toMillis() % 1000 != 0)
            return d.toMillis() + "ms";
        long s = d.toSeconds();
        if (s % 60 == 0 && s >= 60)
            return (s / 60) + "m";
        return s + "s";
    }

    /** ", did you mean X?" for the closest known name, or empty when nothing is close. */
    public static String suggestion(String name, Collection<String> known)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known)
        {
            int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }
        if (best != null && bestDistance <= Math.max(2, name.length() / 3))
            return " (did you mean " + best + "?)";
        return "";
    }

    /** Levenshtein distance: how many one-letter edits turn {@code a} into {@code b}. */
    public static int distance(String a, String b)
    {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
            prev[j] = j;
        for (int i = 1; i <= a.length(); i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Bytes, or with k or m (binary: 1k is 1024 bytes), from min to max. */
    public static long size(Settings.Value v, long min, long max)
    {
        String t = v.text().strip().toLowerCase(java.util.Locale.ROOT);
        long factor = 1;
        if (t.endsWith("k") || t.endsWith("m"))
        {
            factor = t.endsWith("k") ? 1024 : 1024 * 1024;
            t = t.substring(0, t.length() - 1).strip();
        }
        if (!t.matches("[0-9]{1,9}"))
            throw v.invalid("a size from " + (min == 0 ? "0 (off)" : formatSize(min)) + " to " + formatSize(max)
                + ", such as 65536, 64k or 1m");
        long n = Long.parseLong(t) * factor;
        if (n < min || n > max)
            throw v.invalid("a size from " + (min == 0 ? "0 (off)" : formatSize(min)) + " to " + formatSize(max)
                + ", such as 65536, 64k or 1m");
        return n;
    }

    /** The shortest exact form: 16m, 64k or 1000. */
    public static String formatSize(long bytes)
    {
        if (bytes != 0 && bytes % (1024 * 1024) == 0)
            return bytes / (1024 * 1024) + "m";
        if (bytes != 0 && bytes % 1024 == 0)
            return bytes / 1024 + "k";
        return Long.toString(bytes);
    }
}
