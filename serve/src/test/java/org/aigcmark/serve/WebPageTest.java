package org.aigcmark.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportHtml;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moderator's page at {@code /} in Debian's headless Chromium: a real file put in the page's file input is
 * uploaded by the page's own script to {@code /v1/detect}, and the rendered verdict is read back from the DOM, for a
 * labelled and an unlabelled photo, with and without auth; a screenshot of each is kept in target/.
 */
class WebPageTest {
    static final String KEY = "moderation-7f3a9c0e5b2d41f8";

    @Test
    void thePageUploadsAChosenFileAndShowsTheVerdict(@TempDir Path tmp) throws Exception {
        Detector detector = Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of());
        try (AigcmarkServer server = AigcmarkServer.start(AigcmarkServerTest.checks(detector), ServeSettings.defaults().withPort(0),
                new PrintWriter(new ByteArrayOutputStream()));
             Chromium browser = Chromium.start(Files.createDirectory(tmp.resolve("profile")))) {
            browser.navigate("http://127.0.0.1:" + server.port() + "/");
            assertEquals("ready", browser.eval("document.body.dataset.state").asText());

            browser.chooseFile("#file", Fixtures.path("labeled/xmp-element.jpg"));
            assertEquals("done", browser.awaitValue("document.body.dataset.state", "done", "error"),
                    () -> "status: " + statusOf(browser));
            assertEquals(ReportHtml.title("label1"), browser.eval("document.getElementById('verdict').textContent").asText());
            assertTrue(browser.eval("document.getElementById('verdict').className").asText().contains("v1"));
            String evidence = browser.eval("document.getElementById('evidence').textContent").asText();
            assertTrue(evidence.contains("ProduceID="), evidence);
            assertEquals("xmp-element.jpg", browser.eval("document.querySelector('#file-cell code').textContent").asText());
            // the report's look is the scan report's: its stylesheet applied (a Label 1 row is red)
            assertEquals("rgb(253, 226, 225)", browser.eval("getComputedStyle(document.getElementById('row')).backgroundColor").asText());
            screenshot(browser, "webpage-labelled.png");

            browser.chooseFile("#file", Fixtures.path("jpeg/plain.jpg"));
            assertEquals("done", browser.awaitValue(
                    "document.body.dataset.state === 'done' && document.getElementById('verdict').textContent !== '"
                            + ReportHtml.title("label1") + "' ? 'done' : document.body.dataset.state", "done", "error"),
                    () -> "status: " + statusOf(browser));
            assertEquals(ReportHtml.title("none"), browser.eval("document.getElementById('verdict').textContent").asText());
            assertEquals("plain.jpg", browser.eval("document.querySelector('#file-cell code').textContent").asText());
            screenshot(browser, "webpage-unlabelled.png");
        }
    }

    @Test
    void withAuthOnThePageAsksForTheKeyAndKeepsItInMemory(@TempDir Path tmp) throws Exception {
        Path keys = Files.writeString(tmp.resolve("keys.txt"), KEY + " detect\n");
        Detector detector = Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of());
        try (AigcmarkServer server = AigcmarkServer.start(AigcmarkServerTest.checks(detector),
                ServeSettings.defaults().withPort(0).withApiKeys(keys), new PrintWriter(new ByteArrayOutputStream()));
             Chromium browser = Chromium.start(Files.createDirectory(tmp.resolve("profile")))) {
            browser.navigate("http://127.0.0.1:" + server.port() + "/");
            browser.chooseFile("#file", Fixtures.path("labeled/xmp-element.jpg"));
            assertEquals("key", browser.awaitValue("document.body.dataset.state", "key", "done", "error"));
            assertTrue(!browser.eval("document.getElementById('key-form').hidden").asBoolean());

            browser.type("#key", "not-a-valid-key-at-all");
            browser.eval("document.getElementById('key-form').requestSubmit()");
            assertEquals("key", browser.awaitValue("document.body.dataset.state === 'key' && !document.getElementById('key-form').hidden"
                    + " && document.getElementById('status').textContent.includes('not valid') ? 'key' : 'waiting'", "key"));

            browser.type("#key", KEY);
            browser.eval("document.getElementById('key-form').requestSubmit()");
            assertEquals("done", browser.awaitValue("document.body.dataset.state", "done", "error"), () -> "status: " + statusOf(browser));
            assertEquals(ReportHtml.title("label1"), browser.eval("document.getElementById('verdict').textContent").asText());
            // memory only: nothing in the page's storage or address
            assertEquals(0, browser.eval("localStorage.length + sessionStorage.length").asInt());
            assertTrue(!browser.eval("location.href").asText().contains(KEY));
            screenshot(browser, "webpage-auth.png");
        }
    }

    @Test
    void thePageIsSelfContainedUnderAStrictPolicy() throws Exception {
        try (AigcmarkServer server = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), AigcmarkServerTest.KEYS,
                List.of(), List.of())), ServeSettings.defaults().withPort(0), new PrintWriter(new ByteArrayOutputStream()))) {
            policy(server);
        }
    }

    private static void policy(AigcmarkServer server) throws Exception {
        HttpResponse<String> page = AigcmarkServerTest.get(server, "/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertEquals(AigcmarkServer.PAGE_POLICY, policy);
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe"), policy);
        // no inline script or style, nothing from another origin
        assertTrue(!page.body().contains("<script>") && !page.body().contains("<style") && !page.body().contains("style=\""), page.body());
        assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), page.body());
        String js = AigcmarkServerTest.get(server, "/app.js").body();
        assertTrue(!js.contains("eval(") && !js.contains("innerHTML") && !js.contains("new Function"), "app.js");
        // the page names verdicts as the scan report does
        for (String category : List.of("label1", "label2", "label3", "error", "unchecked", "none")) {
            assertTrue(js.contains(category + ": '" + ReportHtml.title(category) + "'"), category);
        }
        HttpResponse<String> css = AigcmarkServerTest.get(server, "/app.css");
        assertTrue(css.body().startsWith(ReportHtml.STYLE), "app.css starts with the report's stylesheet");
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElse(""));
    }

    private static String statusOf(Chromium browser) {
        try {
            return browser.eval("document.getElementById('status').textContent").asText();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void screenshot(Chromium browser, String name) throws Exception {
        byte[] png = browser.screenshot();
        Path file = Path.of("target", name);
        Files.write(file, png);
        assertTrue(Files.size(file) > 10_000, name + ": " + Files.size(file) + " bytes");
        var image = javax.imageio.ImageIO.read(file.toFile());
        assertEquals(1200, image.getWidth(), name);
        assertTrue(new String(png, 1, 3, StandardCharsets.US_ASCII).equals("PNG"), name);
    }
}
