package org.aigcmark.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The platform verdict on a mixed set: the deterministic cases are always right; plain photos never get Label 1. */
class DetectorTest {
    static final Labeler LABELER = Labeler.create();
    static final WatermarkKey KEY = WatermarkKey.read(Fixtures.path("keys/test-watermark.key"));
    static final Detector DETECTOR = Detector.create(LABELER, List.of(KEY), List.of(), List.of());

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "labeled/xmp-element.jpg, 1, metadata",
        "labeled/exif-usercomment-wrapped.jpg, 1, metadata",
        "labeled/text-aigc-wrapped.png, 1, metadata",
        "labeled/xmp-element.webp, 1, metadata",
        "labeled/iptc-trained-algorithmic.jpg, 3, traces",
        "labeled/a1111-parameters.png, 3, traces",
        "labeled/comfyui-prompt-workflow.png, 3, traces",
        "labeled/c2pa-app11-jumbf.jpg, 3, traces",
        "labeled/c2pa-cabx.png, 3, traces",
        "jpeg/plain.jpg, NULL, none",
        "png/rgb.png, NULL, none",
        "webp/lossy.webp, NULL, none",
    })
    void verdicts(String fixture, String label, String rule) {
        DetectionReport r = DETECTOR.detect(Fixtures.path(fixture), false);
        assertEquals(label, r.verdict().labelCode(), r.verdict().reason());
        assertEquals(rule, r.verdict().rule().id());
    }

    @Test
    void userDeclaredGivesTwoOnlyWhenNothingStronger() {
        assertEquals("2", DETECTOR.detect(Fixtures.path("jpeg/plain.jpg"), true).verdict().labelCode());
        assertEquals("1", DETECTOR.detect(Fixtures.path("labeled/xmp-element.jpg"), true).verdict().labelCode());
    }

    @Test
    void plainPhotosNeverGetLabelOne() {
        for (var p : Fixtures.list("photos").subList(0, 6)) {
            DetectionReport r = DETECTOR.detect(p, false);
            assertNull(r.verdict().labelCode(), p + ": " + r.verdict().reason());
            assertFalse(r.watermark().orElseThrow().detected());
        }
    }

    @Test
    void watermarkSurvivesMetadataStrippingAndPointsBackToTheLabel() throws Exception {
        byte[] labelled = LABELER.label(Fixtures.bytes(firstPhoto()),
                LabelRequest.produced("001191110102MACQD9K64010000", "wm-42").withWatermark(KEY)).bytes();
        DetectionReport withLabel = DETECTOR.detect(labelled, "labelled", false);
        assertTrue(withLabel.watermark().orElseThrow().detected());
        assertEquals(Boolean.TRUE, withLabel.watermarkMatchesLabel().orElseThrow());
        // Strip every piece of metadata with an independent tool, as a re-upload would.
        var f = TestSupport.temp("labelled.jpg", labelled);
        var stripped = f.resolveSibling("stripped.jpg");
        TestSupport.run("exiftool", "-all=", "-o", stripped.toString(), f.toString());
        DetectionReport r = DETECTOR.detect(stripped, false);
        assertEquals(0, r.metadata().labels().size());
        assertEquals("1", r.verdict().labelCode());
        assertEquals("watermark", r.verdict().rule().id());
        // A detector with another key sees nothing.
        Detector other = Detector.create(LABELER, List.of(WatermarkKey.fromPassphrase("someone else")), List.of(), List.of());
        assertNull(other.detect(stripped, false).verdict().labelCode());
    }

    static String firstPhoto() {
        return "photos/" + Fixtures.list("photos").get(0).getFileName();
    }

    @Test
    void timingsRecordTheStagesThatRanWithoutChangingTheReport() {
        DetectionTimings t = new DetectionTimings();
        java.nio.file.Path photo = Fixtures.path("photos/01-sky-bridge-cables.jpg");
        DetectionReport timed = DETECTOR.withTimings(t).detect(photo, false);
        assertEquals(DETECTOR.detect(photo, false).verdict(), timed.verdict());
        assertEquals(1, t.files());
        for (DetectionTimings.Stage s : List.of(DetectionTimings.Stage.READ, DetectionTimings.Stage.DECODE,
                DetectionTimings.Stage.WATERMARK, DetectionTimings.Stage.SDXL)) {
            assertTrue(t.nanos(s) > 0, s.name());
        }
        assertEquals(0, t.nanos(DetectionTimings.Stage.CONSUMER), "no pixel consumer was given");
        t.reset();
        DETECTOR.metadataOnly().withTimings(t).detect(photo, false);
        assertEquals(1, t.files());
        assertEquals(0, t.nanos(DetectionTimings.Stage.DECODE), "metadata only decodes nothing");
        assertEquals(0, t.nanos(DetectionTimings.Stage.SDXL));
    }
}
