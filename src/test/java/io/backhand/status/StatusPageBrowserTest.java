package io.backhand.status;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backhand.demo.EmbeddedNode;
import io.backhand.demo.LocalCluster;
import io.backhand.testing.Http;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page in a real headless Chromium, on the README's demo cluster under load: it fills itself
 * from the JSON, keeps refreshing without a reload, marks a crashed node stale and then drops it.
 *
 * <p>Screenshots go to target/status-page/. With {@code -Dstatus.screenshot=docs/img/status.png} the one taken
 * under load is also copied there (that is how the README's picture is made).</p>
 */
@Tag("cluster")
class StatusPageBrowserTest
{
    private static final By ROWS = By.cssSelector("#servers tbody tr.server");
    private static final String MINE = "#filters li.decision.asked[data-path='/explain-me']";

    @Test
    void thePageFollowsTheClusterMarksACrashedNodeStaleThenForgetsIt() throws Exception
    {
        try (LocalCluster cluster = LocalCluster.start(3, 0); Browser browser = Browser.open(1440, 900))
        {
            var driver = browser.driver();
            LoadGenerator load = new LoadGenerator(cluster.balancer().uri(), 6, "15ms");
            try
            {
                driver.get(cluster.balancer().statusUri().toString());
                Wait.until(Duration.ofSeconds(20), "4 rows on the page", () -> driver.findElements(ROWS).size() == 4);
                assertEquals(List.of("app1", "app2", "app3", "balancer"), names(browser));
                WebElement self = driver.findElement(By.cssSelector("#servers tr.server.self"));
                assertEquals("balancer", self.getAttribute("data-name"));
                assertTrue(self.getText().contains("SELF") || self.getText().contains("self"), self.getText());

                // The page redraws itself from the JSON: the document stays the same, the figures move.
                browser.js("window.backhandTestMarker = 42");
                long updates = browser.number("return Number(document.body.dataset.updates || 0)");
                Wait.until(Duration.ofSeconds(30), "every application node to show proxied requests and a share of traffic", () ->
                {
                    for (String app : List.of("app1", "app2", "app3"))
                    {
                        if (number(cell(browser, app, "proxied")) == 0 || !cell(browser, app, "share").endsWith("%")
                            || cell(browser, app, "share").equals("0%"))
                            return false;
                    }
                    return true;
                });
                Wait.until(Duration.ofSeconds(30), "the chart to draw three servers' traffic",
                    () -> driver.findElements(By.cssSelector("#chart svg path")).size() == 3);
                Wait.until(Duration.ofSeconds(20), "several more refreshes",
                    () -> browser.number("return Number(document.body.dataset.updates || 0)") >= updates + 3);
                assertEquals(42L, browser.number("return window.backhandTestMarker"), "the page was reloaded");
                assertTrue(driver.findElement(By.id("live")).getAttribute("class").contains("ok"));
                assertTrue(driver.findElement(By.id("filters")).getText().contains("removeSelf"));
                assertTrue(driver.findElement(By.id("filters")).getText().contains("/*"));
                assertTrue(driver.findElement(By.id("tunnels")).getText().contains("closed idle"),
                    driver.findElement(By.id("tunnels")).getText());
                assertDecisionsRender(browser, cluster);
                // Under load the interpreted figures show, and the shares add up to the whole.
                Wait.until(Duration.ofSeconds(20), "a share list of three servers",
                    () -> driver.findElements(By.cssSelector("#shares li")).size() == 3);
                String copyTo = System.getProperty("status.screenshot");
                boolean forTheReadme = copyTo != null && !copyTo.isBlank();
                if (forTheReadme)
                {
                    // The README's picture: let the chart fill with most of a minute of traffic first.
                    Thread.sleep(45_000);
                }
                Path underLoad = browser.screenshot("under-load.png");
                if (forTheReadme)
                {
                    Files.createDirectories(Path.of(copyTo).toAbsolutePath().getParent());
                    Files.copy(underLoad, Path.of(copyTo), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            finally
            {
                load.close();
            }
            assertTrue(load.ok() > 0);

            EmbeddedNode victim = cluster.appNodes().get(1);
            Nodes.crash(victim);
            Wait.until(Duration.ofSeconds(15), "app2's row to be marked stale", () -> rowClass(browser, "app2").contains("stale"));
            assertEquals("stale", cell(browser, "app2", "state"));
            assertTrue(driver.findElement(By.id("summary")).getText().contains("1 stale"), driver.findElement(By.id("summary")).getText());
            for (String other : List.of("app1", "app3", "balancer"))
                assertTrue(!rowClass(browser, other).contains("stale"), other + " is marked stale too");
            browser.screenshot("stale.png");

            // The demo forgets a silent node after 15 s (backhand.forgetAfter).
            Wait.until(Duration.ofSeconds(40), "app2's row to go", () -> !names(browser).contains("app2"));
            assertEquals(List.of("app1", "app3", "balancer"), names(browser));
            browser.screenshot("forgotten.png");
            assertEquals(List.of(), browser.severeConsoleEntries(), "the page logged errors");
        }
    }

    /**
     * The filter's recent decisions: sampled ones fill in under load by themselves, and one asked for with
     * X-Backhand-Explain (from loopback, inside the default statusAccess) shows with its whole trace.
     */
    private static void assertDecisionsRender(Browser browser, LocalCluster cluster) throws Exception
    {
        var driver = browser.driver();
        Wait.until(Duration.ofSeconds(20), "sampled decisions in the filter's list",
            () -> driver.findElements(By.cssSelector("#filters li.decision:not(.asked)")).size() >= 2);
        HttpResponse<String> asked = Http.CLIENT.send(HttpRequest.newBuilder(cluster.balancer().uri().resolve("/explain-me"))
            .header("X-Backhand-Explain", "1").timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, asked.statusCode());
        String winner = asked.headers().firstValue("X-Served-By").orElseThrow();
        assertTrue(asked.headers().firstValue("X-Backhand-Decision").orElse("").endsWith("-> proxy " + winner),
            asked.headers().map().toString());
        Wait.until(Duration.ofSeconds(20), "the asked-for decision on the page",
            () -> !driver.findElements(By.cssSelector(MINE)).isEmpty());
        // The filters redraw themselves every second under load, so each look at the list is one script.
        browser.js("document.querySelector('#filters details.decisions > summary').click()");
        Wait.until(Duration.ofSeconds(10), "the decision list to unfold", () -> Boolean.TRUE.equals(browser.js(
            "const d = document.querySelector(arguments[0]); return !!d && d.getClientRects().length > 0", MINE)));
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.js("const d = document.querySelector(arguments[0]);"
            + " const steps = [...d.querySelectorAll('.trace > li')];"
            + " return {winner: d.dataset.winner, text: d.textContent,"
            + " functions: steps.map(s => s.querySelector('.fn').textContent),"
            + " lines: steps.map(s => s.textContent),"
            + " bold: [...d.querySelectorAll('.trace > li:last-child b.cand')].map(b => b.textContent)}", MINE);
        assertEquals(winner, seen.get("winner"));
        assertEquals(List.of("start", "removeSelf", "byAge 6", "byRandom", "byLogWindow", "byBusyChildren"), seen.get("functions"));
        String ranked = String.valueOf(((List<?>) seen.get("lines")).get(5));
        assertTrue(ranked.matches("byBusyChildren\\s+app\\d=\\d+.*"), "byBusyChildren with its figures: " + ranked);
        assertEquals(List.of(winner), ((List<?>) seen.get("bold")).stream().map(b -> b.toString().replaceAll("=.*", "")).toList(),
            "the winner, in bold, on the last step");
        String text = String.valueOf(seen.get("text"));
        assertTrue(text.contains("asked") && text.contains("proxy " + winner), text);
        browser.screenshot("decisions.png");
        // The list is redrawn as decisions come in, and stays where the reader scrolled it.
        browser.js("const l = document.querySelector('#filters .decision-list'); l.scrollTop = 60; l.oldList = true");
        Wait.until(Duration.ofSeconds(10), "the decision list to be redrawn", () -> Boolean.TRUE.equals(browser.js(
            "const l = document.querySelector('#filters .decision-list'); return !!l && !l.oldList")));
        assertEquals(60L, browser.number("return document.querySelector('#filters .decision-list').scrollTop"));
        browser.js("document.querySelector('#filters details.decisions > summary').click()");
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Browser browser)
    {
        return (List<String>) browser.js("return [...document.querySelectorAll('#servers tbody tr.server')].map(r => r.dataset.name)");
    }

    private static String rowClass(Browser browser, String name)
    {
        Object c = browser.js("const r = document.querySelector('#servers tr.server[data-name=\"' + arguments[0] + '\"]');"
            + " return r ? r.className : ''", name);
        return String.valueOf(c);
    }

    /** The text of a server's cell in the column with that key, as the reader sees it. */
    static String cell(Browser browser, String server, String column)
    {
        Object text = browser.js("const r = document.querySelector('#servers tr.server[data-name=\"' + arguments[0] + '\"]');"
            + " const c = r && r.querySelector('td.' + arguments[1]); return c ? c.textContent : null", server, column);
        if (text == null)
            throw new AssertionError("no " + column + " cell for " + server);
        return text.toString().strip();
    }

    private static long number(String text)
    {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }
}
