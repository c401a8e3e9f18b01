package org.aigcmark.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.PropagateRequest;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.text.ExplicitTextLabel;
import org.aigcmark.text.LabelPosition;
import org.aigcmark.text.TextLanguage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second increment's endpoints on an ephemeral loopback port with real clients: {@code /v1/propagate} returns
 * the bytes the sdk's (and so the CLI's) propagate writes, {@code /v1/text/label} streams its labelled answer while
 * the request is still arriving, a large body is detected from its spooled file, and Helidon's own 404/405 come in
 * the service's JSON error shape.
 */
class LabellingEndpointsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String CODE = "001191110102MACQD9K64010000";

    static AigcmarkServer server;

    @BeforeAll
    static void start() {
        server = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of())),
                ServeSettings.defaults().withPort(0), new PrintWriter(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<byte[]> post(AigcmarkServer s, String pathAndQuery, HttpRequest.BodyPublisher body, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(AigcmarkServerTest.uri(s, pathAndQuery)).POST(body).header("Content-Type", contentType).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void labelPutsTheRhythmCueIntoAudioWhereTheRequestAsks() throws Exception {
        byte[] wav = Fixtures.bytes("audio/complete.wav");
        HttpResponse<byte[]> r = post(server, "/v1/label?name=a.wav&producer=" + CODE + "&produceId=cue-1&cue=start,end",
                HttpRequest.BodyPublishers.ofByteArray(wav), "application/octet-stream");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        try (Detector d = Detector.create(Labeler.create(), List.of(), List.of(), List.of())) {
            var report = d.detect(r.body(), "a.wav", false);
            List<org.aigcmark.detection.Evidence> cues = report.evidence().stream()
                    .filter(e -> e.kind() == org.aigcmark.detection.Evidence.Kind.AUDIO_CUE).toList();
            assertEquals(2, cues.size(), report.evidence().toString());
            assertEquals(0.0, (double) cues.get(0).details().get("startSeconds"), 0.02);
            assertEquals("cue-1", report.metadata().labels().get(0).label().produceId());
        }
        HttpResponse<byte[]> bad = post(server, "/v1/label?name=a.wav&producer=" + CODE + "&produceId=x&cue=start,later",
                HttpRequest.BodyPublishers.ofByteArray(wav), "application/octet-stream");
        assertEquals(400, bad.statusCode());
        assertTrue(new String(bad.body(), StandardCharsets.UTF_8).contains("cue must be start, end or middle"));
    }

    @Test
    void detectTakesTheWatermarkSearchPerRequest() throws Exception {
        // a watermarked photo stretched to 4:3 -> 4:3 x 1.3 wide: an aspect change, which only the full search re-synchronises
        byte[] marked = Labeler.create().label(Fixtures.bytes("jpeg/plain.jpg"), "plain.jpg",
                org.aigcmark.LabelRequest.produced(CODE, "wm-1").withWatermark(AigcmarkServerTest.KEYS.get(0))).bytes();
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(marked));
        java.awt.image.BufferedImage wide = new java.awt.image.BufferedImage((int) (img.getWidth() * 1.3), img.getHeight(),
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = wide.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, wide.getWidth(), wide.getHeight(), null);
        g.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(wide, "png", png);
        byte[] stretched = png.toByteArray();
        try (Detector sdk = Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of())) {
            for (String search : List.of("full", "quick", "own", "deep")) {
                HttpResponse<byte[]> r = post(server, "/v1/detect?name=wide.png&watermarkSearch=" + search,
                        HttpRequest.BodyPublishers.ofByteArray(stretched), "application/octet-stream");
                assertEquals(200, r.statusCode());
                Detector same = sdk.withWatermarkSearch(org.aigcmark.watermark.WatermarkOptions.Search.byName(search).orElseThrow());
                assertEquals(org.aigcmark.report.ReportJson.write(org.aigcmark.report.ReportJson.toNode(same.detect(stretched, "wide.png", false))) + "\n",
                        new String(r.body(), StandardCharsets.UTF_8), search);
                assertEquals(search.equals("full") || search.equals("deep"), JSON.readTree(r.body()).path("watermark").path("detected").asBoolean(), search);
            }
        }
        HttpResponse<byte[]> bad = post(server, "/v1/detect?watermarkSearch=deepest", HttpRequest.BodyPublishers.ofByteArray(stretched), "application/octet-stream");
        assertEquals(400, bad.statusCode());
        assertTrue(new String(bad.body(), StandardCharsets.UTF_8).contains("watermarkSearch must be full, quick, own or deep"));
    }

    @Test
    void propagateReturnsTheSdksBytesWithThePlatformsSignedFields(@TempDir Path tmp) throws Exception {
        String signer = LabelKeys.keyId(AigcmarkServerTest.SIGNER.publicKey());
        for (String fixture : List.of("jpeg/plain.jpg", "labeled/xmp-element.png", "video-labeled/ffmpeg-mdta.mp4")) {
            Path in = Fixtures.path(fixture);
            HttpResponse<byte[]> r = post(server, "/v1/propagate?name=" + in.getFileName() + "&propagator=" + CODE
                    + "&propagateId=post-7&label=3&signKey=" + signer, HttpRequest.BodyPublishers.ofFile(in), "application/octet-stream");
            assertEquals(200, r.statusCode(), fixture + ": " + new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));

            // the very call `aigcmark propagate IN -o OUT --propagator CODE --propagate-id post-7 --label 3 --sign-key KEY` makes
            Path viaSdk = tmp.resolve("sdk-" + in.getFileName());
            Labeler.create().propagate(in, viaSdk, PropagateRequest.of(CODE, "post-7").withLabel("3").withSigningKey(AigcmarkServerTest.SIGNER));
            assertArrayEquals(Files.readAllBytes(viaSdk), r.body(), fixture);

            Path served = tmp.resolve("served-" + in.getFileName());
            Files.write(served, r.body());
            var inspected = Labeler.create().inspect(served, List.of(AigcmarkServerTest.SIGNER.publicKey()), C2paValidator.NO_ANCHORS);
            assertTrue(inspected.labels().stream().anyMatch(l -> l.label().contentPropagator().equals(CODE)
                    && l.label().propagateId().equals("post-7") && l.signature() == LabelSignatures.Status.VALID), fixture + ": " + inspected.labels());
        }
        assertEquals(List.of(), spooledAfterCleanup(), "the spooled body and its output are deleted once sent");
    }

    @Test
    void propagateParametersAreCheckedBeforeTheBody() throws Exception {
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        for (String[] bad : new String[][] {
                {"propagateId=x", "propagator is required (as the CLI's --propagator)"},
                {"propagator=" + CODE, "propagateId is required (as the CLI's --propagate-id)"},
                {"propagator=" + CODE + "&propagateId=x&label=5", "label must be 2 or 3, got 5"},
                {"propagator=" + CODE + "&propagateId=x&signKey=0000000000000000", "no signing key with id 0000000000000000"}}) {
            HttpResponse<byte[]> r = post(server, "/v1/propagate?" + bad[0], HttpRequest.BodyPublishers.ofByteArray(photo), "application/octet-stream");
            assertEquals(400, r.statusCode(), bad[0]);
            JsonNode n = JSON.readTree(r.body());
            assertTrue(n.get("error").asText().contains(bad[1]), n.toString());
            assertEquals("INVALID_ARGUMENT", n.get("reason").asText());
        }
        // a file without a record needs the label value, as the CLI says; the message names the upload, not a temp file
        HttpResponse<byte[]> r = post(server, "/v1/propagate?name=up.jpg&propagator=" + CODE + "&propagateId=x",
                HttpRequest.BodyPublishers.ofByteArray(photo), "application/octet-stream");
        assertEquals(422, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(!error.contains("aigcmark-serve-") && !error.contains("body-"), error);
    }

    /** The chunked response of a raw HTTP/1.1 exchange, read chunk by chunk. */
    static final class ChunkedResponse {
        final InputStream in;
        final String head;

        ChunkedResponse(InputStream in) throws IOException {
            this.in = in;
            this.head = line(in, "\r\n\r\n");
        }

        /** The next chunk's bytes, or null after the last. */
        byte[] next() throws IOException {
            String size = line(in, "\r\n").strip();
            int n = Integer.parseInt(size.split(";")[0], 16);
            byte[] b = in.readNBytes(n);
            line(in, "\r\n");
            return n == 0 ? null : b;
        }

        private static String line(InputStream in, String end) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (!b.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("the connection ended early: " + b);
                }
                b.write(c);
            }
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    static void chunk(OutputStream o, byte[] b, int from, int to) throws IOException {
        o.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        o.write(b, from, to - from);
        o.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        o.flush();
    }

    @Test
    void textLabelStreamsTheLabelledAnswerBeforeTheRequestEnds() throws Exception {
        String answer = "人工智能可以帮助写作。\n第二段：模型一段一段地生成文字，\n服务一段一段地标识。\n";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        int first = "人工智能可以帮助写作。\n".getBytes(StandardCharsets.UTF_8).length;
        int[] cuts = {0, first, first + 7, first + 20, bytes.length}; // 7 and 20 fall inside 3-byte characters
        ExplicitTextLabel label = ExplicitTextLabel.defaults(TextLanguage.ZH);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000); // a guard against a hang if the server waited for the whole body, not a timing
            OutputStream o = socket.getOutputStream();
            o.write(("POST /v1/text/label?name=answer.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            chunk(o, bytes, cuts[0], cuts[1]);
            ChunkedResponse r = new ChunkedResponse(socket.getInputStream());
            assertTrue(r.head.startsWith("HTTP/1.1 200"), r.head);
            assertTrue(r.head.toLowerCase().contains("content-type: text/plain; charset=utf-8"), r.head);
            // the first chunk comes back labelled while the rest of the answer has not been sent
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] expectedFirst = (label.startPrefix() + "人工智能可以帮助写作。\n").getBytes(StandardCharsets.UTF_8);
            while (got.size() < expectedFirst.length) {
                got.write(r.next());
            }
            assertArrayEquals(expectedFirst, got.toByteArray());
            for (int i = 1; i < cuts.length - 1; i++) {
                Thread.sleep(50); // an LLM's pace; nothing is asserted on time
                chunk(o, bytes, cuts[i], cuts[i + 1]);
            }
            o.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            for (byte[] b; (b = r.next()) != null; ) {
                got.write(b);
            }
            // what `aigcmark text label IN -o OUT` writes for the same text
            assertEquals(ExplicitTextLabel.forText(answer).relabel(answer, LabelPosition.BOTH, false).text(), got.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * An LLM's answer streamed slowly through a real HTTP client for six times the server's idle-connection limit
     * (two of its pauses past the limit, under the twice the limit a stream may be silent): the labelled answer comes back whole, and the same client's next request on its kept
     * connection is answered too (the idle check must neither cut the stream nor leave a closed connection behind an
     * answer that said keep-alive).
     */
    @Test
    void aTextStreamLongerThanTheIdleLimitIsNotCutOff() throws Exception {
        Duration idleLimit = Duration.ofSeconds(1);
        AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), List.of(), List.of(), List.of())),
                ServeSettings.defaults().withPort(0).withReadTimeout(idleLimit), new PrintWriter(new ByteArrayOutputStream()));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            List<String> pieces = List.of("The model ", "writes its ", "answer ", "slowly, ", "a few ", "words ", "at a ", "time, ",
                    "for longer ", "than the ", "idle limit.\n");
            String answer = String.join("", pieces);
            java.util.function.Supplier<InputStream> slowly = () -> new java.io.SequenceInputStream(java.util.Collections.enumeration(
                    pieces.stream().map(p -> (InputStream) new java.io.ByteArrayInputStream(p.getBytes(StandardCharsets.UTF_8)) {
                        private boolean paused;

                        @Override
                        public synchronized int read(byte[] b, int off, int len) {
                            if (!paused) {
                                paused = true;
                                try {
                                    // an LLM's pauses: most short, two past the idle limit (a stream may be silent for under twice it)
                                    Thread.sleep(p.startsWith("slowly") || p.startsWith("for") ? idleLimit.toMillis() * 3 / 2 : idleLimit.toMillis() * 3 / 10);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                            return super.read(b, off, len);
                        }
                    }).toList()));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(AigcmarkServerTest.uri(s, "/v1/text/label?lang=en&name=answer.txt"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(slowly)).header("Content-Type", "text/plain; charset=utf-8").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(ExplicitTextLabel.forText(answer).relabel(answer, LabelPosition.BOTH, false).text(), r.body());
            // the connection closes after a stream (it may have outlasted the idle limit): the answer says so, so
            // the client's next requests go on new connections (with keep-alive they failed: "header parser
            // received no bytes", the idle check having closed the connection after the answer)
            assertEquals("close", r.headers().firstValue("Connection").orElse("(keep-alive)"));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> next = client.send(HttpRequest.newBuilder(AigcmarkServerTest.uri(s, "/v1/text/label?lang=en"))
                        .POST(HttpRequest.BodyPublishers.ofString("Hello.")).header("Content-Type", "text/plain; charset=utf-8").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, next.statusCode(), next.body());
            }
        } finally {
            s.close();
        }
    }

    @Test
    void textLabelReadsAndWritesServerSentEvents() throws Exception {
        String events = "data: The model writes\n\n: a comment\ndata:  in pieces,\n\nevent: x\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n";
        HttpResponse<byte[]> r = post(server, "/v1/text/label?lang=en&position=end", HttpRequest.BodyPublishers.ofString(events), "text/event-stream");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        StringBuilder text = new StringBuilder();
        List<String> datas = new java.util.ArrayList<>();
        for (String event : new String(r.body(), StandardCharsets.UTF_8).split("\n\n")) {
            List<String> lines = new java.util.ArrayList<>();
            for (String line : event.split("\n", -1)) {
                lines.add(line.substring("data: ".length()));
            }
            datas.add(String.join("\n", lines));
        }
        assertEquals("[DONE]", datas.removeLast());
        datas.forEach(text::append);
        String answer = "The model writes in pieces,line one\nline two";
        assertEquals(ExplicitTextLabel.defaults(TextLanguage.EN).relabel(answer, LabelPosition.END, false).text(), text.toString());
    }

    @Test
    void textLabelRefusesWhatTextLabelRefuses() throws Exception {
        HttpResponse<byte[]> utf16 = post(server, "/v1/text/label?name=a.txt", HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xFF, (byte) 0xFE, 'h', 0}), "text/plain");
        assertEquals(422, utf16.statusCode());
        assertEquals("a.txt is UTF-16 text; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)", JSON.readTree(utf16.body()).get("error").asText());
        HttpResponse<byte[]> broken = post(server, "/v1/text/label?name=a.txt", HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xC3, '(', 'o', 'k'}), "text/plain");
        assertEquals(422, broken.statusCode(), new String(broken.body(), StandardCharsets.UTF_8));
        assertEquals("a.txt is not valid UTF-8 (at byte 0); only UTF-8 text can be labelled", JSON.readTree(broken.body()).get("error").asText());
        assertEquals("CORRUPT_INPUT", JSON.readTree(broken.body()).get("reason").asText());
        // once the labelled stream has begun, a broken end cuts it off: the client never gets it as a whole answer
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> post(server, "/v1/text/label?name=a.txt",
                HttpRequest.BodyPublishers.ofByteArray(new byte[] {'o', 'k', (byte) 0xE4, (byte) 0xBA}), "text/plain"));
        assertEquals(200, AigcmarkServerTest.get(server, "/health").statusCode());
        for (String bad : List.of("middle=true", "lang=fr", "position=middle", "text=hello")) {
            HttpResponse<byte[]> r = post(server, "/v1/text/label?" + bad, HttpRequest.BodyPublishers.ofString("hi"), "text/plain");
            assertEquals(400, r.statusCode(), bad);
            assertEquals("INVALID_ARGUMENT", JSON.readTree(r.body()).get("reason").asText(), bad);
        }
    }

    @Test
    void aLargeBodyIsDetectedFromItsSpooledFile(@TempDir Path tmp) throws Exception {
        // an MP4 over the in-memory threshold (a sparse `free` box appended) and a labeler whose limit on files read
        // whole is below it: only the sdk's Path route, which streams MP4 from disk, can answer 200
        Path big = tmp.resolve("big.mp4");
        byte[] mp4 = Fixtures.bytes("video-labeled/ffmpeg-mdta.mp4");
        long pad = withSparseFreeBox(big, mp4);
        Labeler small = wholeFilesUnder4MiB();
        Detector detector = Detector.create(small, AigcmarkServerTest.KEYS, List.of(), List.of());
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(detector), ServeSettings.defaults().withPort(0)
                .withLimits(64L << 20, 2, 2, java.time.Duration.ofSeconds(120)), new PrintWriter(new ByteArrayOutputStream()))) {
            HttpResponse<byte[]> r = post(s, "/v1/detect?name=big.mp4", HttpRequest.BodyPublishers.ofFile(big), "application/octet-stream");
            assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            String expected = org.aigcmark.report.ReportJson.write(org.aigcmark.report.ReportJson.toNode(detector.detect(big, "big.mp4", false))) + "\n";
            assertEquals(expected, new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("1", JSON.readTree(r.body()).get("verdict").get("label").asText());
            // a JPEG over the threshold goes the same route, which reads formats that do not stream whole under the
            // labeler's limit: refused as `detect` refuses it, and named by the upload's name, not the temp file's
            Path bigJpeg = tmp.resolve("big.jpg");
            byte[] jpeg = Fixtures.bytes("jpeg/plain.jpg");
            try (var ch = java.nio.channels.FileChannel.open(bigJpeg, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(jpeg));
                ch.write(java.nio.ByteBuffer.allocate(1), jpeg.length + pad - 1);
            }
            var refused = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class, () -> detector.detect(bigJpeg, "big.jpg", false));
            HttpResponse<byte[]> tooBig = post(s, "/v1/detect?name=big.jpg", HttpRequest.BodyPublishers.ofFile(bigJpeg), "application/octet-stream");
            assertEquals(422, tooBig.statusCode(), new String(tooBig.body(), StandardCharsets.UTF_8));
            assertEquals(refused.getMessage().replace(bigJpeg.toString(), "big.jpg"), JSON.readTree(tooBig.body()).get("error").asText());
            assertTrue(JSON.readTree(tooBig.body()).get("error").asText().startsWith("big.jpg"), new String(tooBig.body(), StandardCharsets.UTF_8));
            assertEquals("LIMIT_EXCEEDED", JSON.readTree(tooBig.body()).get("reason").asText());
            // a small body is still read into memory and checked there
            assertEquals(200, post(s, "/v1/detect", HttpRequest.BodyPublishers.ofByteArray(mp4), "application/octet-stream").statusCode());
        }
    }

    @Test
    void labelStreamsALargeBodyFromItsSpooledFile(@TempDir Path tmp) throws Exception {
        // as for detection: an MP4 over the labeler's limit on files read whole; only labelling from the spooled
        // file (the sdk's Path route, which streams MP4 from disk to disk) answers 200, with the CLI's bytes
        Path big = tmp.resolve("big.mp4");
        byte[] mp4 = Fixtures.bytes("video/sample-360p-2s5.mp4");
        withSparseFreeBox(big, mp4);
        Labeler small = wholeFilesUnder4MiB();
        ServiceChecks checks = new ServiceChecks(Detector.create(small, AigcmarkServerTest.KEYS, List.of(), List.of()), small, List.of(),
                C2paValidator.NO_ANCHORS, org.aigcmark.text.TextChecker.of(AigcmarkServerTest.KEYS), List.of(AigcmarkServerTest.SIGNER), AigcmarkServerTest.KEYS);
        try (AigcmarkServer s = AigcmarkServer.start(checks, ServeSettings.defaults().withPort(0)
                .withLimits(64L << 20, 2, 2, java.time.Duration.ofSeconds(120)), new PrintWriter(new ByteArrayOutputStream()))) {
            HttpResponse<byte[]> r = post(s, "/v1/label?name=big.mp4&producer=" + CODE + "&produceId=big-1", HttpRequest.BodyPublishers.ofFile(big), "application/octet-stream");
            assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            Path expected = tmp.resolve("expected.mp4");
            small.label(big, expected, new org.aigcmark.LabelRequest(org.aigcmark.label.AigcLabel.produced(CODE, "big-1"), null, null, null));
            assertEquals(Files.size(expected), r.body().length);
            assertEquals(-1, Arrays.mismatch(Files.readAllBytes(expected), r.body()));
            assertEquals(String.valueOf(r.body().length), r.headers().firstValue("Content-Length").orElse(""));
        }
    }

    @Test
    void unknownPathsAndWrongMethodsAnswerInTheJsonErrorShape() throws Exception {
        HttpResponse<String> missing = AigcmarkServerTest.get(server, "/v2/nothing");
        assertEquals(404, missing.statusCode());
        assertEquals("application/json", missing.headers().firstValue("Content-Type").orElse(""));
        JsonNode n = JSON.readTree(missing.body());
        assertEquals("NOT_FOUND", n.get("reason").asText());
        assertEquals("no endpoint at /v2/nothing (see /openapi)", n.get("error").asText());

        HttpResponse<String> wrong = AigcmarkServerTest.get(server, "/v1/detect");
        assertEquals(405, wrong.statusCode(), wrong.body());
        assertEquals("POST", wrong.headers().firstValue("Allow").orElse(""));
        assertEquals("METHOD_NOT_ALLOWED", JSON.readTree(wrong.body()).get("reason").asText());
        HttpResponse<String> postHealth = AigcmarkServerTest.post(server, "/health", new byte[0]);
        assertEquals(405, postHealth.statusCode());
        assertEquals("GET", postHealth.headers().firstValue("Allow").orElse(""));
        assertTrue(AigcmarkServerTest.get(server, "/metrics").body().contains("aigcmark_requests_total{endpoint=\"other\",status=\"404\"}"));
    }

    /**
     * Writes {@code mp4} to {@code big} followed by a sparse `free` box (its zeros a hole in the file) that takes it
     * past the service's in-memory threshold; returns the box's size.
     */
    static long withSparseFreeBox(Path big, byte[] mp4) throws IOException {
        long pad = AigcmarkServer.IN_MEMORY_MAX_BYTES + (1 << 20);
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(mp4));
            ch.write(java.nio.ByteBuffer.allocate(8).putInt((int) pad).put("free".getBytes(StandardCharsets.US_ASCII)).flip());
            ch.write(java.nio.ByteBuffer.allocate(1), mp4.length + pad - 1); // sparse: the box's zeros are a hole
        }
        return pad;
    }

    /** A labeler whose limit on files read whole (4 MiB) is below such a file: only its streaming route answers. */
    static Labeler wholeFilesUnder4MiB() {
        return Labeler.create(FormatRegistry.defaults(), new Limits(4L << 20, Limits.DEFAULT.maxPixels(),
                Limits.DEFAULT.maxSegmentBytes(), Limits.DEFAULT.maxInflatedBytes()));
    }

    /**
     * What is left in the service's temp folder once the server has finished its requests: a spooled file is deleted
     * after the response's last byte went out, which the client may see a moment before the server's cleanup runs,
     * so this waits (up to 10 s) for the folder to empty before it reports what stayed.
     */
    static List<String> spooledAfterCleanup() throws IOException, InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        List<String> left = spooled();
        while (!left.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50);
            left = spooled();
        }
        return left;
    }

    /**
     * What is in this class's server's temp folder now (only its own: other processes' servers, e.g. another build's
     * tests in the same /tmp, spool into theirs).
     */
    static List<String> spooled() throws IOException {
        try (var f = Files.list(server.spoolFolder())) {
            return f.map(p -> p.getFileName().toString()).toList();
        }
    }
}
