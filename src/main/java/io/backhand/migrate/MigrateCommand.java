package io.backhand.migrate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code bin/backhand-migrate httpd.conf [--web-xml FILE] [--ini FILE]}: converts an httpd.conf with
 * mod_backhand directives into Backhand's web.xml and the node's start.d ini. What is not written to a file
 * goes to standard output (web.xml first); findings go to standard error, one per line, compiler-style
 * ({@code httpd.conf:12: warning: ...}).
 *
 * <p>Exit status: 0 when converted (even with warnings), 1 when the httpd.conf cannot be converted, 2 for a
 * usage error.</p>
 */
public final class MigrateCommand
{
    static final String USAGE = "usage: backhand-migrate httpd.conf [--web-xml FILE] [--ini FILE]";

    private MigrateCommand()
    {
    }

    public static void main(String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err)
    {
        String input = null;
        Path webXml = null;
        Path ini = null;
        for (int i = 0; i < args.length; i++)
        {
            String a = args[i];
            if (a.equals("--web-xml") || a.equals("--ini"))
            {
                if (i + 1 >= args.length)
                {
                    err.println("backhand-migrate: " + a + " needs a file name\n" + USAGE);
                    return 2;
                }
                Path p = Path.of(args[++i]);
                if (a.equals("--web-xml"))
                    webXml = p;
                else
                    ini = p;
            }
            else if (a.equals("-h") || a.equals("--help"))
            {
                out.println(USAGE);
                return 0;
            }
            else if (a.startsWith("-") || input != null)
            {
                err.println("backhand-migrate: unexpected argument '" + a + "'\n" + USAGE);
                return 2;
            }
            else
            {
                input = a;
            }
        }
        if (input == null)
        {
            err.println(USAGE);
            return 2;
        }
        String text;
        try
        {
            text = Files.readString(Path.of(input), StandardCharsets.ISO_8859_1);
        }
        catch (NoSuchFileException e)
        {
            err.println("backhand-migrate: " + input + ": no such file");
            return 1;
        }
        catch (IOException e)
        {
            err.println("backhand-migrate: " + input + ": " + e.getMessage());
            return 1;
        }
        Migration m;
        try
        {
            m = HttpdConfConverter.convert(text, Path.of(input).getFileName().toString());
        }
        catch (MigrationException e)
        {
            err.println(input + ":" + e.line() + ": error: " + e.problem());
            return 1;
        }
        for (Finding f : m.findings())
            err.println(input + ":" + f.line() + ": " + f.kind().word() + ": " + f.message());
        String xml = WebXmlWriter.write(m);
        String iniText = StartIniWriter.write(m);
        try
        {
            if (webXml != null)
                Files.writeString(webXml, xml, StandardCharsets.UTF_8);
            if (ini != null)
                Files.writeString(ini, iniText, StandardCharsets.UTF_8);
        }
        catch (IOException e)
        {
            err.println("backhand-migrate: cannot write: " + e);
            return 1;
        }
        if (webXml == null)
            out.print(xml);
        if (ini == null)
        {
            if (webXml == null)
                out.println("\n<!-- ==================== start.d/backhand.ini ==================== -->");
            out.print(iniText);
        }
        err.println(input + ": " + m.filters().size() + " filter(s), " + m.contextParams().size() + " context-param(s), "
            + m.warnings().size() + " warning(s)" + (webXml != null ? "; web.xml written to " + webXml : "")
            + (ini != null ? "; ini written to " + ini : ""));
        return 0;
    }
}
