package io.backhand.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import io.backhand.demo.EmbeddedNode;
import io.backhand.demo.LocalCluster;
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
