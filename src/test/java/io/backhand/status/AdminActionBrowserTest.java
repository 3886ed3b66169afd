package io.backhand.status;

import java.time.Duration;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Http;
import io.backhand.testing.Net;
import io.backhand.testing.Wait;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status page's admin action drains the node and makes it ready again, in a real browser. */
@Tag("cluster")
class AdminActionBrowserTest
{
    @Test
    void theDrainButtonDrainsAndTheReadyButtonUndoesIt() throws Exception
    {
        try (EmbeddedNode node = EmbeddedNode.builder("admin-page").param("backhand.multicastStats", Net.multicastLine())
                .param("backhand.interface", "lo").param("backhand.acceptStats", "127.0.0.1/32")
                .param("backhand.admin", "on").stopTimeout(5000).start();
             Browser browser = Browser.open(1280, 800))
        {
            browser.driver().get(node.statusUri().toString());
            WebElement admin = browser.driver().findElement(By.id("admin"));
            Wait.until(Duration.ofSeconds(15), "the admin action to appear", admin::isDisplayed);
            WebElement button = admin.findElement(By.tagName("button"));
            assertEquals("Drain this node", button.getText());

            button.click();
            browser.driver().switchTo().alert().accept();
            Wait.until(Duration.ofSeconds(10), "the node to be draining",
                () -> Http.json(node.statusUri()).get("state").asText().equals("draining"));
            Wait.until(Duration.ofSeconds(10), "the button to offer ready", () -> button.getText().equals("Make it ready"));

            button.click();
            browser.driver().switchTo().alert().accept();
            Wait.until(Duration.ofSeconds(10), "the node to be ready",
                () -> Http.json(node.statusUri()).get("state").asText().equals("ready"));
            assertTrue(browser.severeConsoleEntries().isEmpty(), browser.severeConsoleEntries().toString());
        }
    }

    @Test
    void withoutBackhandAdminThePageOffersNothing() throws Exception
    {
        try (EmbeddedNode node = EmbeddedNode.builder("no-admin-page").param("backhand.multicastStats", Net.multicastLine())
                .param("backhand.interface", "lo").param("backhand.acceptStats", "127.0.0.1/32").stopTimeout(5000).start();
             Browser browser = Browser.open(1280, 800))
        {
            browser.driver().get(node.statusUri().toString());
            Wait.until(Duration.ofSeconds(15), "the page to render a row",
                () -> !browser.driver().findElements(By.cssSelector("#servers tbody tr")).isEmpty());
            assertFalse(browser.driver().findElement(By.id("admin")).isDisplayed());
        }
    }
}
