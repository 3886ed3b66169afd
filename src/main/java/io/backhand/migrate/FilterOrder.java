package io.backhand.migrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the generated filters and reports the ones that can see the same request. Apache applied one
 * block's settings to a request; in a servlet container every filter whose url-pattern matches runs, in
 * web.xml order, and the first Backhand filter decides alone: the ones after it let the request pass, even
 * when it is kept on this node. So the most specific patterns go first, and every overlap is pointed out.
 */
final class FilterOrder
{
    private FilterOrder()
    {
    }

    /** Exact paths, then longer prefixes, then extensions, then {@code /*}, then unmapped filters. */
    static int rank(String pattern)
    {
        if (pattern.equals("/*"))
            return 3_000_000;
        if (pattern.startsWith("*."))
            return 2_000_000;
        if (pattern.endsWith("/*"))
            return 1_000_000 - pattern.length();
        return 0;
    }

    static List<FilterPlan> sort(List<FilterPlan> filters)
    {
        List<FilterPlan> out = new ArrayList<>(filters);
        out.sort(Comparator.comparingInt(f -> f.urlPatterns().stream().mapToInt(FilterOrder::rank).min().orElse(4_000_000)));
        return out;
    }

    static List<Finding> overlaps(List<FilterPlan> filters)
    {
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++)
        {
            for (int j = i + 1; j < filters.size(); j++)
            {
                FilterPlan a = filters.get(i);
                FilterPlan b = filters.get(j);
                if (!a.deployable() || !b.deployable())
                    continue;
                String example = example(a.urlPatterns(), b.urlPatterns());
                if (example != null)
                    out.add(Finding.warning(Math.max(a.line(), b.line()), "filters " + a.name() + " (" + a.block() + ") and "
                        + b.name() + " (" + b.block() + ") both match requests such as " + example + ". Such a request "
                        + "is decided by " + a.name() + " alone, which comes first; " + b.name() + "'s chain never sees it. "
                        + "Make the url-patterns disjoint if that is not wanted"));
            }
        }
        return out;
    }

    private static String example(List<String> as, List<String> bs)
    {
        for (String a : as)
        {
            for (String b : bs)
            {
                String e = example(a, b);
                if (e != null)
                    return e;
            }
        }
        return null;
    }

    /** A request path both patterns match, or null when they are disjoint. */
    static String example(String a, String b)
    {
        String[] candidates = {sample(a), sample(b)};
        for (String path : candidates)
        {
            if (matches(a, path) && matches(b, path))
                return path;
        }
        // A prefix and an extension always share the files of that extension under the prefix.
        if (a.endsWith("/*") && b.startsWith("*."))
            return a.substring(0, a.length() - 1) + "x" + b.substring(1);
        if (b.endsWith("/*") && a.startsWith("*."))
            return b.substring(0, b.length() - 1) + "x" + a.substring(1);
        return null;
    }

    private static String sample(String pattern)
    {
        if (pattern.startsWith("*."))
            return "/x" + pattern.substring(1);
        if (pattern.endsWith("/*"))
            return pattern.substring(0, pattern.length() - 1) + "x";
        return pattern;
    }

    /** The servlet specification's matching of one url-pattern. */
    static boolean matches(String pattern, String path)
    {
        if (pattern.equals("/*"))
            return true;
        if (pattern.startsWith("*."))
            return path.substring(path.lastIndexOf('/') + 1).endsWith(pattern.substring(1));
        if (pattern.endsWith("/*"))
        {
            String base = pattern.substring(0, pattern.length() - 2);
            return path.equals(base) || path.startsWith(base + "/");
        }
        return path.equals(pattern);
    }
}
