package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.aigcmark.watermark.WatermarkPayload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file pipeline on real footage (sample-720p.mp4, H.264 + AAC), cut to 2.5 s to stay fast. Checked with the
 * independent ffmpeg/ffprobe/exiftool CLIs where they are installed.
 */
class VideoLabelerTest {
    static final String PRODUCER = "00119144030008867405X210002";
    static final WatermarkKey KEY = WatermarkKey.fromPassphrase("video-test-key");

    @TempDir
    static Path dir;
    static Path source720;
    static Path labeled720;
    static VideoLabelResult result720;
    static Path source360 = Fixtures.path("video/sample-360p-2s5.mp4");
    static Path labeled360;
    static VideoLabelResult result360;

    @BeforeAll
    static void labelOnce() {
        Tools.require("ffmpeg", "ffprobe");
        // 2.5 s of the real 720p footage by stream copy (no re-encode: the source's own H.264 + AAC packets)
        source720 = dir.resolve("src720.mp4");
        Tools.ffmpeg("-i", Fixtures.path("video/sample-720p.mp4").toString(), "-t", "2.5", "-c", "copy", source720.toString());
        labeled720 = dir.resolve("labeled720.mp4");
        result720 = VideoLabeler.create().label(source720, labeled720,
                LabelRequest.produced(PRODUCER, "clip-720").withWatermark(KEY), VideoOptions.defaults());
        labeled360 = dir.resolve("labeled360.mp4");
        result360 = VideoLabeler.create().label(source360, labeled360,
                LabelRequest.produced(PRODUCER, "clip-360").withVisible(VisibleLabelOptions.defaults()).withWatermark(KEY),
                VideoOptions.defaults().withVisibleSeconds(2.0));
    }

    @Test
    void containerRecordIsReadableByFfprobeAndExiftool() {
        String tags = Tools.ffprobe(labeled360, "format_tags=AIGC");
        assertTrue(tags.contains("\"ProduceID\":\"clip-360\""), tags);
        assertTrue(tags.contains("\"ContentProducer\":\"" + PRODUCER + "\""), tags);
        Tools.require("exiftool");
        String ex = Tools.run("exiftool", "-s", "-Keys:AIGC", labeled360.toString());
        assertTrue(ex.contains("clip-360"), ex);
    }

    @Test
    void sizeFrameRateAndDurationAreKept() {
        for (Path[] p : new Path[][] {{source360, labeled360}, {source720, labeled720}}) {
            String entries = "stream=width,height,r_frame_rate";
            String before = Tools.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", entries, "-of", "csv=p=0", p[0].toString());
            String after = Tools.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", entries, "-of", "csv=p=0", p[1].toString());
            assertEquals(before, after);
            // every frame keeps its presentation time (so duration and frame rate are the source's)
            assertEquals(Tools.videoPtsTimes(p[0]), Tools.videoPtsTimes(p[1]));
            String codec = Tools.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name", "-of", "csv=p=0", p[1].toString()).trim();
            assertEquals("h264", codec);
        }
        assertEquals(63, result360.frames());
        double d0 = Double.parseDouble(Tools.ffprobe(source360, "format=duration").replace("duration=", "").trim());
        double d1 = Double.parseDouble(Tools.ffprobe(labeled360, "format=duration").replace("duration=", "").trim());
        assertEquals(d0, d1, 0.041, "duration within a frame");
    }

    @Test
    void audioPacketsAreBitExact() {
        List<String> before = Tools.audioPacketHashes(source360);
        List<String> after = Tools.audioPacketHashes(labeled360);
        assertTrue(before.size() > 100, "the fixture has audio");
        assertEquals(before, after);
        assertEquals(before.size(), result360.audioPackets());
        assertEquals(Tools.audioPacketHashes(source720), Tools.audioPacketHashes(labeled720));
    }

    @Test
    void visibleLabelCoversTheFirstTwoSecondsAtLeastFivePercentHigh() {
        VideoDetection d = VideoDetector.create(List.of()).detect(labeled360);
        assertEquals(1, d.visibleLabels().size(), d.toString());
        VideoDetection.VisibleLabelFinding f = d.visibleLabels().get(0);
        assertEquals("bottom_right", f.position());
        assertEquals(0.0, f.firstSeconds(), 1e-9);
        assertTrue(f.lastSeconds() >= 1.5, "seen in the samples up to 1.5 s: " + f);
        assertTrue(f.approxDurationSeconds() >= 2.0 && f.approxDurationSeconds() <= 2.5, "label stops after 2 s: " + f);
        assertTrue(f.heightRatio() >= 0.05, "glyph height >= 5% of the shortest side: " + f);
        assertTrue(result360.visible().orElseThrow().glyphBox().height >= 0.05 * 360);
        // the unlabelled source shows no such label
        assertTrue(VideoDetector.create(List.of()).detect(source360).visibleLabels().isEmpty());
        // nor does the watermark-only output
        assertTrue(VideoDetector.create(List.of()).detect(labeled720).visibleLabels().isEmpty());
    }

    @Test
    void watermarkIsDetectedInEverySegment() {
        String expected = WatermarkPayload.fromLabel(KEY, PRODUCER, "clip-720").hex();
        assertEquals(Optional.of(expected), result720.watermarkPayload());
        VideoDetection.WatermarkFindings w = VideoDetector.create(List.of(KEY)).detect(labeled720).watermark().orElseThrow();
        assertTrue(w.detected(), w.toString());
        assertEquals(Optional.of(expected), w.payloadHex());
        assertEquals(w.segmentsTotal(), w.segmentsDetected(), w.toString());
        assertTrue(w.falsePositiveProbability() < 1e-6, w.toString());
    }

