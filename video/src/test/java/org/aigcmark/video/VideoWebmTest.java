package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebM in, WebM out: the 2.5 s 360p cut of real footage, made into WebM by the Debian ffmpeg CLI (VP9 + Opus and
 * VP8 + Vorbis), labelled with pixels, then checked with ffprobe (codecs, per-packet audio MD5s, the AIGC tag) and
 * exiftool (EBML DocType, the Matroska AIGC tag).
 */
class VideoWebmTest {
    static final String PRODUCER = "00119144030008867405X210002";
    static final WatermarkKey KEY = WatermarkKey.fromPassphrase("webm-test-key");
    static final Path SOURCE = Fixtures.path("video/sample-360p-2s5.mp4");

    @TempDir
    static Path dir;
    static Path vp9Opus;
    static Path vp8Vorbis;

    @BeforeAll
    static void makeInputs() {
        Tools.require("ffmpeg");
        Tools.require("ffprobe");
        vp9Opus = dir.resolve("vp9-opus.webm");
        Tools.ffmpeg("-i", SOURCE.toString(), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k",
                "-c:a", "libopus", "-b:a", "64k", vp9Opus.toString());
        vp8Vorbis = dir.resolve("vp8-vorbis.webm");
        Tools.ffmpeg("-i", SOURCE.toString(), "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k",
                "-c:a", "libvorbis", "-q:a", "3", vp8Vorbis.toString());
    }

    static String videoCodec(Path f) {
        return Tools.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                f.toString()).trim();
    }

    static String audioCodec(Path f) {
        return Tools.run("ffprobe", "-v", "error", "-select_streams", "a", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                f.toString()).trim();
    }

    static String docType(Path f) {
        Tools.require("exiftool");
        return Tools.run("exiftool", "-s3", "-Matroska:DocType", f.toString()).trim();
    }

    @Test
    void webmWithPixelsIsWrittenAsWebmWithVp9AndTheOpusPacketsBitExact() {
        Path out = dir.resolve("labelled-vp9.webm");
        VideoLabelResult r = VideoLabeler.create().label(vp9Opus, out, LabelRequest.produced(PRODUCER, "webm-1")
                .withVisible(VisibleLabelOptions.defaults()).withWatermark(KEY), VideoOptions.defaults());
        assertEquals("webm", docType(out));
        assertEquals("vp9", videoCodec(out));
        assertEquals("opus", audioCodec(out));
        List<String> before = Tools.audioPacketHashes(vp9Opus);
        assertTrue(before.size() > 100, "the input has audio");
        assertEquals(before, Tools.audioPacketHashes(out));
        assertEquals(Tools.videoPtsTimes(vp9Opus), Tools.videoPtsTimes(out));
        assertTrue(Tools.ffprobe(out, "format_tags=AIGC").contains("\"ProduceID\":\"webm-1\""));
        String tag = Tools.run("exiftool", "-s3", "-Matroska:Aigc", out.toString());
        assertTrue(tag.contains("\"ContentProducer\":\"" + PRODUCER + "\""), tag);
        assertTrue(r.encoder().startsWith("libvpx-vp9"), r.encoder());
        VideoDetection d = VideoDetector.create(List.of(KEY)).detect(out);
        assertTrue(d.watermark().orElseThrow().detected(), d.toString());
        assertEquals(1, d.visibleLabels().size(), d.toString());
    }

    @Test
    void vorbisAudioIsCopiedBitExactIntoTheWebmOutput() {
        Path out = dir.resolve("labelled-from-vp8.webm");
        VideoLabeler.create().label(vp8Vorbis, out, LabelRequest.produced(PRODUCER, "webm-2").withWatermark(KEY),
                VideoOptions.defaults());
        assertEquals("webm", docType(out));
        assertEquals("vp9", videoCodec(out));
        assertEquals("vorbis", audioCodec(out));
        assertEquals(Tools.audioPacketHashes(vp8Vorbis), Tools.audioPacketHashes(out));
    }

    @Test
    void matroskaStaysMatroskaWithH264() {
        Path mkv = dir.resolve("in.mkv");
        Tools.ffmpeg("-i", SOURCE.toString(), "-c", "copy", mkv.toString());
        Path out = dir.resolve("out.mkv");
        VideoLabeler.create().label(mkv, out, LabelRequest.produced(PRODUCER, "mkv-2").withWatermark(KEY), VideoOptions.defaults());
        assertEquals("matroska", docType(out));
        assertEquals("h264", videoCodec(out));
        assertTrue(Tools.ffprobe(out, "format_tags=AIGC").contains("mkv-2"));
        // Matroska may also hold VP9 when asked; it stays Matroska
        Path vp9 = dir.resolve("out-vp9.mkv");
        VideoLabeler.create().label(mkv, vp9, LabelRequest.produced(PRODUCER, "mkv-3").withWatermark(KEY),
                VideoOptions.defaults().withEncoder(VideoOptions.Encoder.VP9));
        assertEquals("matroska", docType(vp9));
        assertEquals("vp9", videoCodec(vp9));
        assertEquals(Tools.audioPacketHashes(mkv), Tools.audioPacketHashes(vp9));
    }

    @Test
    void anOutputNameForAnotherContainerIsRefusedBeforeAnyWork() throws IOException {
        record Case(Path in, String outName) {}
        Path mkv = dir.resolve("for-names.mkv");
        Tools.ffmpeg("-i", SOURCE.toString(), "-c", "copy", mkv.toString());
        for (Case c : List.of(new Case(vp9Opus, "out.mkv"), new Case(vp9Opus, "out.mp4"), new Case(SOURCE, "out.webm"),
                new Case(SOURCE, "out.mkv"), new Case(mkv, "out.webm"), new Case(mkv, "out.mp4"))) {
            Path outDir = Files.createDirectories(dir.resolve("names-" + c.in().getFileName() + "-" + c.outName()));
            AigcmarkException e = assertThrows(AigcmarkException.class, () -> VideoLabeler.create().label(c.in(),
                    outDir.resolve(c.outName()), LabelRequest.produced(PRODUCER, "n").withWatermark(KEY), VideoOptions.defaults()),
                    c.toString());
            assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason(), c + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("keeps the input's container"), e.getMessage());
            try (var s = Files.list(outDir)) {
                assertEquals(0, s.count(), "nothing written for " + c);
            }
        }
    }
}
