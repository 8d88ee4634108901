package dev.mobilenet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in real headless Chromium (Debian's chromium and chromedriver, given by path so that Selenium Manager
 * never downloads anything): pick a model, choose an image file, wait for the top 5, compare with the API.
 */
class PageBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    Path profile;

    @Test
    void pageShowsTopFiveAndTheCrop() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "Debian's chromium and chromium-driver are needed (.ci/run installs them)");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ServedModel small = Fixtures.small();
        ServedModel tiny = Fixtures.tiny();
        Path image = Fixtures.image("photo_640x480.jpg").toAbsolutePath().normalize();
        try (InferenceServer server = InferenceServer.start(ServeConfig.defaults().withPort(0).withThreads(2),
                List.of(tiny, small))) {
            HttpResponse<String> api = ServerTest.post(server, "/predictions/small", Files.readAllBytes(image));
            JsonNode want = Fixtures.OM.readTree(api.body()).get("top");

            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1200,860", "--user-data-dir=" + profile.toAbsolutePath());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
                driver.get("http://127.0.0.1:" + server.port() + "/");
                wait.until(d -> d.findElements(By.cssSelector("#model option")).size() == 2);
                new Select(driver.findElement(By.id("model"))).selectByValue("small");
                driver.findElement(By.id("file")).sendKeys(image.toString());
                wait.until(d -> d.findElements(By.cssSelector("#top li")).size() == 5);
                List<WebElement> rows = driver.findElements(By.cssSelector("#top li"));
                assertEquals(want.get(0).get("label").asText(),
                        rows.get(0).findElement(By.className("label")).getText());
                assertEquals(want.get(4).get("label").asText(),
                        rows.get(4).findElement(By.className("label")).getText());
                assertEquals(String.format(java.util.Locale.ROOT, "%.2f%%",
                        100 * want.get(0).get("probability").asDouble()),
                        rows.get(0).findElement(By.className("prob")).getText());
                WebElement crop = driver.findElement(By.id("crop"));
                assertTrue(crop.isDisplayed());
                assertTrue(crop.getAttribute("src").startsWith("data:image/png;base64,"));
                JavascriptExecutor js = driver;
                wait.until(d -> ((Number) js.executeScript("return document.getElementById('crop').naturalWidth"))
                        .intValue() == 96);
                assertTrue(driver.findElement(By.id("latency")).getText().endsWith("ms (round trip)"));
                assertTrue(driver.findElement(By.id("server-time")).getText().endsWith(" ms"));
                Path shot = Path.of("target", "page.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            } finally {
                driver.quit();
            }
        }
    }
}
