package org.aigcmark.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.text.TextChecker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service on an ephemeral loopback port, called with a real HTTP client: every endpoint answers what the sdk
 * (and so the CLI) answers for the same bytes, and the error paths give their status and JSON error.
 */
class AigcmarkServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<WatermarkKey> KEYS = List.of(WatermarkKey.read(Fixtures.path("keys/test-watermark.key")));

    static Detector detector;
    static AigcmarkServer server;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

    static final org.aigcmark.label.LabelKeys.SigningKey SIGNER = org.aigcmark.label.LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    static final String CODE = "001191110102MACQD9K64010000";

    static ServiceChecks checks(Detector d) {
        return new ServiceChecks(d, Labeler.create(), List.of(), C2paValidator.NO_ANCHORS, TextChecker.of(KEYS), List.of(SIGNER), KEYS);
    }

    @BeforeAll
    static void start() {
        detector = Detector.create(Labeler.create(), KEYS, List.of(), List.of());
        server = AigcmarkServer.start(checks(detector), ServeSettings.defaults().withPort(0), new PrintWriter(new java.io.OutputStreamWriter(LOG, StandardCharsets.UTF_8), true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI uri(AigcmarkServer s, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + s.port() + pathAndQuery);
    }

    static HttpResponse<String> post(AigcmarkServer s, String pathAndQuery, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(s, pathAndQuery)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/octet-stream");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(AigcmarkServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(s, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void detectAnswersTheSdksReportByteForByte() throws Exception {
        byte[] jpeg = Fixtures.bytes("labeled/xmp-element.jpg");
        HttpResponse<String> r = post(server, "/v1/detect?name=xmp-element.jpg", jpeg);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        String expected = ReportJson.write(ReportJson.toNode(detector.detect(jpeg, "xmp-element.jpg", false))) + "\n";
        assertEquals(expected, r.body());
        assertEquals("1", JSON.readTree(r.body()).get("verdict").get("label").asText(), r.body());
    }

    @Test
    void userDeclaredAndMetadataOnlyAreTheCliOptions() throws Exception {
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        JsonNode declared = JSON.readTree(post(server, "/v1/detect?name=plain.jpg&userDeclared=true", photo).body());
        assertEquals("2", declared.get("verdict").get("label").asText(), declared.toString());
        assertEquals(JSON.readTree(ReportJson.write(ReportJson.toNode(detector.detect(photo, "plain.jpg", true)))), declared);
        HttpResponse<String> meta = post(server, "/v1/detect?name=plain.jpg&metadataOnly=true", photo);
        assertEquals(ReportJson.write(ReportJson.toNode(detector.metadataOnly().detect(photo, "plain.jpg", false))) + "\n", meta.body());
        assertTrue(meta.body().contains("metadata-only"), meta.body());
        HttpResponse<String> bad = post(server, "/v1/detect?userDeclared=maybe", photo);
        assertEquals(400, bad.statusCode());
        assertEquals("INVALID_ARGUMENT", JSON.readTree(bad.body()).get("reason").asText());
    }

    @Test
    void inspectAndTextDetectAnswerTheCliReports() throws Exception {
        byte[] png = Fixtures.bytes("labeled/xmp-element.png");
        HttpResponse<String> r = post(server, "/v1/inspect?name=a.png", png);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(ReportJson.toJson(Labeler.create().inspect(png, "a.png", List.of(), C2paValidator.NO_ANCHORS)) + "\n", r.body());

        byte[] text = Fixtures.bytes("text/watermarked/kgw-en.txt");
        HttpResponse<String> t = post(server, "/v1/text/detect?name=kgw-en.txt", text);
        assertEquals(200, t.statusCode(), t.body());
        JsonNode n = JSON.readTree(t.body());
        assertEquals("kgw-en.txt", n.get("file").asText());
        JsonNode expected = JSON.readTree(ReportJson.write(ReportJson.toNode(TextChecker.of(KEYS).check(new String(text, StandardCharsets.UTF_8)))));
        expected.fieldNames().forEachRemaining(f -> assertEquals(expected.get(f), n.get(f), f));
        assertEquals(expected.size() + 1, n.size());
        assertTrue(t.body().contains("\"detected\" : true"), t.body());
    }

    @Test
    void inputTheSdkRefusesIs422WithTheCliSentenceAndTheServiceGoesOn() throws Exception {
        // refused by the sdk: the CLI's sentence and reason
        for (String refused : List.of("bad/empty.jpg", "bad/wrong-magic.jpg")) {
            byte[] bytes = Fixtures.bytes(refused);
            org.aigcmark.AigcmarkException e = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class,
                    () -> detector.detect(bytes, "x", false));
            HttpResponse<String> r = post(server, "/v1/detect?name=x", bytes);
            assertEquals(422, r.statusCode(), refused + ": " + r.body());
            JsonNode n = JSON.readTree(r.body());
            assertEquals(e.getMessage(), n.get("error").asText());
            assertEquals(e.reason().name(), n.get("reason").asText());
        }
        // bombs and damage the sdk reads around: a report, as the CLI prints it
        for (String hostile : List.of("bad/bomb-100000x100000.png", "bad/sof-65000x65000.jpg", "bad-video/nesting-bomb.mp4", "unsupported/plain.zip")) {
            byte[] bytes = Fixtures.bytes(hostile);
            HttpResponse<String> r = post(server, "/v1/detect?name=x", bytes);
            assertEquals(200, r.statusCode(), hostile + ": " + r.body());
            assertEquals(ReportJson.write(ReportJson.toNode(detector.detect(bytes, "x", false))) + "\n", r.body(), hostile);
        }
        byte[] utf16 = {(byte) 0xFF, (byte) 0xFE, 'h', 0, 'i', 0};
        HttpResponse<String> t = post(server, "/v1/text/detect", utf16);
        assertEquals(422, t.statusCode(), t.body());
        assertTrue(JSON.readTree(t.body()).get("error").asText().contains("UTF-16"), t.body());
        assertEquals(200, get(server, "/health").statusCode());
    }

    /** A provider labels a generated video through the service: the frames get the visible label and the watermark. */
    @Test
    void labelDrawsTheVisibleLabelAndWatermarkIntoAVideosFrames() throws Exception {
        byte[] clip = Fixtures.bytes("video/sample-360p-2s5.mp4");
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri(server, "/v1/label?name=clip.mp4&producer=" + CODE
                        + "&produceId=serve-video&visible=true&watermark=true"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(clip)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonNode detected = JSON.readTree(post(server, "/v1/detect?name=out.mp4", r.body()).body());
        assertEquals("serve-video", detected.get("labels").get(0).get("ProduceID").asText(), detected.toString());
        assertTrue(detected.get("watermark").get("detected").asBoolean(), detected.get("watermark").toString());
        assertTrue(detected.get("visibleLabels").size() > 0, detected.get("visibleLabels").toString());
    }

    @Test
    void labelReturnsTheLabelledFileSignedAndWatermarkedWithTheServersKeysChosenById() throws Exception {
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        String signer = org.aigcmark.label.LabelKeys.keyId(SIGNER.publicKey());
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri(server, "/v1/label?name=plain.jpg&producer=" + CODE
                        + "&produceId=serve-1&visible=true&watermark=true&signKey=" + signer))
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));
        byte[] labelled = r.body();
        var inspected = Labeler.create().inspect(labelled, "out.jpg", List.of(SIGNER.publicKey()), C2paValidator.NO_ANCHORS);
        assertEquals("jpeg", inspected.format().id());
        assertTrue(inspected.labels().stream().anyMatch(l -> l.label().produceId().equals("serve-1")
                && l.signature() == org.aigcmark.label.LabelSignatures.Status.VALID), inspected.labels().toString());
        JsonNode detected = JSON.readTree(post(server, "/v1/detect?name=out.jpg", labelled).body());
        assertEquals("1", detected.get("verdict").get("label").asText());
        assertTrue(detected.get("watermark").get("detected").asBoolean(), detected.get("watermark").toString());
        assertTrue(detected.get("watermark").get("matchesLabel").asBoolean());

        // the parameters are checked before the body is read; keys are named, never sent
        HttpResponse<String> noProducer = post(server, "/v1/label?produceId=x", photo);
        assertEquals(400, noProducer.statusCode());
        assertTrue(noProducer.body().contains("producer is required"), noProducer.body());
        HttpResponse<String> unknownKey = post(server, "/v1/label?producer=" + CODE + "&produceId=x&signKey=0000000000000000", photo);
        assertEquals(400, unknownKey.statusCode());
        assertTrue(unknownKey.body().contains("no signing key with id 0000000000000000"), unknownKey.body());
    }

    @Test
    void healthOpenapiAndMetrics() throws Exception {
        HttpResponse<String> h = get(server, "/health");
        assertEquals(200, h.statusCode());
        assertEquals("UP", JSON.readTree(h.body()).get("status").asText());

        JsonNode api = JSON.readTree(get(server, "/openapi").body());
        assertEquals("3.1.0", api.get("openapi").asText());
        Set<String> paths = new HashSet<>();
        api.get("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(Set.of("/v1/detect", "/v1/inspect", "/v1/text/detect", "/v1/label", "/v1/propagate", "/v1/text/label", "/health", "/metrics", "/openapi", "/"), paths);
        for (String p : List.of("/v1/detect", "/v1/inspect", "/v1/text/detect", "/v1/label", "/v1/propagate", "/v1/text/label")) {
            Set<String> statuses = new HashSet<>();
            api.get("paths").get(p).get("post").get("responses").fieldNames().forEachRemaining(statuses::add);
            // a text stream waits on its client, not on a worker: no time limit
            assertTrue(statuses.containsAll(p.equals("/v1/text/label") ? Set.of("200", "400", "401", "403", "413", "422", "429")
                    : Set.of("200", "400", "401", "403", "408", "413", "422", "429", "504")), p + statuses);
        }

        post(server, "/v1/detect?name=a.jpg", Fixtures.bytes("labeled/xmp-element.jpg"));
        HttpResponse<String> m = get(server, "/metrics");
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = m.body();
        assertTrue(text.contains("aigcmark_requests_total{endpoint=\"/v1/detect\",status=\"200\"}"), text);
        assertTrue(text.contains("aigcmark_request_duration_seconds_bucket{endpoint=\"/v1/detect\""), text);
        assertTrue(text.contains("aigcmark_verdicts_total{label=\"1\"}"), text);
        assertTrue(text.contains("aigcmark_requests_in_flight"), text);
        assertTrue(text.contains("aigcmark_requests_waiting"), text);
    }

    @Test
    void requestLogIsJsonLinesWithoutContents() throws Exception {
        post(server, "/v1/text/detect?name=secret-name.txt", "a private sentence".getBytes(StandardCharsets.UTF_8));
        // the line is written once the response is out, so it may come a moment after the client has the answer
        String log = LOG.toString(StandardCharsets.UTF_8);
        for (int i = 0; i < 100 && !log.contains("\"bytesIn\":18,"); i++) {
            Thread.sleep(50);
            log = LOG.toString(StandardCharsets.UTF_8);
        }
        assertFalse(log.contains("a private sentence"));
        assertFalse(log.contains("secret-name"), "the query string is not logged");
        JsonNode last = null;
        for (String line : log.split("\n")) {
            JsonNode n = JSON.readTree(line); // every line parses
            if ("/v1/text/detect".equals(n.path("path").asText()) && n.path("bytesIn").asLong() == 18) {
                last = n;
            }
        }
        assertTrue(last != null, log); // the line of the request above (the tests run one at a time)
        assertEquals("POST", last.get("method").asText());
        assertEquals(200, last.get("status").asInt());
        assertEquals(18, last.get("bytesIn").asLong());
        assertTrue(last.get("bytesOut").asLong() > 0);
        assertTrue(last.has("ms") && last.has("key"));
        assertTrue(log.lines().findFirst().orElse("").contains("auth OFF: anyone who can reach 127.0.0.1:" + server.port() + " may call it"), log);
        // the second names detection's decoders; this module's tests have none of codec-system's or codec-webp's
        assertEquals("detection decodes JPEG with ImageIO; PNG with its row reader, inflating with the JDK's zlib; WebP with the pure-Java reader",
                JSON.readTree(log.lines().skip(1).findFirst().orElse("{}")).path("msg").asText(), log);
    }

    @Test
    void aBodyOverTheLimitIs413ByLengthAndWhileStreaming() throws Exception {
        try (AigcmarkServer small = AigcmarkServer.start(checks(Detector.create(Labeler.create(), KEYS, List.of(), List.of())),
                ServeSettings.defaults().withPort(0).withLimits(1024, 2, 2, Duration.ofSeconds(30)), new PrintWriter(new ByteArrayOutputStream()))) {
            HttpResponse<String> byLength = post(small, "/v1/detect", new byte[4096]);
            assertEquals(413, byLength.statusCode(), byLength.body());
            assertEquals("LIMIT_EXCEEDED", JSON.readTree(byLength.body()).get("reason").asText());

            // no Content-Length: chunked, counted as it streams; 64 MiB offered, the server stops reading at once
            InputStream endless = new InputStream() {
                long left = 64L << 20;

                @Override
                public int read() {
                    return left-- > 0 ? 'x' : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                    left -= n;
                    return n;
                }
            };
            HttpRequest chunked = HttpRequest.newBuilder(uri(small, "/v1/detect"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build();
            int status;
            try {
                status = HTTP.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (java.io.IOException e) {
                status = -1; // the server may close the connection while the client still sends
            }
            assertTrue(status == 413 || status == -1, "status " + status);
            assertTrue(get(small, "/metrics").body().contains("aigcmark_rejected_total{reason=\"too_large\"} 2.0"));
            assertEquals(200, post(small, "/v1/detect?name=ok.txt", "fine".getBytes(StandardCharsets.UTF_8)).statusCode());
        }
    }

    /** A pixel check that blocks until released: holds a request in the worker, with no timing in the test. */
    static final class Gate implements org.aigcmark.detection.EvidenceCheck {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        volatile boolean closed;

        @Override
        public String name() {
            return "gate";
        }

        @Override
        public List<org.aigcmark.detection.Evidence> check(java.awt.image.BufferedImage image, List<String> problems) {
            entered.countDown();
            // like real detection code, it does not stop when interrupted
            boolean interrupted = false;
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void pastTheQueueIs429WithRetryAfterAndPastTheTimeIs504() throws Exception {
        Gate gate = new Gate();
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        AigcmarkServer busy = AigcmarkServer.start(checks(Detector.create(Labeler.create(), List.of(), List.of(), List.of(gate))),
                ServeSettings.defaults().withPort(0).withLimits(1 << 20, 1, 0, Duration.ofSeconds(1)), new PrintWriter(new ByteArrayOutputStream()));
        try {
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(busy, "/v1/detect?name=a.jpg", photo);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            gate.entered.await(); // the one worker is taken and nothing may wait
            HttpResponse<String> second = post(busy, "/v1/detect", photo);
            assertEquals(429, second.statusCode(), second.body());
            assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
            assertEquals("BUSY", JSON.readTree(second.body()).get("reason").asText());

            HttpResponse<String> slow = first.get();
            assertEquals(504, slow.statusCode(), slow.body()); // the gate holds it past the 1 s limit
            assertEquals("TIMEOUT", JSON.readTree(slow.body()).get("reason").asText());
            // the timed-out work still holds the worker until it really ends: still busy
            assertEquals(429, post(busy, "/v1/detect", photo).statusCode());
            gate.release.countDown();
            String metrics = get(busy, "/metrics").body();
            assertTrue(metrics.contains("aigcmark_rejected_total{reason=\"busy\"} 2.0"), metrics);
            assertTrue(metrics.contains("aigcmark_rejected_total{reason=\"timeout\"} 1.0"), metrics);
        } finally {
            gate.release.countDown();
            busy.close();
        }
        assertTrue(gate.closed, "closing the service closes the detector and its checks");
    }

    @Test
    void closeDrainsWorkInFlightThenClosesTheDetector() throws Exception {
        Gate gate = new Gate();
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        AigcmarkServer s = AigcmarkServer.start(checks(Detector.create(Labeler.create(), List.of(), List.of(), List.of(gate))),
                ServeSettings.defaults().withPort(0), new PrintWriter(new ByteArrayOutputStream()));
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return post(s, "/v1/detect?name=a.jpg", photo);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        gate.entered.await();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        // while draining: new work is refused with 503, health says DOWN, the request in flight is not cut
        HttpResponse<String> h;
        do {
            h = get(s, "/health");
        } while (!h.body().contains("DOWN"));
        HttpResponse<String> refused = post(s, "/v1/detect", photo);
        assertEquals(503, refused.statusCode());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertFalse(closing.isDone());
        assertFalse(gate.closed);
        gate.release.countDown();
        assertEquals(200, inFlight.get().statusCode(), inFlight.get().body());
        closing.get();
        assertTrue(gate.closed);
    }

    /**
     * A small raw body with its length is read into memory and detected from there: nothing in the temp folder while
     * its detection runs; a body of unknown length (chunked) is still spooled. Both answer the sdk's report.
     */
    @Test
    void aSmallBodyOfKnownLengthIsDetectedFromMemoryAChunkedOneFromTheSpool() throws Exception {
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        for (boolean chunked : new boolean[] {false, true}) {
            Gate gate = new Gate();
            Detector gated = Detector.create(Labeler.create(), List.of(), List.of(), List.of(gate));
            AigcmarkServer s = AigcmarkServer.start(checks(gated), ServeSettings.defaults().withPort(0), new PrintWriter(new ByteArrayOutputStream()));
            try {
                CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
                    try {
                        HttpRequest.BodyPublisher body = chunked
                                ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(photo))
                                : HttpRequest.BodyPublishers.ofByteArray(photo);
                        return HTTP.send(HttpRequest.newBuilder(uri(s, "/v1/detect?name=a.jpg")).POST(body).build(),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                gate.entered.await(); // the body has been read whole and its detection runs
                List<String> spooled;
                try (var files = java.nio.file.Files.list(s.spoolFolder())) {
                    spooled = files.map(p -> p.getFileName().toString()).toList();
                }
                assertEquals(chunked ? 1 : 0, spooled.size(), (chunked ? "chunked" : "with Content-Length") + ": " + spooled);
                gate.release.countDown();
                HttpResponse<String> r = answer.get();
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(ReportJson.write(ReportJson.toNode(gated.detect(photo, "a.jpg", false))) + "\n", r.body());
            } finally {
                gate.release.countDown();
                s.close();
            }
        }
    }
}
