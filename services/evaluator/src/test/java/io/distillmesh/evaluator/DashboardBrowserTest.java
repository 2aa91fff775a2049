package io.distillmesh.evaluator;

import io.distillmesh.core.artifact.ImageGrid;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.records.CheckpointRecord;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.distillmesh.evaluator.EvaluatorHarness.awaitPoint;
import static io.distillmesh.evaluator.EvaluatorHarness.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium: real students' checkpoints and a real distilled set go through a real
 * broker and evaluator, and the page must show them (leaderboard numbers, Chart.js curves, the distilled set beside
 * its baselines with its meta-loss curve, step sizes and image grids, the real images) and update live.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target/dashboard.png");
    private static final String TEACHER = "teacher:teacher-cnn.zip";
    private static final String DISTILLED = "distilled:fm-dash";
    /** Selenium warns that it has no DevTools (CDP) binding for this Chromium; the test uses WebDriver only. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    @Test
    void theDashboardShowsTheLeaderboardCurvesAndImagesAndUpdatesLive(@TempDir Path work) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the dashboard test drives Debian's Chromium: " + CHROMIUM + " and " + CHROMEDRIVER
                        + " are needed (apt-get install -y chromium chromium-driver)");
        Path artifacts = Files.createDirectories(work.resolve("artifacts"));
        List<CheckpointRecord> distilled = TinyStudents.train(TinyStudents.spec("kd-t4", 4.0, 0.9, 3), 300, artifacts);
        List<CheckpointRecord> baseline = TinyStudents.train(TinyStudents.spec("baseline", 1.0, 0.0, 3), 300, artifacts);
        TinyDistilledSets.Made set = TinyDistilledSets.classification("fm-dash", artifacts, 3);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"));
             EvaluatorHarness evaluator = EvaluatorHarness.start(broker, EvaluatorHarness.config(broker, artifacts)
                     .put("distilled.replicas", 3).put("distilled.step-grid", "0.03,0.3")
                     .put("distilled.grid-replicas", 1).put("distilled.held-out", 500)
                     .put("distilled.kmeans-sample", 200))) {
            for (DistillProgressRecord progress : set.progress().subList(0, 2)) {
                publish(broker, Topics.DISTILL_PROGRESS, progress.jobId(), progress.encode());
            }
            publish(broker, Topics.DISTILLED, "fm-dash", set.announcement().encode());
            for (CheckpointRecord checkpoint : distilled) {
                publish(broker, Topics.CHECKPOINTS, checkpoint.studentId(), checkpoint.encode());
                awaitPoint(evaluator, "kd-t4", checkpoint.samplesTrained());
            }
            for (CheckpointRecord checkpoint : baseline.subList(0, 2)) {
                publish(broker, Topics.CHECKPOINTS, checkpoint.studentId(), checkpoint.encode());
                awaitPoint(evaluator, "baseline", checkpoint.samplesTrained());
            }
            evaluator.awaitSubject(TEACHER, s -> true, Duration.ofMinutes(2));
            evaluator.awaitSubject(DISTILLED, s -> s.getJsonArray("points").size() == 4, Duration.ofMinutes(5));

            WebDriver browser = chromium(work.resolve("chromium-profile"));
            try {
                browser.get(evaluator.baseUrl() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.until(d -> d.findElements(By.cssSelector("#leaderboard tbody tr")).size() == 4);
                assertEquals("● live", browser.findElement(By.id("connection")).getText());
                assertEquals(2L, points(browser, "accuracy-chart", "baseline"));

                // a new checkpoint arrives while the page is open: the event stream brings it, no reload
                CheckpointRecord last = baseline.get(2);
                publish(broker, Topics.CHECKPOINTS, last.studentId(), last.encode());
                wait.until(d -> points(d, "accuracy-chart", "baseline") == 3L
                        && d.findElement(By.cssSelector("tr[data-subject='baseline'] td.progress")).getText()
                        .equals("pass 3/3 · 900 samples"));

                // the distiller reports its last iterations and finishes while the page is open
                for (DistillProgressRecord progress : set.progress().subList(2, 3)) {
                    publish(broker, Topics.DISTILL_PROGRESS, progress.jobId(), progress.encode());
                }
                DistillProgressRecord last3 = set.progress().get(2);
                publish(broker, Topics.DISTILL_PROGRESS, "fm-dash", new DistillProgressRecord("fm-dash", "SUCCEEDED",
                        last3.iteration(), last3.iterations(), last3.metaLoss(), last3.stepSizes(), 0, null).encode());
                wait.until(d -> chartPoints(d, "meta-loss-fm-dash") == 3L && d.findElement(
                        By.cssSelector(".distilled-job[data-job='fm-dash'] .state")).getText().equals("SUCCEEDED"));

                JsonArray results = evaluator.get("/results").bodyAsJsonArray();
                assertEquals(4, results.size());
                List<WebElement> rows = browser.findElements(By.cssSelector("#leaderboard tbody tr"));
                for (int i = 0; i < results.size(); i++) {
                    JsonObject subject = results.getJsonObject(i);
                    JsonObject latest = subject.getJsonObject("latest");
                    WebElement row = rows.get(i);
                    assertEquals(subject.getString("subjectId"), row.getAttribute("data-subject"), "rank " + (i + 1));
                    String spread = latest.getInteger("replicas") > 1
                            ? " ± " + percent(latest.getDouble("accuracyStd")) : "";
                    assertEquals(percent(latest.getDouble("accuracy")) + spread,
                            row.findElement(By.cssSelector("td.acc")).getText());
                    assertEquals(percent(latest.getDouble("teacherAgreement")),
                            row.findElement(By.cssSelector("td.agree")).getText());
                    assertEquals(latest.getDouble("crossEntropy"),
                            Double.parseDouble(row.findElement(By.cssSelector("td.ce")).getText()), 5e-5);
                    assertEquals(latest.getDouble("klTeacherSubject"),
                            Double.parseDouble(row.findElement(By.cssSelector("td.kl")).getText()), 5e-5);
                }
                assertEquals(TEACHER, rows.get(0).getAttribute("data-subject"), "the teacher leads the board");
                assertEquals(percent(EvaluatorHarness.shippedTeacherAccuracy()),
                        rows.get(0).findElement(By.cssSelector("td.acc")).getText());
                assertEquals("pass 3/3 · 900 samples", browser.findElement(
                        By.cssSelector("tr[data-subject='kd-t4'] td.progress")).getText());

                JavascriptExecutor js = (JavascriptExecutor) browser;
                assertEquals(5L, js.executeScript("return Object.keys(Chart.instances).length"), "3 charts and 2 per job");
                assertEquals(3L, points(browser, "accuracy-chart", "kd-t4"));
                assertEquals(3L, points(browser, "loss-chart", "kd-t4"));
                assertEquals(2L, points(browser, "accuracy-chart", TEACHER), "the teacher's level is a line");
                assertEquals(4L, js.executeScript("return Chart.getChart('per-class-chart').data.datasets.length"));
                assertEquals(FashionMnist.CLASS_NAMES,
                        js.executeScript("return Chart.getChart('per-class-chart').data.labels"));
                for (String chart : List.of("accuracy-chart", "loss-chart", "per-class-chart")) {
                    long painted = paintedPixels(browser, "#" + chart);
                    assertTrue(painted > 2_000, chart + " has only " + painted + " painted pixels");
                }

                List<WebElement> imageRows = browser.findElements(By.cssSelector("#reference-grid .image-row"));
                assertEquals(10, imageRows.size());
                assertEquals(FashionMnist.CLASS_NAMES, imageRows.stream()
                        .map(r -> r.findElement(By.cssSelector(".image-label")).getText()).toList());
                assertEquals(80, browser.findElements(By.cssSelector("#reference-grid canvas")).size());
                assertTrue(paintedPixels(browser, "#reference-grid .image-row[data-label='9'] canvas") > 100,
                        "an ankle boot is drawn");
                assertFalse(browser.findElement(By.id("distilled-empty")).isDisplayed());
                checkDistilledSet(browser, evaluator.get("/results/" + DISTILLED).bodyAsJsonObject(), set);

                List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertTrue(severe.isEmpty(), "browser console errors (script errors, CSP violations): " + severe);

                long height = (Long) js.executeScript("return document.documentElement.scrollHeight");
                browser.manage().window().setSize(new Dimension(1400, (int) height + 160));
                Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }

    /** The job's comparison rows, its meta-loss and step-size charts, and its four image grids. */
    private static void checkDistilledSet(WebDriver browser, JsonObject subject, TinyDistilledSets.Made set) {
        String job = ".distilled-job[data-job='fm-dash'] ";
        List<WebElement> rows = browser.findElements(By.cssSelector(job + ".distilled-table tbody tr"));
        assertEquals(List.of("baseline:random-real", "baseline:class-means", "baseline:k-means", "set"),
                rows.stream().map(r -> r.getAttribute("data-point")).toList());
        for (int i = 0; i < rows.size(); i++) {
            JsonObject point = subject.getJsonArray("points").getJsonObject(i);
            assertEquals(percent(point.getDouble("accuracy")) + " ± " + percent(point.getDouble("accuracyStd")) + " (K=3)",
                    rows.get(i).findElement(By.cssSelector("td.acc")).getText());
        }
        assertEquals("distilled set", rows.get(3).findElement(By.cssSelector("td.set")).getText());
        String provenance = browser.findElement(By.cssSelector(job + ".provenance")).getText();
        assertTrue(provenance.startsWith("made by evaluator test ") && provenance.contains("for objective classification")
                && provenance.contains("SHA-256 " + set.sha256().substring(0, 16)), provenance);
        assertEquals("learned (4 steps)", rows.get(3).findElement(By.cssSelector("td.step")).getText());
        assertTrue(rows.get(0).findElement(By.cssSelector("td.step")).getText().startsWith("fixed η = "));

        assertEquals(4L, ((JavascriptExecutor) browser).executeScript(
                "return Chart.getChart('step-sizes-fm-dash').data.datasets[0].data.length"));
        for (String chart : List.of("meta-loss-fm-dash", "step-sizes-fm-dash")) {
            long painted = paintedPixels(browser, "#" + chart);
            assertTrue(painted > 1_000, chart + " has only " + painted + " painted pixels");
        }

        int width = ImageGrid.render(set.set(), 2).getWidth();
        List<WebElement> images = browser.findElements(By.cssSelector(job + ".distilled-images img"));
        assertEquals(List.of("distilled-set", "random-real", "class-means", "k-means"),
                images.stream().map(img -> img.getAttribute("data-kind")).toList());
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> images.stream().allMatch(img -> (Boolean)
                ((JavascriptExecutor) d).executeScript("return arguments[0].complete", img)));
        for (WebElement img : images) {
            assertEquals((long) width, ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img),
                    img.getAttribute("data-kind") + " grid loaded");
        }
    }

    private static Long chartPoints(WebDriver browser, String canvasId) {
        return (Long) ((JavascriptExecutor) browser).executeScript("const c = Chart.getChart(arguments[0]);"
                + " return c ? c.data.datasets[0].data.length : -1;", canvasId);
    }

    private static WebDriver chromium(Path profile) {
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1600", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }

    /** How many points the dataset labelled {@code label} of the Chart.js chart on canvas {@code canvasId} has. */
    private static Long points(WebDriver browser, String canvasId, String label) {
        Object n = ((JavascriptExecutor) browser).executeScript("const c = Chart.getChart(arguments[0]);"
                + " const d = c && c.data.datasets.find(s => s.label === arguments[1]);"
                + " return d ? d.data.length : -1;", canvasId, label);
        return (Long) n;
    }

    /** Pixels that are not fully transparent or black on the first canvas matching {@code selector}. */
    private static long paintedPixels(WebDriver browser, String selector) {
        return (Long) ((JavascriptExecutor) browser).executeScript("const c = document.querySelector(arguments[0]);"
                + " const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + " for (let i = 0; i < px.length; i += 4) { if (px[i + 3] > 0 && px[i] + px[i + 1] + px[i + 2] > 0) n++; }"
                + " return n;", selector);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }
}
