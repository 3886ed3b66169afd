package io.backhand.migrate;

/**
 * Writes the per-node part of a {@link Migration} as a Jetty {@code start.d} ini: one argument per line,
 * {@code -Dname=value} for Backhand's settings, {@code #} for comments and for suggestions left to the
 * operator.
 */
public final class StartIniWriter
{
    private StartIniWriter()
    {
    }

    public static String write(Migration m)
    {
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (Migration.IniEntry e : m.ini())
        {
            if (!first && !e.comments().isEmpty())
                b.append('\n');
            first = false;
            for (String c : e.comments())
                b.append("# ").append(c).append('\n');
            if (e.setting() != null)
                b.append(e.active() ? "" : "# ").append(e.setting()).append('\n');
        }
        if (!m.warnings().isEmpty())
        {
            b.append("\n# Warnings from the conversion (also in the web.xml):\n");
            for (Finding f : m.warnings())
            {
                String prefix = "#  - ";
                for (String line : WebXmlWriter.wrap(f.toString(), 110))
                {
                    b.append(prefix).append(line).append('\n');
                    prefix = "#    ";
                }
            }
        }
        return b.toString();
    }
}
