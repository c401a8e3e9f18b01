package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A video whose start already shows our label gets no second one unless asked (as for images). */
class RelabelVideoTest {
    static final String PRODUCER = "00119144030008867405X210002";

    @TempDir
    Path dir;

    @Test
    void aSecondStartLabelIsRefusedEvenWithTheMetadataStripped() {
        Path source = Fixtures.path("video/sample-360p-2s5.mp4");
        assertTrue(VideoDetector.visibleLabelAtStart(source, VisibleLabelOptions.defaults(), 2.0).isEmpty(),
                "the unlabelled footage shows no label of ours");
        Path once = dir.resolve("once.mp4");
        LabelRequest visible = LabelRequest.produced(PRODUCER, "v-1").withVisible(VisibleLabelOptions.defaults());
        VideoLabeler.create().label(source, once, visible, VideoOptions.defaults().withVisibleSeconds(2.0));

        var e = assertThrows(AigcmarkException.class, () -> VideoLabeler.create().label(once, dir.resolve("twice.mp4"),
                LabelRequest.produced(PRODUCER, "v-2").withVisible(VisibleLabelOptions.defaults()), VideoOptions.defaults()));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("already shows a visible label") && e.getMessage().contains("--visible-again"),
                e.getMessage());

        // ffmpeg drops every metadata item (the AIGC record included) and copies the streams: the pixels still tell.
        boolean ffmpeg = Tools.available("ffmpeg");
        assertTrue(ffmpeg || System.getenv("CI") == null, "ffmpeg is required in CI (.ci/run installs it)");
        assumeTrue(ffmpeg, "ffmpeg CLI needed");
        Path stripped = dir.resolve("stripped.mp4");
        Tools.ffmpeg("-i", once.toString(), "-map_metadata", "-1", "-c", "copy", stripped.toString());
        assertTrue(org.aigcmark.Labeler.create().inspect(stripped, java.util.List.of()).labels().isEmpty());
        assertThrows(AigcmarkException.class, () -> VideoLabeler.create().label(stripped, dir.resolve("again.mp4"),
                LabelRequest.produced(PRODUCER, "v-3").withVisible(VisibleLabelOptions.defaults()), VideoOptions.defaults()));

