package io.backhand.migrate;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed httpd.conf files stop the conversion with the line and what was expected there, and the
 * command reports them compiler-style with a failing exit status.
 */
class MigrationErrorsTest
{
    @TempDir
    Path dir;

    private static MigrationException refused(String conf)
    {
        return assertThrows(MigrationException.class, () -> HttpdConfConverter.convert(conf, "test.conf"));
    }

    private static void assertRefused(String conf, int line, String... parts)
    {
        MigrationException e = refused(conf);
        assertEquals(line, e.line(), e.getMessage());
        for (String p : parts)
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    @Test
    void anUnclosedBlockIsNamedAtTheLineThatOpensIt()
    {
        assertRefused("MulticastStats 239.255.1.1:4445\n\n<Directory /var/www>\n  Backhand byAge\n", 3,
            "<Directory /var/www> is never closed; expected </Directory>");
    }

    @Test
    void aBlockClosedByTheWrongTagNamesBoth()
    {
        assertRefused("<Location /app>\n  Backhand byAge\n</Directory>\n", 3,
            "</Directory> does not close <Location> opened at line 1");
        assertRefused("Backhand byAge\n</Location>\n", 2, "no section is open");
    }

    @Test
    void anUnterminatedQuoteAndAnUnfinishedTagAreRefused()
    {
        assertRefused("<Location \"/backhand/>\nSetHandler backhand-handler\n</Location>\n", 1, "is never closed");
        assertRefused("<Location /backhand/\nSetHandler backhand-handler\n</Location>\n", 1, "has no closing '>'");
    }

    @Test
    void aMisspeltBackhandDirectiveIsRefusedWithTheRightName()
    {
        assertRefused("AcceptStats 10.0.0.0/8\nMulticastStat 239.255.1.1:4445,1\n", 2,
            "'MulticastStat' is not a mod_backhand directive", "did you mean MulticastStats?");
        assertRefused("BackhandSelfRedirct On\n", 1, "did you mean BackhandSelfRedirect?");
    }

    @Test
    void directivesOfOtherModulesAreLeftAlone() throws Exception
    {
        Migration m = HttpdConfConverter.convert("ServerRoot /usr/local/apache\nKeepAlive On\nMulticastStats 239.255.1.1:4445,1\n"
            + "AcceptStats 10.0.0.0/8\n<Directory /srv>\nOptions None\n</Directory>\n", "t.conf");
        assertEquals(3, m.ignored(), "two directives and one section without Backhand lines");
        assertTrue(m.filters().isEmpty());
    }

    @Test
    void badMulticastStatsNameTheLineAndTheExpectedForm()
    {
        assertRefused("AcceptStats 10.58.4.0/24\nMulticastStats 10.58.4.1 239.255.221.20\n", 2, "needs a port");
        assertRefused("MulticastStats 239.255.221.20:4445,300\n", 1, "TTL '300' is not a number from 0 to 255");
        assertRefused("MulticastStats 10.58.4.1 239.255.221.20:4445 extra\n", 1,
            "MulticastStats takes [advertise-ip[:port]] dest-ip:port[,ttl]", "found 3 word(s)");
        assertRefused("MulticastStats balancer 239.255.221.20:4445\n", 1, "advertised address 'balancer' must be an IP address");
    }

    @Test
    void badAcceptStatsAndOnOffValuesAreRefused()
    {
        assertRefused("AcceptStats 10.58.4.0/33\n", 1, "prefix length outside 0..32");
        assertRefused("AcceptStats\n", 1, "AcceptStats needs an address range");
        assertRefused("BackhandSelfRedirect Maybe\n", 1, "takes On or Off, not 'Maybe'");
        assertRefused("UnixSocketDir\n", 1, "UnixSocketDir takes 1 argument");
    }

    @Test
    void backhandWithoutAFunctionOrWithAWrongOneIsRefusedAtItsLine()
    {
        assertRefused("<Location />\n  Backhand\n</Location>\n", 2, "Backhand needs a candidacy function");
        assertRefused("<Location />\n  Backhand byAge 6\n  Backhand byLaod\n</Location>\n", 3,
            "'byLaod': unknown candidacy function", "did you mean byLoad?");
        assertRefused("<Location />\n  Backhand byAge six\n</Location>\n", 2, "'six'", "the largest age in seconds");
        assertRefused("<Location />\n  Backhand byrandom\n</Location>\n", 2, "names are case-sensitive");
        assertRefused("<Location />\n  BackhandFromSO libexec/byHostname.so\n</Location>\n", 2,
            "BackhandFromSO takes a shared object, a function name and an optional argument");
    }

    @Test
    void blocksThatApacheItselfRefusesAreRefused()
    {
        assertRefused("<Directory /var/www>\n<Location /app>\nBackhand byAge\n</Location>\n</Directory>\n", 2,
            "cannot be inside <Directory /var/www>");
        assertRefused("<Location>\nBackhand byAge\n</Location>\n", 1, "<Location> takes one path or pattern");
        assertRefused("<VirtualHost 10.0.0.1>\n<VirtualHost 10.0.0.2>\nBackhand byAge\n</VirtualHost>\n</VirtualHost>\n", 2,
            "virtual hosts do not nest");
    }

    @Test
    void aFileWithoutMod_backhandIsRefused()
    {
        assertRefused("ServerRoot /usr/local/apache\nDocumentRoot /var/www\n", 1, "no mod_backhand directive in this file");
    }

    /** The wiki page as it is: its first line that httpd would refuse is named. */
    @Test
    void theWikiPageItselfIsNotAnHttpdConf() throws Exception
    {
        String page = WikiClusterMigrationTest.resource("wiki-page.txt");
        assertRefused(page, 7, "'cluster.png' is not a directive name", "is this an httpd.conf file?");
    }

    /** A directive line copied from the wiki page, with its link markup, is recognised as such. */
    @Test
    void wikiLinkMarkupIsRecognisedAndExplained() throws Exception
    {
        String page = WikiClusterMigrationTest.resource("wiki-page.txt");
        String copied = page.lines().filter(l -> l.startsWith("MulticastStats?")).findFirst().orElseThrow();
        assertRefused("AcceptStats 10.58.4.0/24\n" + copied + "\n", 2, "'MulticastStats?' is wiki link markup",
            "write MulticastStats");
        String section = page.lines().filter(l -> l.startsWith("<!IfModule?")).findFirst().orElseThrow();
        assertRefused(section + "\nUnixSocketDir /var/backhand/\n</IfModule>\n", 1, "'!IfModule?' is wiki link markup",
            "write IfModule");
    }

    private record Run(int status, String out, String err)
    {
    }

    private static Run run(String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MigrateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandReportsErrorsCompilerStyleAndFails() throws Exception
    {
        Path conf = dir.resolve("broken.conf");
        Files.writeString(conf, "AcceptStats 10.0.0.0/8\n<Location /app>\nBackhand byAge\n");
        Run r = run(conf.toString(), "--web-xml", dir.resolve("web.xml").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith(conf + ":2: error: <Location /app> is never closed"), r.err());
        assertTrue(r.out().isEmpty(), r.out());
        assertTrue(Files.notExists(dir.resolve("web.xml")), "nothing is written for a file that cannot be converted");

        assertEquals(1, run(dir.resolve("missing.conf").toString()).status());
        assertEquals(2, run().status());
        assertEquals(2, run(conf.toString(), "--ini").status());
        assertEquals(2, run(conf.toString(), "--frobnicate").status());
    }

    @Test
    void theCommandWritesBothFilesAndWarnsOnStandardError() throws Exception
    {
        Path conf = dir.resolve("balancer.conf");
        Files.writeString(conf, WikiClusterMigrationTest.resource("balancer.conf"));
        Path xml = dir.resolve("web.xml");
        Path ini = dir.resolve("backhand.ini");
        Run r = run(conf.toString(), "--web-xml", xml.toString(), "--ini", ini.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().isEmpty(), r.out());
        assertTrue(r.err().contains(conf + ":15: warning: <Directory /usr/local/www/htdocs/> is a filesystem path"), r.err());
        assertTrue(r.err().contains("1 filter(s), 2 context-param(s), 1 warning(s)"), r.err());
        assertTrue(Files.readString(xml).contains("<url-pattern>/*</url-pattern>"));
        assertTrue(Files.readString(ini).contains("-Dbackhand.multicastStats=10.58.4.1 239.255.221.20:4445,1"));

        Run toStdout = run(conf.toString());
        assertEquals(0, toStdout.status());
        assertTrue(toStdout.out().startsWith("<?xml"), toStdout.out());
        assertTrue(toStdout.out().contains("-Dbackhand.stateDir=/var/backhand/"), toStdout.out());
    }
}
