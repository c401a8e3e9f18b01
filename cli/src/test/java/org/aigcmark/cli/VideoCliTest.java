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

    @Test
    void labelVisibleAndWatermarkThenDetectJson() throws Exception {
        Path key = tmp.resolve("wm");
        assertEquals(0, CliTest.run("keygen", "--alg", "watermark", "-o", key.toString()).code());
        Path out = tmp.resolve("out.mp4");
        CliTest.Run l = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", out.toString(),
                "--producer", CODE, "--produce-id", "vid-1", "--visible", "--watermark", "--key", key + ".key");
        assertEquals(0, l.code(), l.err());
        assertTrue(l.out().contains("bit-exact"), l.out());
        assertTrue(l.out().contains("for the first 3.0 s"), l.out());

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
