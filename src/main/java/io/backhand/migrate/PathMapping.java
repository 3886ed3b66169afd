package io.backhand.migrate;

/**
 * A URL path served from a directory, as httpd.conf declares it with DocumentRoot, Alias or ScriptAlias:
 * what lets a {@code <Directory>} block be turned into the URL it applied to.
 */
record PathMapping(String urlPath, String directory, String directive, int line)
{
    static String normalize(String path)
    {
        String p = path.replaceAll("/{2,}", "/");
        while (p.length() > 1 && p.endsWith("/"))
            p = p.substring(0, p.length() - 1);
        return p;
    }

    /** The URL for {@code dir} when it lies in this mapping's directory, or null. */
    String urlFor(String dir)
    {
        String base = normalize(directory);
        String d = normalize(dir);
        String rest;
        if (d.equals(base))
            rest = "";
        else if (d.startsWith(base.equals("/") ? "/" : base + "/"))
            rest = d.substring(base.equals("/") ? 0 : base.length());
        else
            return null;
        String url = normalize(urlPath);
        if (url.equals("/"))
            url = "";
        return url + rest;
    }
}
