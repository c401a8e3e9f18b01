package org.aigcmark.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful stop: what is in flight when {@link AigcmarkServer#close()} is called is answered whole, new work gets 503
 * with {@code Retry-After}, and the drain ends at its limit whatever still runs. No sleeps: the test waits for the
 * service's own log lines.
 */
class DrainTest {
    static final String CODE = "001191110102MACQD9K64010000";

    /** The service's log, whose lines a test can wait for. */
    static final class LogLines extends java.io.Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(char[] chars, int off, int len) {
            text.append(chars, off, len);
            notifyAll();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        /** The first line containing {@code part}, once written (a two-minute guard against a hang, not a timing). */
        synchronized String await(String part) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                for (String line : text.toString().lines().toList()) {
                    if (line.contains(part)) {
                        return line;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no log line with '" + part + "' in:\n" + text);
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        @Override
        public synchronized String toString() {
            return text.toString();
        }
    }

    /** Reads an HTTP/1.1 response head byte by byte (nothing of the body is read). */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anAnswerStillBeingSentIsInFlightUntilItsLastByte(@TempDir Path tmp) throws Exception {
        // A labelled file larger than the socket buffers, to a client that reads nothing yet: its answer is being sent
        // when close() is called. The drain must count it (it counted only the work, which had ended, and stopped the
        // listener under the answer); new work meanwhile gets 503.
        Path big = tmp.resolve("big.mp4");
        byte[] mp4 = Fixtures.bytes("video/sample-360p-2s5.mp4");
        long pad = 32L << 20;
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(mp4));
            ch.write(java.nio.ByteBuffer.allocate(8).putInt((int) pad).put("free".getBytes(StandardCharsets.US_ASCII)).flip());
            ch.write(java.nio.ByteBuffer.allocate(1), mp4.length + pad - 1); // sparse: the box's zeros are a hole
        }
        Path expected = tmp.resolve("expected.mp4");
        Labeler.create().label(big, expected, new org.aigcmark.LabelRequest(org.aigcmark.label.AigcLabel.produced(CODE, "drain-1"), null, null, null));

        LogLines log = new LogLines();
        AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of())),
                ServeSettings.defaults().withPort(0).withDrainTimeout(Duration.ofMinutes(2)), new PrintWriter(log, true));
        CompletableFuture<Void> closing = null;
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(4096); // before connecting: the window the server may fill
            client.connect(new InetSocketAddress("127.0.0.1", s.port()));
            client.setSoTimeout(120_000); // a guard against a hang, not a timing
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/label?name=big.mp4&producer=" + CODE + "&produceId=drain-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + Files.size(big) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Files.copy(big, out);
            out.flush();
            InputStream in = client.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            long length = Long.parseLong(head.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15)).findFirst()
                    .orElseThrow().substring(15).strip());
            assertEquals(Files.size(expected), length);

            closing = CompletableFuture.runAsync(s::close);
            String draining = log.await("stopping: draining");
            assertTrue(draining.contains("draining 1 request(s) in flight"), draining);
            HttpResponse<String> refused = AigcmarkServerTest.post(s, "/v1/detect", Fixtures.bytes("jpeg/plain.jpg"));
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals(String.valueOf(AigcmarkServer.RETRY_AFTER_DRAINING_S), refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals("DOWN", AigcmarkServerTest.JSON.readTree(AigcmarkServerTest.get(s, "/health").body()).get("status").asText());

            byte[] body = in.readNBytes((int) length);
            assertEquals(-1, Arrays.mismatch(Files.readAllBytes(expected), body), "the answer was cut off while draining");
        } finally {
            if (closing == null) {
                s.close();
            }
        }
        closing.get();
        assertTrue(log.toString().contains("\"msg\":\"stopped\""), log.toString());
    }

    @Test
    void aDrainEndsAtItsLimitAndSaysWhatItCutOff() throws Exception {
        AigcmarkServerTest.Gate gate = new AigcmarkServerTest.Gate();
        LogLines log = new LogLines();
        AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), List.of(), List.of(), List.of(gate))),
                ServeSettings.defaults().withPort(0).withDrainTimeout(Duration.ofMillis(200)), new PrintWriter(log, true));
        try {
            CompletableFuture<Integer> stuck = CompletableFuture.supplyAsync(() -> {
                try {
                    return AigcmarkServerTest.post(s, "/v1/detect?name=a.jpg", Fixtures.bytes("jpeg/plain.jpg")).statusCode();
                } catch (Exception cutOff) {
                    return -1;
                }
            });
            gate.entered.await(); // held in the worker until released: past any drain
            s.close(); // returns although the request still runs
            assertTrue(gate.release.getCount() == 1 && gate.closed, "closed with the request still in its worker");
            assertTrue(log.toString().contains("stopped: 1 request(s) still in flight after the 200 ms drain were cut off"), log.toString());
            gate.release.countDown();
            int status = stuck.get();
            assertTrue(status != 200, "a request cut off by the stop was answered " + status);
        } finally {
            gate.release.countDown();
            s.close();
        }
    }
}
