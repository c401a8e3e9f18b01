package org.aigcmark.bench;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    private static BenchRun run(String... args) {
        return BenchRun.of(args);
    }

    @Test
    void watermarkSpeedReportsBothPathsAndARoundTrip() {
        BenchRun r = run("watermark", "--size", "640x480", "--iterations", "2");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("scalar"), r.out());
        assertTrue(r.out().contains("vector("), r.out());
        assertTrue(r.out().contains("true"), "the benchmark frame must round-trip: " + r.out());
        assertEquals(ExitCodes.USAGE, run("watermark", "--size", "12x12").code());
    }

    @Test
    void sizeIsParsedOnceForEveryCommandAsWxH() {
        assertEquals(new FrameSize(1920, 1080), new FrameSize.Converter().convert("1920X1080"));
        for (String bad : new String[] {"1920", "x1080", "1920x", "axb", "640x480x3", ""}) {
            BenchRun r = run("watermark", "--size", bad, "--iterations", "1");
            assertEquals(ExitCodes.USAGE, r.code(), bad + ": " + r.out());
            assertTrue(r.err().contains("WxH"), r.err());
        }
        assertEquals(ExitCodes.USAGE, run("detect", "--size", "640x480x3").code());
    }

    @Test
    void robustnessWritesATable(@TempDir Path dir) throws Exception {
        Path photo = Fixtures.list("photos").get(0);
        Path images = Files.createDirectory(dir.resolve("img"));
        Files.copy(photo, images.resolve(photo.getFileName()));
        Path md = dir.resolve("out/ROB.md");
        BenchRun r = run("robustness", "--images", images.toString(), "--out", md.toString(), "--no-external",
                "--attacks", "none.*|JPEG Q75.*", "--fp-crops", "3", "--threads", "1");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String text = Files.readString(md);
        assertTrue(text.contains("| none (PNG) | 1 | >= 99% | 1/1 (100%) | 1.000 |"), text);
        assertTrue(text.contains("0 detections in 3 unmarked crops"), text);
        assertEquals(ExitCodes.BAD_INPUT, run("robustness", "--images", dir.resolve("missing").toString()).code());
    }
    @Test
    void labelPrintsOneJsonLinePerRunWithTheStagesAndTheCodecFloor() throws Exception {
        Path photo = Fixtures.path("photos/02-sky-kite.jpg");
        BenchRun r = run("label", photo.toString(), "--visible", "--watermark", "--sign", "--runs", "2", "--warmup", "1");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        for (int i = 0; i < 2; i++) {
            var run = json.readTree(lines[i]);
            assertEquals(i, run.get("run").asInt());
            for (String stage : new String[] {"decode", "watermark", "visible", "encode", "sign", "metadata", "total"}) {
                assertTrue(run.get(stage).asDouble() > 0, stage + " in " + lines[i]);
            }
            assertTrue(run.get("floor").asDouble() > 0 && run.get("floorDecode").asDouble() > 0, lines[i]);
            // the checks before drawing, each timed within its stage
            for (String stage : new String[] {"watermark", "visible"}) {
                double check = run.get(stage + "_check").asDouble();
                assertTrue(check > 0 && check < run.get(stage).asDouble(), stage + "_check in " + lines[i]);
            }
        }
        var summary = json.readTree(lines[2]);
        assertTrue(summary.get("summary").asBoolean());
        assertTrue(summary.get("warmMedian").get("totalOverFloor").asDouble() > 0, lines[2]);
        // metadata only: no pixel stage, and the copy of the bytes as the floor
        var meta = json.readTree(run("label", photo.toString(), "--runs", "1").out().strip().split("\n")[0]);
        assertEquals(0.0, meta.get("decode").asDouble());
        assertTrue(meta.get("metadata").asDouble() > 0 && meta.has("copy"), meta.toString());
        assertEquals(ExitCodes.USAGE, run("label", photo.toString(), "--clock", "sundial").code());
        // --warm-up: Labeler.warmUp() before the first call, its time in the summary
        String[] warmed = run("label", photo.toString(), "--runs", "1", "--warm-up").out().strip().split("\n");
        assertTrue(json.readTree(warmed[warmed.length - 1]).get("warmUpMs").asDouble() > 0, warmed[warmed.length - 1]);
    }

    @Test
    void labelTakesSeveralFilesAndTimesTheMetadataCallAgainstCopies() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String[] files = {Fixtures.path("photos/02-sky-kite.jpg").toString(), Fixtures.path("png/rgb.png").toString(),
                Fixtures.path("webp/lossy.webp").toString()};
        // One summary per file, in order, the pixel steps on each format (the PNG and WebP rows next to the JPEG's).
        BenchRun pixels = run("label", files[0], files[1], files[2], "--visible", "--runs", "1", "--warmup", "0");
        assertEquals(ExitCodes.OK, pixels.code(), pixels.err());
        var summaries = java.util.Arrays.stream(pixels.out().strip().split("\n")).map(l -> {
            try {
                return json.readTree(l);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(n -> n.has("summary")).toList();
        assertEquals(3, summaries.size(), pixels.out());
        for (int i = 0; i < 3; i++) {
            assertEquals(files[i], summaries.get(i).get("file").asText());
            var first = summaries.get(i).get("first");
            assertTrue(first.get("decode").asDouble() > 0 && first.get("encode").asDouble() > 0, first.toString());
            assertTrue(first.get("floor").asDouble() > 0, first.toString());
        }
        // Metadata only: the call without stage timings (plain) beside the copy of the bytes, and with --files the
        // file-to-file call beside Files.copy, plain and synced.
        String[] meta = run("label", files[1], "--runs", "2", "--warmup", "1", "--files").out().strip().split("\n");
        assertEquals(3, meta.length, String.join("\n", meta));
        var line = json.readTree(meta[0]);
        for (String k : new String[] {"copy", "plain", "fileLabel", "fileCopy", "fileCopySync"}) {
            assertTrue(line.get(k).asDouble() > 0, k + " in " + meta[0]);
        }
        var med = json.readTree(meta[2]).get("warmMedian");
        for (String k : new String[] {"plainOverCopy", "fileLabelOverFileCopy", "fileLabelOverFileCopySync"}) {
            assertTrue(med.get(k).asDouble() > 0, k + " in " + meta[2]);
        }
    }
}
