package io.backhand.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that hears 49 other servers (real datagrams over loopback, each with its own figures; the node
 * balances nothing, since those servers exist only as announcements): the page
 * must stay readable at 50 rows, one line each, without sideways scrolling on a 1440-pixel screen, and the
 * JSON and metrics must carry them all.
 */
@Tag("cluster")
class FiftyServersTest
{
    @Test
    void fiftyServersAreFiftyReadableRows() throws Exception
    {
        int statsPort = Net.freeUdpPort();
        try (FakeAnnouncers others = new FakeAnnouncers(49, statsPort);
             EmbeddedNode node = EmbeddedNode.builder("web00")
                 .param("backhand.listen", Integer.toString(statsPort))
                 .param("backhand.peers", "127.0.0.1:" + others.address().getPort())
                 .param("backhand.acceptStats", "127.0.0.0/8")
                 .stopTimeout(TwoNodes.GRACEFUL_STOP_MILLIS)
                 .start();
             Browser browser = Browser.open(1440, 900))
        {
            Wait.until(Duration.ofSeconds(15), "50 servers in the JSON",
                () -> Http.json(node.statusUri()).get("servers").size() == 50);
            others.silence("web07");
            others.silence("web31");

            var driver = browser.driver();
            driver.get(node.statusUri().toString());
            Wait.until(Duration.ofSeconds(20), "50 rows with 2 of them stale",
                () -> driver.findElements(By.cssSelector("#servers tbody tr.server")).size() == 50
                    && driver.findElements(By.cssSelector("#servers tbody tr.server.stale")).size() == 2);
            assertEquals(List.of("web07", "web31"), browser.js(
                "return [...document.querySelectorAll('#servers tr.server.stale')].map(r => r.dataset.name)"));
            assertEquals("web00", browser.js("return document.querySelector('#servers tr.server.self').dataset.name"));

            @SuppressWarnings("unchecked")
            Map<String, Object> layout = (Map<String, Object>) browser.js("""
                const rows = [...document.querySelectorAll('#servers tbody tr.server')].map(r => r.getBoundingClientRect().height);
                const wrap = document.querySelector('.table-wrap');
                return { min: Math.min(...rows), max: Math.max(...rows), scroll: wrap.scrollWidth, width: wrap.clientWidth,
                         page: document.documentElement.scrollWidth, view: window.innerWidth };""");
            double min = ((Number) layout.get("min")).doubleValue();
            double max = ((Number) layout.get("max")).doubleValue();
            assertTrue(max <= 30 && max - min <= 2, "rows are not one even line each: " + layout);
            assertTrue(((Number) layout.get("scroll")).longValue() <= ((Number) layout.get("width")).longValue(),
                "the table scrolls sideways at 1440 pixels: " + layout);
            assertTrue(((Number) layout.get("page")).longValue() <= ((Number) layout.get("view")).longValue(),
                "the page scrolls sideways at 1440 pixels: " + layout);

            // Sorting by a column is one click and survives the next refresh.
            driver.findElement(By.cssSelector("#servers thead th[data-key='load']")).click();
            long updates = browser.number("return Number(document.body.dataset.updates || 0)");
            Wait.until(Duration.ofSeconds(10), "a refresh", () -> browser.number("return Number(document.body.dataset.updates || 0)") > updates);
            @SuppressWarnings("unchecked")
            List<String> loads = (List<String>) browser.js(
                "return [...document.querySelectorAll('#servers tbody tr.server td.load')].map(c => c.textContent)");
            for (int i = 1; i < loads.size(); i++)
                assertTrue(interpreted(loads.get(i - 1)) >= interpreted(loads.get(i)), "not sorted by load: " + loads);

            browser.screenshot("fifty-servers.png");
            assertEquals(List.of(), browser.severeConsoleEntries(), "the page logged errors");

            JsonNode status = Http.json(node.statusUri());
            assertEquals(50, status.get("servers").size());
            String metrics = Http.get(node.statusUri().resolve("metrics")).body();
            long servers = PrometheusText.parse(metrics).stream().filter(s -> s.name().equals("backhand_server_load")).count();
            assertEquals(50, servers);
        }
    }

    /** "1.25→1.75" reads as the interpreted 1.75; a lone figure as itself. */
    private static double interpreted(String cell)
    {
        String[] parts = cell.split("→");
        return Double.parseDouble(parts[parts.length - 1].strip());
    }
}
