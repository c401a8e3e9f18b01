package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** label/detect on video through the CLI (the video module behind it), on the 2.5 s 360p cut of real footage. */
class VideoCliTest {
    static final String CODE = "001191110102MACQD9K64010000";
    @TempDir
    Path tmp;

    /** A bitrate no encoder opens (3 Gb/s, Integer.MAX_VALUE kb/s) is a usage error naming the range, not exit 1. */
    @Test
    void bitrateOutOfRangeIsAUsageError() {
        for (String kbps : new String[] {"3000000", "2147483647", "0"}) {
            Path out = tmp.resolve("b.mp4");
            CliTest.Run r = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", out.toString(),
                    "--producer", CODE, "--produce-id", "x", "--visible", "--bitrate", kbps);
            assertEquals(2, r.code(), kbps + ": " + r.err());
            assertTrue(r.err().contains("1-500000"), r.err());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void labelVisibleAndWatermarkThenDetectJson() throws Exception {
        Path key = tmp.resolve("wm");
        assertEquals(0, CliTest.run("keygen", "--alg", "watermark", "-o", key.toString()).code());
        Path out = tmp.resolve("out.mp4");
        CliTest.Run l = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", out.toString(),
                "--producer", CODE, "--produce-id", "vid-1", "--visible", "--watermark", "--key", key + ".key");
        assertEquals(0, l.code(), l.err());
        assertTrue(l.out().contains("bit-exact"), l.out());
        // the default 3 s span is longer than this 2.5 s cut: the message says the real span
        assertTrue(l.out().contains("the whole 2.5 s video"), l.out());
        assertFalse(l.out().contains("for the first 3.0 s"), l.out());

        CliTest.Run d = CliTest.run("detect", out.toString(), "--key", key + ".key", "--json");
        assertEquals(0, d.code(), d.err());
        JsonNode n = new ObjectMapper().readTree(d.out());
        assertEquals("1", n.get("verdict").get("label").asText());
        assertEquals("vid-1", n.get("labels").get(0).get("ProduceID").asText());
        JsonNode w = n.get("watermark");
        assertTrue(w.get("detected").asBoolean(), w.toString());
        assertEquals("2/2", w.get("segments").asText());
        assertTrue(w.get("matchesLabel").asBoolean());
        JsonNode v = n.get("visibleLabels").get(0);
        assertEquals("bottom_right", v.get("position").asText());
        assertTrue(v.get("heightRatio").asDouble() >= 0.05);
        // the scan's HTML report names the video watermark's segments and that it fits the record
        Path dir = Files.createDirectories(tmp.resolve("scanned"));
        Files.copy(out, dir.resolve("clip.mp4"));
        Path html = tmp.resolve("scan.html");
        CliTest.run("scan", dir.toString(), "--html", html.toString(), "--key", key + ".key", "--no-ocr");
        String page = Files.readString(html);
        assertTrue(page.contains("in 2/2 video segments; matches the label"), page.substring(page.indexOf("<table")));
        assertTrue(page.contains("ProduceID=<code>vid-1</code>"), page.substring(page.indexOf("<table")));

        // the metadata-only path (no pixels) still goes through the sdk and keeps the frames untouched
        Path meta = tmp.resolve("meta.mp4");
        CliTest.Run m = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", meta.toString(),
                "--producer", CODE, "--produce-id", "vid-2");
        assertEquals(0, m.code(), m.err());
        CliTest.Run plain = CliTest.run("detect", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "--key", key + ".key", "--json");
        assertEquals(0, plain.code(), plain.err());
        JsonNode p = new ObjectMapper().readTree(plain.out());
        assertFalse(p.get("watermark").get("detected").asBoolean());
        assertEquals("0/2", p.get("watermark").get("segments").asText());
        assertEquals(0, p.get("visibleLabels").size());
    }

    /** WebM in, WebM out through the CLI, with the encoder and rate knobs; the input made by the Debian ffmpeg CLI. */
    @Test
    void webmStaysWebmAndTheRateOptionsReachTheEncoder() throws Exception {
        requireFfmpeg();
        Path webm = tmp.resolve("in.webm");
        VideoChecksTest.ffmpeg("-i", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-t", "1", "-c:v", "libvpx-vp9",
                "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k", "-c:a", "libopus", webm.toString());
        Path out = tmp.resolve("out.webm");
        CliTest.Run l = CliTest.run("label", webm.toString(), "-o", out.toString(), "--producer", CODE, "--produce-id", "webm-cli",
                "--visible", "--crf", "40");
        assertEquals(0, l.code(), l.err());
        assertTrue(l.out().contains("(webm, 640x360") && l.out().contains("libvpx-vp9 crf 40"), l.out());
        String probe = ffprobe("-show_entries", "stream=codec_name", "-of", "csv=p=0", out.toString());
        assertEquals("vp9\nopus", probe.strip(), probe);
        CliTest.Run i = CliTest.run("inspect", out.toString(), "--json");
        assertTrue(i.out().contains("webm-cli"), i.out());

        // another container's name for OUT is a usage error, before any work
        Path wrong = tmp.resolve("wrong.webm");
        CliTest.Run named = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", wrong.toString(),
                "--producer", CODE, "--produce-id", "x", "--visible");
        assertEquals(2, named.code(), named.out() + named.err());
        assertTrue(named.err().contains("keeps the input's container"), named.err());
        assertFalse(Files.exists(wrong));

        // libopenh264 has no CRF: refused with the knob it has; --bitrate reaches it
        Path h264 = tmp.resolve("h264.mp4");
        CliTest.Run crf = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", h264.toString(),
                "--producer", CODE, "--produce-id", "x", "--visible", "--video-encoder", "openh264", "--crf", "23");
        assertEquals(2, crf.code(), crf.out() + crf.err());
        assertTrue(crf.err().contains("--bitrate"), crf.err());
        assertFalse(Files.exists(h264));
        CliTest.Run rate = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", h264.toString(),
                "--producer", CODE, "--produce-id", "x", "--visible", "--video-encoder", "openh264", "--bitrate", "300");
        assertEquals(0, rate.code(), rate.err());
        assertTrue(rate.out().contains("libopenh264 300 kb/s"), rate.out());

        // without pixel work nothing is re-encoded: a CRF would be ignored, so it is refused
        Path meta = tmp.resolve("meta.mp4");
        CliTest.Run metaCrf = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", meta.toString(),
                "--producer", CODE, "--produce-id", "x", "--crf", "20");
        assertEquals(2, metaCrf.code(), metaCrf.out() + metaCrf.err());
        assertTrue(metaCrf.err().contains("re-encoded"), metaCrf.err());
        assertFalse(Files.exists(meta));

        // H.264 does not go into WebM
        CliTest.Run h264InWebm = CliTest.run("label", webm.toString(), "-o", tmp.resolve("h.webm").toString(), "--producer", CODE,
                "--produce-id", "x", "--visible", "--video-encoder", "openh264");
        assertEquals(2, h264InWebm.code(), h264InWebm.out() + h264InWebm.err());
        assertTrue(h264InWebm.err().contains("WebM holds AV1/VP8/VP9 video"), h264InWebm.err());
    }

    /** Skipped on a developer's machine without the Debian ffmpeg/ffprobe, a failure in CI (.ci/run installs them). */
    static void requireFfmpeg() {
        for (String tool : new String[] {"ffmpeg", "ffprobe"}) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
                if (System.getenv("CI") != null) {
                    org.junit.jupiter.api.Assertions.fail("CI must provide " + tool);
                }
                org.junit.jupiter.api.Assumptions.abort(tool + " is not installed");
            }
        }
    }

    static String ffprobe(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("ffprobe", "-v", "error"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void badVideoExitsThreeAndWritesNothing() throws Exception {
        Path key = tmp.resolve("wm");
        assertEquals(0, CliTest.run("keygen", "--alg", "watermark", "-o", key.toString()).code());
        Path outDir = Files.createDirectories(tmp.resolve("o"));
        CliTest.Run r = CliTest.run("label", Fixtures.path("bad-video/truncated-half.mp4").toString(), "-o",
                outDir.resolve("x.mp4").toString(), "--producer", CODE, "--produce-id", "bad", "--watermark", "--key", key + ".key");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("truncated") || r.err().contains("damaged") || r.err().contains("cannot"), r.err());
        try (var s = Files.list(outDir)) {
            assertEquals(0, s.count());
        }
    }
}
