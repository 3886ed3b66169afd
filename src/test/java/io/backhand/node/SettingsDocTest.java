package io.backhand.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.backhand.config.Setting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md says what {@link SettingsRegistry} does: its quick index lists every setting with the
 * registry's scope, default and anchor, and each entry states the registry's default and range.
 */
class SettingsDocTest
{
    private static String doc;

    @BeforeAll
    static void read() throws Exception
    {
        doc = Files.readString(Path.of("docs/configuration.md"));
    }

    /** The rows of a markdown table whose first cell starts with a backtick, cells without the outer bars. */
    private static List<String[]> rows(String text)
    {
        List<String[]> out = new ArrayList<>();
        for (String line : text.split("\n"))
        {
            if (line.startsWith("| `"))
                out.add(line.substring(2, line.length() - 2).split(" \\| ", -1));
        }
        return out;
    }

    private static String section(String heading, String nextHeadingPrefix)
    {
        int start = doc.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "no heading '" + heading + "' in docs/configuration.md");
        int end = doc.indexOf("\n" + nextHeadingPrefix, start + heading.length() + 2);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    private static Map<String, String[]> quickIndex()
    {
        Map<String, String[]> index = new HashMap<>();
        for (String[] row : rows(section("## 5. Quick index", "## ")))
        {
            String name = row[0].replace("`", "");
            assertEquals(4, row.length, "quick index row of " + name + ": name | kind | default | section");
            assertTrue(index.put(name, row) == null, "two quick index rows for " + name);
        }
        return index;
    }

    @Test
    void theQuickIndexListsExactlyTheRegisteredSettings()
    {
        Set<String> registered = new TreeSet<>();
        SettingsRegistry.all().forEach(s -> registered.add(s.name()));
        assertEquals(registered, new TreeSet<>(quickIndex().keySet()));
    }

    @Test
    void eachQuickIndexRowGivesTheRegistrysScopeDefaultAndAnchor()
    {
        Map<String, String[]> index = quickIndex();
        for (Setting<?> s : SettingsRegistry.all())
        {
            String[] row = index.get(s.name());
            assertEquals(s.scope().words(), row[1], "kind of " + s.name());
            assertEquals(s.documentedDefault(), row[2], "default of " + s.name());
            assertEquals("[" + s.section() + "](#" + s.anchor() + ")", row[3], "section of " + s.name());
        }
    }

    @Test
    void everyAnchorIsAHeading()
    {
        Set<String> anchors = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^#+ (.+)$").matcher(doc);
        while (m.find())
            anchors.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        for (Setting<?> s : SettingsRegistry.all())
            assertTrue(anchors.contains(s.anchor()), s.name() + ": no heading with anchor #" + s.anchor());
    }

    @Test
    void aDocumentedDefaultValueIsTheOneTheCodeUses()
    {
        for (Setting<?> s : SettingsRegistry.all())
        {
            if (s.defaultValue() != null && s.documentedDefault().contains("`"))
                assertTrue(s.documentedDefault().contains("`" + format(s) + "`"),
                    s.name() + ": documented as " + s.documentedDefault() + " but the code's default is " + format(s));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> String format(Setting<T> s)
    {
        return s.type().format(s.defaultValue());
    }

    @Test
    void eachEntryStatesItsDefaultAndRange()
    {
        for (Setting<?> s : SettingsRegistry.all())
        {
            if (s.anchor().equals("jetty-proxy-settings"))
                continue;
            String entry = section("#### " + heading(s), "#").replace("`", "");
            if (s.defaultValue() != null && s.documentedDefault().startsWith("`"))
            {
                Matcher row = Pattern.compile("\\| Default +\\| ([^|]*)\\|").matcher(entry);
                assertTrue(row.find(), s.name() + ": its entry has no Default row");
                assertTrue(row.group(1).startsWith(format(s)), s.name() + ": Default row says " + row.group(1).strip()
                    + " but the code's default is " + format(s));
            }
            assertTrue(entry.contains(s.type().range()), s.name() + ": its entry does not give the range " + s.type().range());
        }
    }

    private static String heading(Setting<?> s)
    {
        Matcher m = Pattern.compile("(?m)^#### (.+)$").matcher(doc);
        while (m.find())
        {
            String h = m.group(1).strip();
            if (h.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-').equals(s.anchor()))
                return h;
        }
        throw new AssertionError(s.name() + ": no entry #### with anchor " + s.anchor());
    }

    @Test
    void theJettyProxyTableGivesTheRegistrysDefaultsAndRanges()
    {
        Map<String, String[]> table = new HashMap<>();
        for (String[] row : rows(section("#### Jetty proxy settings", "---")))
            table.put(row[0].replace("`", "").strip(), row);
        Set<String> documented = new TreeSet<>(table.keySet());
        Set<String> registered = new TreeSet<>();
        for (Setting<Integer> s : SettingsRegistry.jettyProxyParams())
        {
            registered.add(s.name());
            String[] row = table.get(s.name());
            if (row == null)
                continue;
            assertEquals(s.documentedDefault(), row[1].strip(), "default of " + s.name());
            assertEquals(s.type().range(), row[2].strip(), "range of " + s.name());
        }
        assertEquals(registered, documented);
    }
}
