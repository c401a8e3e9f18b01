package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.MediaType;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SDK caller (or the service) labels a video's pixels through {@link Labeler} alone: the video module's
 * {@link VideoMediaLabeler} is found through ServiceLoader, as the sdk's message promises.
 */
class VideoThroughLabelerTest {
    static final String CODE = "001191110102MACQD9K64010000";
    static final Path CLIP = Fixtures.path("video/sample-360p-2s5.mp4");

    @TempDir
    Path tmp;

    @Test
    void aVisibleLabelOnAVideoFileGoesThroughTheLabeler() {
        Tools.require("ffprobe");
        Path out = tmp.resolve("out.mp4");
        LabelResult r = Labeler.create().label(CLIP, out, LabelRequest.produced(CODE, "through-1")
                .withVisible(VisibleLabelOptions.defaults()));
        assertTrue(r.pixelsChanged(), r.notes().toString());
        assertTrue(r.visible().isPresent());
        assertEquals(MediaType.MP4, r.format());
        assertEquals(0, r.bytes().length, "written to disk, not returned");
        InspectReport i = Labeler.create().inspect(out, List.of());
        assertEquals(1, i.labels().size(), i.labels().toString());
        assertEquals("through-1", i.labels().get(0).label().produceId());
        // an independent reader sees a whole video stream and the record
        assertEquals(Tools.ffprobe(CLIP, "stream=nb_frames").lines().findFirst().orElse("?"),
                Tools.ffprobe(out, "stream=nb_frames").lines().findFirst().orElse("!"));
        assertTrue(Tools.ffprobe(out, "format_tags=AIGC").contains("through-1"));
    }

    @Test
    void aWatermarkOnVideoBytesComesBackAsBytesAndIsFoundInTheFrames() throws Exception {
        WatermarkKey key = WatermarkKey.fromPassphrase("video through labeler");
        LabelResult r = Labeler.create().label(Files.readAllBytes(CLIP), "clip.mp4",
                LabelRequest.produced(CODE, "through-2").withWatermark(key));
        assertTrue(r.pixelsChanged());
        assertTrue(r.watermarkPayload().isPresent());
        assertTrue(r.bytes().length > 10_000, "the labelled video comes back in memory");
        try (Detector d = Detector.create(Labeler.create(), List.of(key), List.of(), List.of())) {
            var report = d.detect(r.bytes(), "labelled.mp4", false);
            assertTrue(report.media().isPresent(), "the frames were checked");
            assertTrue(report.media().get().watermark().detected(), report.media().get().watermark().toString());
            assertEquals(java.util.Optional.of(true), report.watermarkMatchesLabel());
        }
    }
}
