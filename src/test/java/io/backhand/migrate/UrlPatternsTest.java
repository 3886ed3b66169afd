package io.backhand.migrate;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each kind of httpd.conf block becomes as servlet url-patterns, and what cannot be said. */
class UrlPatternsTest
{
    private final List<Finding> findings = new ArrayList<>();

    private boolean warned(String text)
    {
        return findings.stream().anyMatch(f -> f.kind() == Finding.Kind.WARNING && f.message().contains(text));
    }

    @Test
    void locationsArePrefixes()
    {
        assertEquals(List.of("/*"), UrlPatterns.location("/", 1, findings));
        assertEquals(List.of("/backhand/*"), UrlPatterns.location("/backhand/", 1, findings));
        assertEquals(List.of("/app/*"), UrlPatterns.location("/app", 1, findings));
        assertTrue(findings.stream().anyMatch(f -> f.message().contains("/app-old too")), findings.toString());
        assertEquals(List.of("/img/*"), UrlPatterns.location("/img/*", 1, findings));
        assertEquals(List.of("*.php"), UrlPatterns.location("/*.php", 1, findings));
        assertEquals(List.of(), UrlPatterns.location("/a*b", 1, findings));
        assertTrue(warned("this wildcard has no url-pattern equivalent"));
    }

    @Test
    void regularExpressionsBecomePatternsOnlyWhenTheyMeanTheSame()
    {
        assertEquals(List.of("*.php", "*.asp"), UrlPatterns.locationRegex("\\.(php|asp)$", 1, findings));
        assertEquals(List.of("*.cgi"), UrlPatterns.filesRegex("^.*\\.cgi$", 1, findings));
        assertEquals(List.of("/app/*"), UrlPatterns.locationRegex("^/app/", 1, findings));
        assertEquals(List.of("/app/*"), UrlPatterns.locationRegex("^/app(/|$)", 1, findings));
        assertEquals(List.of("/status.html"), UrlPatterns.locationRegex("^/status\\.html$", 1, findings));
        assertEquals(List.of(), UrlPatterns.locationRegex("/app/", 1, findings), "unanchored: matches /x/app/ too");
        assertEquals(List.of(), UrlPatterns.locationRegex("(?i)\\.php$", 1, findings));
        assertNull(UrlPatterns.extensions("\\.php"), "without $ it matches /a.php/b and /a.phpx too");
        assertTrue(warned("NOT MAPPED"));
    }

    @Test
    void filesMatchFileNamesInEveryDirectory()
    {
        assertEquals(List.of("*.php"), UrlPatterns.files("*.php", 1, findings));
        assertEquals(List.of("/*"), UrlPatterns.files("*", 1, findings));
        assertEquals(List.of("/index.php"), UrlPatterns.files("index.php", 1, findings));
        assertTrue(warned("covers only the one at the top of the context"));
        assertEquals(List.of("/cgi-bin/index.php"), UrlPatterns.nested(List.of("/cgi-bin/*"), List.of("/index.php"), "<Files index.php>", 1, findings));
        assertEquals(List.of("*.php"), UrlPatterns.nested(List.of("/cgi-bin/*"), List.of("*.php"), "<Files *.php>", 1, findings));
        assertTrue(warned("applies everywhere in the context"));
    }

    @Test
    void directoriesBecomeTheUrlsThatServeThem()
    {
        List<PathMapping> m = List.of(new PathMapping("/", "/var/www/htdocs/", "DocumentRoot", 3),
            new PathMapping("/cgi-bin/", "/var/www/cgi-bin/", "ScriptAlias", 4));
        assertEquals(List.of("/*"), UrlPatterns.directory("/var/www/htdocs", m, true, 9, findings));
        assertEquals(List.of("/shop/cart/*"), UrlPatterns.directory("/var/www/htdocs/shop/cart/", m, true, 9, findings));
        assertEquals(List.of("/cgi-bin/admin/*"), UrlPatterns.directory("/var/www/cgi-bin/admin", m, true, 9, findings));
        assertEquals(List.of(), UrlPatterns.directory("/srv/elsewhere", m, true, 9, findings));
        assertTrue(warned("no URL reached it"));
        assertEquals(List.of("/*"), UrlPatterns.directory("/srv/elsewhere", m, false, 9, findings));
        assertTrue(warned("taken to be the document root"));
    }

    @Test
    void overlapsAreFoundWithAnExample()
    {
        assertEquals("/app/x.php", FilterOrder.example("/app/*", "*.php"));
        assertEquals("/app/x", FilterOrder.example("/*", "/app/*"));
        assertEquals("/app/admin/x", FilterOrder.example("/app/*", "/app/admin/*"));
        assertNull(FilterOrder.example("/app/*", "/application/*"));
        assertNull(FilterOrder.example("*.php", "*.asp"));
        assertTrue(FilterOrder.rank("/app/admin/*") < FilterOrder.rank("/app/*"));
        assertTrue(FilterOrder.rank("/app/*") < FilterOrder.rank("*.php"));
        assertTrue(FilterOrder.rank("*.php") < FilterOrder.rank("/*"));
    }
}
