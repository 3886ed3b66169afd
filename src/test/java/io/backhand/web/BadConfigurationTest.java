package io.backhand.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A typo in web.xml stops the webapp from deploying, and the message names the parameter,
 * the line, and what was expected. The project's real web.xml is deployed with one line changed.
 */
@Tag("cluster")
class BadConfigurationTest
{
    @TempDir
    Path dir;

    private Throwable deploy(String from, String to) throws Exception
    {
        return deploy(from, to, Map.of());
    }

    /** The real web.xml with one line changed and these context-params added. */
    private Throwable deploy(String from, String to, Map<String, String> params) throws Exception
    {
        Path webapp = dir.resolve("webapp");
        Path webInf = Files.createDirectories(webapp.resolve("WEB-INF"));
        String xml = Files.readString(Path.of("webapp/WEB-INF/web.xml"));
        assertTrue(xml.contains(from), "web.xml no longer contains '" + from + "'");
        Files.writeString(webInf.resolve("web.xml"), xml.replace(from, to));
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebAppContext context = new WebAppContext(webapp.toString(), "/");
        context.setParentLoaderPriority(true);
        context.setThrowUnavailableOnStartupException(true);
        context.setInitParameter("backhand.stateDir", dir.resolve("state").toString());
        params.forEach(context::setInitParameter);
        server.setHandler(context);
        try
        {
            Throwable t = assertThrows(Throwable.class, server::start);
            assertFalse(context.isAvailable(), "the webapp must not be available");
            return t;
        }
        finally
        {
            server.stop();
        }
    }

    private static String messages(Throwable t)
    {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause())
        {
            b.append(c.getMessage()).append(" | ");
            for (Throwable s : c.getSuppressed())
                b.append(messages(s));
        }
        return b.toString();
    }

    private static int lineOf(Path file, String text) throws Exception
    {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).contains(text))
                return i + 1;
        }
        throw new AssertionError(text + " not in " + file);
    }

    private static void assertMentions(String message, String... parts)
    {
        for (String part : parts)
            assertTrue(message.contains(part), "'" + part + "' is missing from: " + message);
    }

    @Test
    void aBadChainLineStopsDeploymentNamingParameterLineAndExpectation() throws Exception
    {
        String message = messages(deploy("        byAge 6\n", "        byAge six\n"));
        int xmlLine = lineOf(dir.resolve("webapp/WEB-INF/web.xml"), "byAge six");
        assertMentions(message, "init-param candidacy", "line 2 of the chain", "WEB-INF/web.xml line " + xmlLine, "'six'",
            "expects the largest age in seconds, a number");
    }

    @Test
    void anUnknownFunctionIsNamedWithASuggestion() throws Exception
    {
        String message = messages(deploy("        byLatency\n", "        byLatensy\n"));
        assertMentions(message, "'byLatensy'", "unknown candidacy function", "did you mean byLatency?");
    }

    @Test
    void aMisspelledContextParamIsNamedWithItsLine() throws Exception
    {
        String message = messages(deploy("<param-name>backhand.announceInterval</param-name>",
            "<param-name>backhand.announceIntervall</param-name>"));
        int xmlLine = lineOf(dir.resolve("webapp/WEB-INF/web.xml"), "backhand.announceIntervall");
        assertMentions(message, "context-param backhand.announceIntervall (WEB-INF/web.xml line " + xmlLine + ")",
            "did you mean backhand.announceInterval?");
    }

    @Test
    void aBadValueNamesItsParameterAndExpectation() throws Exception
    {
        String message = messages(deploy("<param-value>1s</param-value>", "<param-value>one second</param-value>"));
        assertMentions(message, "backhand.announceInterval",
            "'one second' is not valid; expected a duration such as 500ms, 1s or 2m");
        assertTrue(Stream.of(message.split("\\|")).anyMatch(m -> m.contains("web.xml line")), message);
    }

    /** {@code -Dbackhand.secret=}: a secret that is set but empty would sign nothing, so nothing deploys. */
    @Test
    void anEmptySecretStopsDeploymentNamingTheSetting() throws Exception
    {
        String before = System.getProperty("backhand.secret");
        System.setProperty("backhand.secret", "");
        String message;
        try
        {
            message = messages(deploy("<param-value>1s</param-value>", "<param-value>1s</param-value>"));
        }
        finally
        {
            if (before == null)
                System.clearProperty("backhand.secret");
            else
                System.setProperty("backhand.secret", before);
        }
        assertTrue(message.contains("backhand.secret (system property -Dbackhand.secret) is set but empty"), message);
        assertTrue(message.contains("a shared secret of at least 16 characters"), message);
    }

    @Test
    void anEmptySecretContextParamStopsDeployment() throws Exception
    {
        String message = messages(deploy("<param-value>1s</param-value>", "<param-value>1s</param-value>",
            Map.of("backhand.secret", "")));
        assertTrue(message.contains("backhand.secret (context-param) is set but empty"), message);
    }

    @Test
    void anEmptySecretFileStopsDeployment() throws Exception
    {
        Path empty = Files.writeString(dir.resolve("secret"), "\n");
        String message = messages(deploy("<param-value>1s</param-value>", "<param-value>1s</param-value>",
            Map.of("backhand.secretFile", empty.toString())));
        assertTrue(message.contains("backhand.secretFile"), message);
        assertTrue(message.contains("it is empty"), message);
    }
}
