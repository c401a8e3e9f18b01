package org.aigcmark.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How bodies and connections arrive: multipart uploads (one file part and option fields, with the same limits as
 * raw bodies), HTTPS from a PEM chain and key, and slow clients that trickle bytes (closed, while others are served).
 */
class TransportTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String CODE = "001191110102MACQD9K64010000";

    static AigcmarkServer start(ServeSettings settings) {
        return AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of())),
                settings, new PrintWriter(new ByteArrayOutputStream()));
    }

    /** A multipart/form-data body: fields (name, value) then files (field, filename, bytes), in that order. */
    static final class Form {
        final String boundary = "----aigcmark" + Long.toHexString(System.nanoTime());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Form file(String field, String filename, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        byte[] bytes() {
            write("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static HttpResponse<byte[]> post(AigcmarkServer s, String pathAndQuery, Form form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(AigcmarkServerTest.uri(s, pathAndQuery)).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void multipartUploadsAreTheRawBodysAnswers(@TempDir Path tmp) throws Exception {
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        Detector detector = Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of());
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(detector), ServeSettings.defaults().withPort(0)
                .withLimits(1 << 20, 2, 4, Duration.ofSeconds(60)), new PrintWriter(new ByteArrayOutputStream()))) {
            // detect: the options as fields, the file's name from its part
            HttpResponse<byte[]> r = post(s, "/v1/detect", new Form().field("userDeclared", "true").file("file", "holiday.jpg", photo));
            assertEquals(200, r.statusCode(), text(r));
            assertEquals(ReportJson.write(ReportJson.toNode(detector.detect(photo, "holiday.jpg", true))) + "\n", text(r));
            // a field after the file and an explicit name
            r = post(s, "/v1/detect", new Form().file("upload", "x.jpg", photo).field("name", "named.jpg").field("metadataOnly", "true"));
            assertEquals(ReportJson.write(ReportJson.toNode(detector.metadataOnly().detect(photo, "named.jpg", false))) + "\n", text(r));

            // inspect
            byte[] png = Fixtures.bytes("labeled/xmp-element.png");
            r = post(s, "/v1/inspect", new Form().file("file", "a.png", png));
            assertEquals(ReportJson.toJson(Labeler.create().inspect(png, "a.png", List.of(), C2paValidator.NO_ANCHORS)) + "\n", text(r));

            // label: the options as fields, checked once they have arrived (400), the labelled file back
            r = post(s, "/v1/label", new Form().field("producer", CODE).field("produceId", "form-1").file("file", "p.jpg", photo));
            assertEquals(200, r.statusCode(), text(r));
            Path in = Files.write(tmp.resolve("p.jpg"), photo);
            Path expected = tmp.resolve("expected.jpg");
            Labeler.create().label(in, expected, new org.aigcmark.LabelRequest(org.aigcmark.label.AigcLabel.produced(CODE, "form-1"), null, null, null));
            assertArrayEquals(Files.readAllBytes(expected), r.body());
            r = post(s, "/v1/label", new Form().field("produceId", "form-1").file("file", "p.jpg", photo));
            assertEquals(400, r.statusCode(), text(r));
            assertTrue(text(r).contains("producer is required"), text(r));

            // refused shapes: no file, two files, a field twice (URL and form), a malformed body
            assertEquals(400, post(s, "/v1/detect", new Form().field("name", "a")).statusCode());
            HttpResponse<byte[]> two = post(s, "/v1/detect", new Form().file("file", "a.jpg", photo).file("file2", "b.jpg", photo));
            assertEquals(400, two.statusCode());
            assertTrue(text(two).contains("more than one file part"), text(two));
            HttpResponse<byte[]> twice = post(s, "/v1/detect?userDeclared=true", new Form().field("userDeclared", "false").file("file", "a.jpg", photo));
            assertEquals(400, twice.statusCode());
            assertEquals("INVALID_ARGUMENT", JSON.readTree(twice.body()).get("reason").asText());
            HttpResponse<byte[]> malformed = HTTP.send(HttpRequest.newBuilder(AigcmarkServerTest.uri(s, "/v1/detect"))
                    .header("Content-Type", "multipart/form-data; boundary=nothere").POST(HttpRequest.BodyPublishers.ofString("garbage")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(400, malformed.statusCode(), text(malformed));

            // limits: the file over --max-body-mb, too many parts. The server answers 413 and reads (then drops) the
            // rest of the body before it closes, so a client still writing gets the answer, not a reset
            HttpResponse<byte[]> big = post(s, "/v1/detect", new Form().file("file", "big.bin", new byte[(1 << 20) + 1]));
            assertEquals(413, big.statusCode(), text(big));
            assertEquals(200, AigcmarkServerTest.get(s, "/health").statusCode());
            Form many = new Form();
            for (int i = 0; i <= MultipartUpload.MAX_PARTS; i++) {
                many.field("f" + i, "x");
            }
            HttpResponse<byte[]> parts = post(s, "/v1/detect", many.file("file", "a.jpg", photo));
            assertEquals(413, parts.statusCode(), text(parts));
            assertTrue(text(parts).contains("more than " + MultipartUpload.MAX_PARTS + " parts"), text(parts));
            HttpResponse<byte[]> longField = post(s, "/v1/detect", new Form().field("name", "n".repeat(MultipartUpload.MAX_FIELD_BYTES + 1)).file("file", "a.jpg", photo));
            assertEquals(413, longField.statusCode(), text(longField));
            // and the service goes on
            assertEquals(200, post(s, "/v1/detect", new Form().file("file", "a.jpg", photo)).statusCode());
        }
    }

    @Test
    void httpsFromAPemChainAndKey(@TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("key.pem");
        Path cert = tmp.resolve("cert.pem");
        TestSupport.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1");
        X509Certificate x509;
        try (InputStream in = Files.newInputStream(cert)) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("serve", x509);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Detector detector = Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of());
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(detector), ServeSettings.defaults().withPort(0).withTls(cert, key),
                new PrintWriter(new java.io.OutputStreamWriter(log, StandardCharsets.UTF_8), true))) {
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("listening on https://127.0.0.1:" + s.port()), log.toString(StandardCharsets.UTF_8));
            URI base = URI.create("https://127.0.0.1:" + s.port());
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            byte[] jpeg = Fixtures.bytes("labeled/xmp-element.jpg");
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(base.resolve("/v1/detect?name=a.jpg"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(ReportJson.write(ReportJson.toNode(detector.detect(jpeg, "a.jpg", false))) + "\n", r.body());
            // the certificate is the one given: a client that does not trust it is refused, plain HTTP gets nothing
            assertThrows(IOException.class, () -> HTTP.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()));
            assertThrows(IOException.class, () -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // a key that is not one refuses the start with a sentence
        Path notKey = Files.writeString(tmp.resolve("not.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        var e = assertThrows(org.aigcmark.AigcmarkException.class, () -> start(ServeSettings.defaults().withPort(0).withTls(cert, notKey)));
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        assertThrows(org.aigcmark.AigcmarkException.class, () -> ServeSettings.defaults().withTls(cert, null));
    }

    /** Sends {@code head} then one byte of {@code trickle} at a time, a pause between; how many it sent before the server closed. */
    static int trickle(Socket socket, String head, byte[] trickle, long pauseMillis) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (int i = 0; i < trickle.length; i++) {
            try {
                out.write(trickle[i]);
                out.flush();
            } catch (IOException closed) {
                return i;
            }
            Thread.sleep(pauseMillis);
        }
        return trickle.length;
    }

    /** What the server sent before closing: read until end of stream or reset. */
    static String readUntilClosed(Socket socket) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = socket.getInputStream()) {
            in.transferTo(got);
        } catch (IOException reset) {
            // closed with a reset: also closed
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * A detect request's status once the one place is free: a closed request gives its place back as its handler
     * ends, just after the client saw the close, so 429 is retried as a client would (Retry-After).
     */
    static int afterBusy(AigcmarkServer s, byte[] photo) throws Exception {
        int status = 429;
        for (int i = 0; i < 100 && status == 429; i++) {
            status = AigcmarkServerTest.post(s, "/v1/detect?name=a.jpg", photo).statusCode();
            if (status == 429) {
                Thread.sleep(100);
            }
        }
        return status;
    }

    @Test
    void aClientThatTricklesIsClosedWhileOthersAreServed() throws Exception {
        // one worker, nobody waiting: a slow body holding its place would starve everyone
        // each side on its own thread (the common pool may have one)
        try (AigcmarkServer s = start(ServeSettings.defaults().withPort(0).withLimits(1 << 20, 1, 0, Duration.ofSeconds(60))
                .withReadTimeout(Duration.ofSeconds(2)));
             var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
            // 1. a request head that never ends: a header byte every 200 ms (each read is quick, so only a limit on
            //    the whole head closes it); 600 bytes would take two minutes
            try (Socket slowHead = new Socket("127.0.0.1", s.port())) {
                slowHead.setSoTimeout(120_000);
                var closer = java.util.concurrent.CompletableFuture.supplyAsync(() -> readUntilClosed(slowHead), threads);
                byte[] header = ("X-Slow: " + "a".repeat(600)).getBytes(StandardCharsets.US_ASCII);
                java.util.concurrent.CompletableFuture<Integer> sent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return trickle(slowHead, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n", header, 200);
                    } catch (Exception e) {
                        return -1;
                    }
                }, threads);
                // meanwhile others are served
                assertEquals(200, AigcmarkServerTest.post(s, "/v1/detect?name=a.jpg", photo).statusCode());
                closer.get(); // the server closed it
                int n = sent.get();
                assertTrue(n > 0 && n < header.length, "the server closed after " + n + " of the trickled head's bytes");
            }
            // 2. a body that trickles: the head is whole, the body comes at a byte every 200 ms; it holds the only
            //    admission place until the server gives up on it (408), then others get in again
            try (Socket slowBody = new Socket("127.0.0.1", s.port())) {
                slowBody.setSoTimeout(120_000);
                var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> readUntilClosed(slowBody), threads);
                java.util.concurrent.CompletableFuture<Integer> sent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return trickle(slowBody, "POST /v1/detect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                                + "Content-Length: 600\r\n\r\n", new byte[600], 200);
                    } catch (Exception e) {
                        return -1;
                    }
                }, threads);
                String got = answer.get();
                assertTrue(got.startsWith("HTTP/1.1 408"), got);
                assertTrue(got.contains("TIMEOUT"), got);
                assertTrue(sent.get() > 0 && sent.get() < 600, "the server closed after " + sent.get() + " of the trickled body's bytes");
            }
            assertEquals(200, afterBusy(s, photo));
            // 3. a request line that trickles, and 4. a body that never comes: closed too
            try (Socket slowLine = new Socket("127.0.0.1", s.port())) {
                slowLine.setSoTimeout(120_000);
                var closed = java.util.concurrent.CompletableFuture.supplyAsync(() -> readUntilClosed(slowLine), threads);
                var sent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return trickle(slowLine, "G", ("ET /health?" + "x".repeat(600)).getBytes(StandardCharsets.US_ASCII), 200);
                    } catch (Exception e) {
                        return -1;
                    }
                }, threads);
                closed.get();
                assertTrue(sent.get() > 0 && sent.get() < 600, "the server closed after " + sent.get() + " of the trickled request line's bytes");
            }
            try (Socket silent = new Socket("127.0.0.1", s.port())) {
                silent.setSoTimeout(120_000);
                silent.getOutputStream().write(("POST /v1/detect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 600\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                readUntilClosed(silent); // returns once the server has closed it
            }
            assertEquals(200, afterBusy(s, photo));
            // 5. a streamed text (/v1/text/label waits on its client, not on a worker) that falls silent: cut off too.
            //    The photo just served gives its admission place back after its answer went out, so on a busy machine
            //    this request can still meet the place taken (429, counted as busy): then it is sent again.
            String streamAnswer = "HTTP/1.1 429";
            for (int i = 0; i < 100 && streamAnswer.startsWith("HTTP/1.1 429"); i++) {
                if (i > 0) {
                    Thread.sleep(100);
                }
                try (Socket silentStream = new Socket("127.0.0.1", s.port())) {
                    silentStream.setSoTimeout(120_000);
                    silentStream.getOutputStream().write(("POST /v1/text/label HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    streamAnswer = readUntilClosed(silentStream);
                }
            }
            assertFalse(streamAnswer.startsWith("HTTP/1.1 429"), streamAnswer);
            assertEquals(200, afterBusy(s, photo));
            String metrics = AigcmarkServerTest.get(s, "/metrics").body();
            assertTrue(metrics.contains("aigcmark_rejected_total{reason=\"slow\"} 4.0"), metrics);
        }
    }

    /** What a raw HTTP/1.1 client read back: the status line and body, or the failure that stopped it. */
    record RawAnswer(String statusLine, String body, IOException failure) {}

    /**
     * A client that sends the head and the first {@code sentFirst} bytes of the body, waits for the first byte of the
     * server's answer, then sends the rest of the body (as a client that writes and reads at once does when the
     * answer comes early) and only then reads the answer, to the end of the connection.
     */
    static RawAnswer keepSendingAfterTheAnswer(AigcmarkServer s, String head, byte[] body, int sentFirst) {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(60_000); // a guard against a hang, not a timing
            OutputStream o = socket.getOutputStream();
            o.write(head.getBytes(StandardCharsets.US_ASCII));
            o.write(body, 0, sentFirst);
            o.flush();
            InputStream in = socket.getInputStream();
            int first = in.read(); // the server has decided
            for (int at = sentFirst; at < body.length; at += 16 << 10) {
                o.write(body, at, Math.min(16 << 10, body.length - at));
            }
            o.flush();
            String text = (char) first + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int eol = text.indexOf("\r\n");
            int bodyAt = text.indexOf("\r\n\r\n");
            return new RawAnswer(eol < 0 ? text : text.substring(0, eol), bodyAt < 0 ? "" : text.substring(bodyAt + 4), null);
        } catch (IOException e) {
            return new RawAnswer(null, null, e);
        }
    }

    static void assertStatus(int expected, RawAnswer a) {
        assertTrue(a.failure() == null && a.statusLine().startsWith("HTTP/1.1 " + expected + " "), a.statusLine() + " / " + a.failure());
    }

    static String postHead(String pathAndQuery, String contentType, long length, String... headers) {
        return "POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length
                + "\r\n" + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n").toList()) + "\r\n";
    }

    /** The {@code bytesIn} of the last request line in the service's log. */
    static long lastBytesIn(java.io.StringWriter log) throws IOException {
        List<String> lines = log.toString().lines().filter(l -> l.contains("\"bytesIn\"")).toList();
        return JSON.readTree(lines.getLast()).get("bytesIn").asLong();
    }

    @Test
    void anEarlyRefusalReachesAClientThatIsStillSending(@TempDir Path tmp) throws Exception {
        // The CI flake: the server answered 413 and closed with the rest of the body unread, so the kernel reset the
        // connection, and the reset can destroy the answer before the client (still sending) reads it. Whether it
        // does is a race; what makes it possible is not: the body left unread, which the log's bytesIn shows. Now
        // the server reads and drops a bounded rest of the body after a refusal, then closes.
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        Path keys = Files.writeString(tmp.resolve("keys.txt"), "k-detect-0123456789 detect\n");
        java.io.StringWriter log = new java.io.StringWriter();
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of())),
                ServeSettings.defaults().withPort(0).withApiKeys(keys).withLimits(1 << 20, 2, 4, Duration.ofSeconds(60)), new PrintWriter(log))) {
            String auth = "Authorization: Bearer k-detect-0123456789";
            // a raw body past the limit (read up to the limit, then refused)
            byte[] over = new byte[(1 << 20) + (512 << 10)];
            RawAnswer a = keepSendingAfterTheAnswer(s, postHead("/v1/detect", "application/octet-stream", over.length, auth), over, (1 << 20) + (64 << 10));
            assertStatus(413, a);
            assertTrue(a.body().contains("LIMIT_EXCEEDED"), a.body());
            assertEquals(over.length, lastBytesIn(log), "the rest of the refused body was left unread");
            // a declared length past the limit (refused before a byte is read)
            byte[] declared = new byte[(1 << 20) + 1];
            a = keepSendingAfterTheAnswer(s, postHead("/v1/detect", "application/octet-stream", declared.length, auth), declared, 0);
            assertStatus(413, a);
            assertEquals(declared.length, lastBytesIn(log));
            // too many multipart parts, then the file (the case that failed in CI)
            Form many = new Form();
            for (int i = 0; i <= MultipartUpload.MAX_PARTS; i++) {
                many.field("f" + i, "x");
            }
            int fields = many.out.size();
            byte[] form = many.file("file", "a.jpg", photo).bytes();
            a = keepSendingAfterTheAnswer(s, postHead("/v1/detect", many.contentType(), form.length, auth), form, fields);
            assertStatus(413, a);
            assertTrue(a.body().contains("more than " + MultipartUpload.MAX_PARTS + " parts"), a.body());
            assertEquals(form.length, lastBytesIn(log));
            // refused before the body: no key, a bad option
            a = keepSendingAfterTheAnswer(s, postHead("/v1/detect", "application/octet-stream", over.length), over, 0);
            assertStatus(401, a);
            assertEquals(over.length, lastBytesIn(log));
            a = keepSendingAfterTheAnswer(s, postHead("/v1/detect?metadataOnly=maybe", "application/octet-stream", over.length, auth), over, 0);
            assertStatus(400, a);
            assertEquals(over.length, lastBytesIn(log));

            // bounded: a body far past what the server drops is not read at all; its client is cut off
            byte[] huge = new byte[(int) AigcmarkServer.LINGER_MAX_BYTES * 4];
            a = keepSendingAfterTheAnswer(s, postHead("/v1/detect", "application/octet-stream", huge.length, auth), huge, 0);
            assertTrue(a.failure() != null, "a client sent a " + huge.length + "-byte body the server had refused: " + a.statusLine());
            assertEquals(200, AigcmarkServerTest.get(s, "/health").statusCode());
        }
    }

    @Test
    void anAnswerPastTheIdleLimitClosesItsConnection() throws Exception {
        // Helidon's idle-connection check counts a request still worked on as idle and, past --read-timeout-s, closes
        // its connection after the answer; the answer must say so (Connection: close), else a client reuses the
        // connection and its next request fails: the failed exchanges of bench serve when requests queued over 20 s
        AigcmarkServerTest.Gate gate = new AigcmarkServerTest.Gate();
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), List.of(), List.of(), List.of(gate))),
                ServeSettings.defaults().withPort(0).withReadTimeout(Duration.ofSeconds(1)), new PrintWriter(new ByteArrayOutputStream()))) {
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return AigcmarkServerTest.post(s, "/v1/detect?name=a.jpg", photo);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            gate.entered.await();
            Thread.sleep(2_000); // not a synchronisation: the behaviour is defined by the request lasting past the 1 s limit
            gate.release.countDown();
            HttpResponse<String> r = first.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("close", r.headers().firstValue("connection").orElse(""), r.headers().map().toString());
            assertEquals(200, AigcmarkServerTest.post(s, "/v1/detect?name=b.jpg", photo).statusCode());
        } finally {
            gate.release.countDown();
        }
    }

    /** A pixel check that keeps its thread busy (never blocks, as detection code does) until released. */
    static final class Spin implements org.aigcmark.detection.EvidenceCheck {
        final java.util.concurrent.CountDownLatch entered;
        volatile boolean released;

        Spin(int threads) {
            entered = new java.util.concurrent.CountDownLatch(threads);
        }

        @Override
        public String name() {
            return "spin";
        }

        @Override
        public List<org.aigcmark.detection.Evidence> check(java.awt.image.BufferedImage image, List<String> problems) {
            entered.countDown();
            while (!released) {
                Thread.onSpinWait();
            }
            return List.of();
        }
    }

    @Test
    void connectionsAreServedWhileEveryWorkerComputes() throws Exception {
        // one worker a core, each computing without blocking: on virtual threads they held every carrier, and no
        // connection was read or answered until one ended (here: never, so /health hung)
        int cores = Runtime.getRuntime().availableProcessors();
        Spin spin = new Spin(cores);
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), List.of(), List.of(), List.of(spin))),
                ServeSettings.defaults().withPort(0).withLimits(1 << 20, cores, 4, Duration.ofSeconds(600)), new PrintWriter(new ByteArrayOutputStream()));
             var clients = java.util.concurrent.Executors.newFixedThreadPool(cores)) {
            List<java.util.concurrent.Future<HttpResponse<String>>> computing = new java.util.ArrayList<>();
            for (int i = 0; i < cores; i++) {
                computing.add(clients.submit(() -> AigcmarkServerTest.post(s, "/v1/detect?name=a.jpg", photo)));
            }
            spin.entered.await(); // every worker is computing
            try {
                HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(60)).build();
                HttpResponse<String> health = fresh.send(HttpRequest.newBuilder(AigcmarkServerTest.uri(s, "/health"))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()); // a guard against a hang
                assertEquals(200, health.statusCode());
                assertTrue(AigcmarkServerTest.get(s, "/metrics").body().contains("aigcmark_requests_in_flight " + cores + ".0"));
            } finally {
                spin.released = true;
            }
            for (var f : computing) {
                assertEquals(200, f.get().statusCode());
            }
        }
    }
}