    @Test
    void watermarkSurvivesCrf28ReencodeAndDownscaleTo360p() {
        String expected = WatermarkPayload.fromLabel(KEY, PRODUCER, "clip-720").hex();
        Path crf28 = dir.resolve("crf28.mp4");
        Tools.ffmpeg("-i", labeled720.toString(), "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-c:a", "copy", crf28.toString());
        Path small = dir.resolve("360p.mp4");
        Tools.ffmpeg("-i", labeled720.toString(), "-vf", "scale=-2:360", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-c:a", "copy", small.toString());
        VideoDetector det = VideoDetector.create(List.of(KEY));
        for (Path p : List.of(crf28, small)) {
            VideoDetection.WatermarkFindings w = det.detect(p).watermark().orElseThrow();
            assertTrue(w.detected(), p.getFileName() + ": " + w);
            assertEquals(Optional.of(expected), w.payloadHex());
            assertEquals(w.segmentsTotal(), w.segmentsDetected(), p.getFileName() + ": " + w);
        }
    }

    @Test
    void noWatermarkOnUnmarkedVideoOrWithAnotherKey() {
        VideoDetection.WatermarkFindings w = VideoDetector.create(List.of(KEY)).detect(source720).watermark().orElseThrow();
        assertFalse(w.detected(), w.toString());
        assertEquals(0, w.segmentsDetected());
        VideoDetection.WatermarkFindings other = VideoDetector.create(List.of(WatermarkKey.fromPassphrase("someone else")))
                .detect(labeled720).watermark().orElseThrow();
        assertFalse(other.detected(), other.toString());
    }

    @Test
    void badInputsFailWithTypedErrorsAndWriteNothing() throws IOException {
        Path corruptPackets = dir.resolve("corrupt-packets.mp4");
        byte[] b = Files.readAllBytes(source360);
        java.util.Random rnd = new java.util.Random(7);
        for (int i = b.length / 3; i < b.length / 3 + 20_000; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        Files.write(corruptPackets, b);
        record Case(Path in, AigcmarkException.Reason reason) {}
        List<Case> cases = List.of(
                new Case(Fixtures.path("bad-video/truncated-half.mp4"), AigcmarkException.Reason.CORRUPT_INPUT),
                new Case(Fixtures.path("bad-video/zero-byte.mp4"), AigcmarkException.Reason.CORRUPT_INPUT),
                new Case(Fixtures.path("bad-video/no-moov.mp4"), AigcmarkException.Reason.CORRUPT_INPUT),
                new Case(Fixtures.path("video-labeled/mdir-freeform.m4a"), AigcmarkException.Reason.UNSUPPORTED_FORMAT),
                new Case(corruptPackets, AigcmarkException.Reason.CORRUPT_INPUT));
        for (Case c : cases) {
            Path outDir = Files.createDirectories(dir.resolve("bad-" + c.in().getFileName()));
            Path out = outDir.resolve("out.mp4");
            AigcmarkException e = assertThrows(AigcmarkException.class, () -> VideoLabeler.create().label(c.in(), out,
                    LabelRequest.produced(PRODUCER, "bad").withWatermark(KEY), VideoOptions.defaults()), c.in().toString());
            assertEquals(c.reason(), e.reason(), c.in() + ": " + e.getMessage());
            assertNotEquals("", e.getMessage());
            try (var s = Files.list(outDir)) {
                assertEquals(0, s.count(), "nothing left behind for " + c.in());
            }
        }
    }

    @Test
    void rotationIsKeptAndTheLabelIsDrawnUpright() {
        Path rotated = dir.resolve("rotated.mp4");
        Tools.ffmpeg("-i", source360.toString(), "-c", "copy", "-metadata:s:v", "rotate=90", rotated.toString());
        String rotationBefore = Tools.ffprobe(rotated, "stream_side_data=rotation");
        assertTrue(rotationBefore.contains("rotation="), rotationBefore);
        Path out = dir.resolve("rotated-labeled.mp4");
        VideoLabelResult r = VideoLabeler.create().label(rotated, out,
                LabelRequest.produced(PRODUCER, "rot").withVisible(VisibleLabelOptions.defaults()), VideoOptions.defaults());
        assertEquals(rotationBefore, Tools.ffprobe(out, "stream_side_data=rotation"));
        assertNotEquals(0, r.rotationDegrees());
        // the label is placed for the portrait display: 360 wide, 640 high
        assertEquals(360, r.visible().orElseThrow().displayWidth());
        VideoDetection d = VideoDetector.create(List.of()).detect(out);
        assertEquals("bottom_right", d.visibleLabels().get(0).position());
    }

    @Test
    void matroskaGetsTheSimpleTagAndKeepsAudio() {
        Path mkv = dir.resolve("in.mkv");
        Tools.ffmpeg("-i", source360.toString(), "-c", "copy", mkv.toString());
        Path out = dir.resolve("out.mkv");
        VideoLabelResult r = VideoLabeler.create().label(mkv, out, LabelRequest.produced(PRODUCER, "mkv-1").withWatermark(KEY),
                VideoOptions.defaults());
        assertEquals("matroska", r.format());
        assertTrue(Tools.ffprobe(out, "format_tags=AIGC").contains("mkv-1"));
        assertEquals(Tools.audioPacketHashes(mkv), Tools.audioPacketHashes(out));
        assertTrue(VideoDetector.create(List.of(KEY)).detect(out).watermark().orElseThrow().detected());
    }
}
