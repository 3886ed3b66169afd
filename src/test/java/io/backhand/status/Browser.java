package io.backhand.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium for the status page tests: Debian's chromium and chromium-driver, named by path
 * so that Selenium Manager never looks for (or downloads) a browser. A missing browser fails the test
 * loudly; bin/install-test-deps installs it, and CI runs it.
 */
final class Browser implements AutoCloseable
{
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriver driver;

    private Browser(int width, int height) throws IOException
    {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER))
            throw new AssertionError("The status page test needs Debian's chromium and chromium-driver at " + CHROMIUM
                + " and " + CHROMEDRIVER + "; install them with bin/install-test-deps (apt-get install chromium chromium-driver)");
        profile = Files.createTempDirectory("backhand-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        ChromeDriver d;
        try
        {
            d = new ChromeDriver(service, options);
        }
        catch (RuntimeException e)
        {
            deleteProfile();
            throw e;
        }
        driver = d;
    }

    static Browser open(int width, int height) throws IOException
    {
        return new Browser(width, height);
    }

    ChromeDriver driver()
    {
        return driver;
    }

    Object js(String script, Object... args)
    {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    long number(String script, Object... args)
    {
        return ((Number) js(script, args)).longValue();
    }

    /** Saves the whole page, as tall as it is, under target/status-page/. */
    Path screenshot(String name) throws IOException
    {
        Dimension before = driver.manage().window().getSize();
        // The window's size includes whatever the browser draws around the page.
        int frame = (int) number("return Math.max(0, window.outerHeight - window.innerHeight)");
        int height = (int) number("return Math.ceil(document.body.getBoundingClientRect().height)");
        driver.manage().window().setSize(new Dimension(before.getWidth(), height + frame));
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        driver.manage().window().setSize(before);
        Path dir = Path.of("target", "status-page");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.write(file, png);
        return file;
    }

    /** Errors the page logged (script errors, refused fetches, CSP violations). */
    List<String> severeConsoleEntries()
    {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();
    }

    @Override
    public void close()
    {
        try
        {
            driver.quit();
        }
        finally
        {
            deleteProfile();
        }
    }

    private void deleteProfile()
    {
        // Best effort: a browser that is still flushing its profile must not turn a passing test into an error.
        try (Stream<Path> files = Files.walk(profile))
        {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList())
                Files.deleteIfExists(p);
        }
        catch (IOException | java.io.UncheckedIOException e)
        {
            System.err.println("Could not delete the browser profile " + profile + ": " + e);
        }
    }
}
