package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One detection pipeline: an SDK caller gets, from {@link Detector} alone, the report {@code aigcmark detect --json}
 * prints, for a video (frames folded in by the video module's media check) and a text (the text watermark).
 */
class DetectionParityTest {
    static final String CODE = "001191110102MACQD9K64010000";
    static final Path KEY = Fixtures.path("keys/test-watermark.key");

    @TempDir
    Path tmp;

    private static JsonNode sdk(Path file) throws Exception {
        try (Detector d = Detector.create(Labeler.create(), List.of(WatermarkKey.read(KEY)), List.of(), List.of())) {
            DetectionReport r = d.detect(file, false);
            return new ObjectMapper().readTree(ReportJson.write(ReportJson.toNode(r)));
        }
    }

    private static JsonNode cli(Path file) throws Exception {
        CliTest.Run r = CliTest.run("detect", file.toString(), "--key", KEY.toString(), "--no-ocr", "--json");
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void aWatermarkedVideoGivesTheSameReportThroughTheSdkAsThroughTheCli() throws Exception {
        Path video = tmp.resolve("marked.mp4");
        CliTest.Run l = CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", video.toString(),
                "--producer", CODE, "--produce-id", "parity-1", "--visible", "--watermark", "--key", KEY.toString());
        assertEquals(0, l.code(), l.err());
        JsonNode viaSdk = sdk(video);
        assertEquals(cli(video), viaSdk);
        // and the SDK's report holds the frame findings, not only the container's
        assertEquals("metadata", viaSdk.get("verdict").get("rule").asText(), viaSdk.toString());
        assertEquals("2/2", viaSdk.get("watermark").get("segments").asText(), viaSdk.get("watermark").toString());
        assertTrue(viaSdk.get("watermark").get("matchesLabel").asBoolean());
        assertTrue(viaSdk.has("video") && viaSdk.get("visibleLabels").size() > 0, viaSdk.toString());
    }

    @Test
    void aVideoWithOnlyTheWatermarkIsLabelOneThroughTheSdk() throws Exception {
        // the record stripped by re-muxing with ffmpeg: only the frames tell
        Path marked = tmp.resolve("marked.mp4");
        assertEquals(0, CliTest.run("label", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-o", marked.toString(),
                "--producer", CODE, "--produce-id", "parity-2", "--watermark", "--key", KEY.toString()).code());
        Path bare = tmp.resolve("bare.mp4");
        org.aigcmark.TestSupport.run("ffmpeg", "-v", "error", "-i", marked.toString(), "-map_metadata", "-1", "-c", "copy",
                bare.toString());
        JsonNode viaSdk = sdk(bare);
        assertEquals(cli(bare), viaSdk);
        assertEquals(0, viaSdk.get("labels").size(), viaSdk.get("labels").toString());
        assertEquals("1", viaSdk.get("verdict").get("label").asText(), viaSdk.get("verdict").toString());
        assertEquals("watermark", viaSdk.get("verdict").get("rule").asText());
    }

    @Test
    void aWatermarkedTextGivesTheSameReportThroughTheSdkAsThroughTheCli() throws Exception {
        Path text = Fixtures.path("text/watermarked/kgw-en.txt");
        JsonNode viaSdk = sdk(text);
        assertEquals(cli(text), viaSdk);
        assertEquals("1", viaSdk.get("verdict").get("label").asText(), viaSdk.get("verdict").toString());
        assertEquals("watermark", viaSdk.get("verdict").get("rule").asText());
        assertTrue(viaSdk.get("text").get("watermark").get("detected").asBoolean());
        // the same findings as 'text detect --json' prints
        CliTest.Run t = CliTest.run("text", "detect", text.toString(), "--key", KEY.toString(), "--json");
        JsonNode textDetect = new ObjectMapper().readTree(t.out());
        ((com.fasterxml.jackson.databind.node.ObjectNode) textDetect).remove("file");
        assertEquals(textDetect, viaSdk.get("text"));
    }

    @Test
    void aPlainTextWithoutTheMarkIsNotLabelled() throws Exception {
        Path text = Files.writeString(tmp.resolve("human.txt"), Files.readString(Fixtures.path("text/human/en-faq-debian.txt")));
        JsonNode viaSdk = sdk(text);
        assertEquals(cli(text), viaSdk);
        assertTrue(viaSdk.get("verdict").get("label").isNull(), viaSdk.get("verdict").toString());
        assertEquals("NOT_DETECTED", viaSdk.get("text").get("watermark").get("status").asText());
    }
}