        VideoLabelResult forced = VideoLabeler.create().label(once, dir.resolve("forced.mp4"),
                LabelRequest.produced(PRODUCER, "v-4").withVisible(VisibleLabelOptions.defaults()).withVisibleAgain(),
                VideoOptions.defaults());
        assertEquals("v-4", forced.label().produceId());
    }

    @Test
    void anExistingWatermarkIsKeptAndNamed() {
        org.aigcmark.key.WatermarkKey key = org.aigcmark.key.WatermarkKey.fromPassphrase("relabel-video-key");
        Path once = dir.resolve("wm-once.mp4");
        VideoLabelResult first = VideoLabeler.create().label(Fixtures.path("video/sample-360p-2s5.mp4"), once,
                LabelRequest.produced(PRODUCER, "w-1").withWatermark(key), VideoOptions.defaults());
        String payload = first.watermarkPayload().orElseThrow();
        VideoLabelResult again = VideoLabeler.create().label(once, dir.resolve("wm-again.mp4"),
                LabelRequest.produced(PRODUCER, "w-2").withWatermark(key), VideoOptions.defaults());
        assertEquals(java.util.Optional.of(payload), again.watermarkPayload());
        assertTrue(again.notes().stream().anyMatch(n -> n.contains(payload) && n.contains("not re-encoded")), again.notes().toString());
        var d = VideoDetector.create(java.util.List.of(key)).detect(dir.resolve("wm-again.mp4"));
        assertEquals(java.util.Optional.of(payload), d.watermark().orElseThrow().payloadHex());
        assertEquals("w-2", org.aigcmark.Labeler.create().inspect(dir.resolve("wm-again.mp4"), java.util.List.of())
                .labels().get(0).label().produceId(), "the record is replaced");
        // With the mark kept and nothing to draw, a re-encode would only cost a generation of quality: the frames
        // are copied as they were (every video packet identical, by ffprobe).
        assertTrue(!again.reencoded(), "no re-encode");
        Tools.require("ffprobe");
        assertEquals(videoPacketHashes(once), videoPacketHashes(dir.resolve("wm-again.mp4")));
    }

    private static java.util.List<String> videoPacketHashes(Path f) {
        String out = Tools.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_packets", "-show_data_hash", "md5",
                "-show_entries", "packet=data_hash", "-of", "csv=p=0", f.toString());
        java.util.List<String> hashes = java.util.Arrays.stream(out.split("\n")).filter(l -> l.contains("MD5:")).toList();
        assertTrue(hashes.size() > 10, out);
        return hashes;
    }

    /**
     * Labelling decodes the video once: the checks for a label or mark already there watch the pass's own frames
     * (before, a separate decode of the start ran for each, costing more than re-encoding those frames).
     */
    @Test
    void labellingDecodesEachFrameOnce() {
        long before = VideoInput.DECODED.sum();
        VideoLabelResult r = VideoLabeler.create().label(Fixtures.path("video/sample-360p-2s5.mp4"), dir.resolve("once.mp4"),
                LabelRequest.produced(PRODUCER, "d-1").withVisible(VisibleLabelOptions.defaults())
                        .withWatermark(org.aigcmark.key.WatermarkKey.fromPassphrase("decode-once")), VideoOptions.defaults());
        assertTrue(r.frames() > 50, "frames: " + r.frames());
        assertEquals(r.frames(), VideoInput.DECODED.sum() - before);
    }

    /**
     * A mark of ours found while the pass runs, with a visible label asked for: the pass starts over without a
     * second embed (it would erase the first), draws the label, and the first mark survives.
     */
    @Test
    void anExistingWatermarkIsKeptUnderANewVisibleLabel() {
        org.aigcmark.key.WatermarkKey key = org.aigcmark.key.WatermarkKey.fromPassphrase("relabel-video-key-2");
        Path once = dir.resolve("wm-once.mp4");
        String payload = VideoLabeler.create().label(Fixtures.path("video/sample-360p-2s5.mp4"), once,
                LabelRequest.produced(PRODUCER, "k-1").withWatermark(key), VideoOptions.defaults()).watermarkPayload().orElseThrow();
        Path again = dir.resolve("wm-visible.mp4");
        VideoLabelResult r = VideoLabeler.create().label(once, again, LabelRequest.produced("001191110102MACQD9K64010000", "k-2")
                .withVisible(VisibleLabelOptions.defaults()).withWatermark(key), VideoOptions.defaults().withVisibleSeconds(2.0));
        assertEquals(java.util.Optional.of(payload), r.watermarkPayload());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains(payload) && n.contains("no second mark")), r.notes().toString());
        assertTrue(VideoDetector.visibleLabelAtStart(again, VisibleLabelOptions.defaults(), 2.0).isPresent(), "label drawn");
        var d = VideoDetector.create(java.util.List.of(key)).detect(again);
        assertEquals(java.util.Optional.of(payload), d.watermark().orElseThrow().payloadHex());
    }

    /** Another producer's signed record is not replaced by a re-encoding label either (Measures Art. 10). */
    @Test
    void anotherProducersSignedRecordIsRefusedBeforeEncoding() {
        var ed = org.aigcmark.label.LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        Path signed = dir.resolve("signed.mp4");
        org.aigcmark.Labeler.create().label(Fixtures.path("video/sample-360p-2s5.mp4"), signed,
                LabelRequest.produced(PRODUCER, "s-1").withSigningKey(ed));
        LabelRequest other = LabelRequest.produced("001191110102MACQD9K64010000", "o-1")
                .withVisible(VisibleLabelOptions.defaults());
        for (org.junit.jupiter.api.function.Executable call : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                () -> org.aigcmark.Labeler.create().label(signed, dir.resolve("o1.mp4"), other),
                () -> VideoLabeler.create().label(signed, dir.resolve("o2.mp4"), other, VideoOptions.defaults()))) {
            var e = assertThrows(AigcmarkException.class, call);
            assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
            assertTrue(e.getMessage().contains("signed by its producer"), e.getMessage());
        }
    }
}
