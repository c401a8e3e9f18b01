package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelFinder;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Labelling a labelled file: the record is replaced (one record), a second visible label is refused unless asked
 * for, and an existing watermark is kept and named instead of being overwritten by a second one.
 */
class RelabelTest {
    static final Labeler LABELER = Labeler.create();
    static final String PRODUCER = "001191110102MACQD9K64010000";
    static final WatermarkKey KEY = WatermarkKey.read(Fixtures.path("keys/test-watermark.key"));

    @Test
    void relabellingReplacesTheRecord() {
        byte[] first = LABELER.label(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"), LabelRequest.produced(PRODUCER, "first")).bytes();
        byte[] second = LABELER.label(first, LabelRequest.produced(PRODUCER, "second")).bytes();
        InspectReport r = LABELER.inspect(second, "x", List.of());
        assertEquals(1, r.labels().size());
        assertEquals("second", r.labels().get(0).label().produceId());
        String exif = TestSupport.run("exiftool", "-config", Fixtures.root().resolve("tools/tc260.exiftool.config").toString(),
                "-a", "-s", "-XMP-TC260:AIGC", TestSupport.temp("second.jpg", second).toString());
        assertEquals(1, exif.lines().count(), exif);
        assertTrue(exif.contains("\"ProduceID\":\"second\""), exif);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg/plain.jpg", "jpeg/orientation6.jpg", "png/rgb.png", "webp/lossy.webp"})
    void aSecondVisibleLabelIsRefusedUnlessAsked(String fixture) {
        LabelRequest visible = LabelRequest.produced(PRODUCER, "v-1").withVisible(VisibleLabelOptions.defaults());
        byte[] once = LABELER.label(Fixtures.bytes(fixture), fixture, visible).bytes();
        var e = assertThrows(AigcmarkException.class, () -> LABELER.label(once, fixture, visible));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("already shows a visible label") && e.getMessage().contains("--visible-again"),
                e.getMessage());
        // Another text or position asked for the second time: still our label on the image.
        var other = LabelRequest.produced(PRODUCER, "v-2").withVisible(new VisibleLabelOptions("人工智能生成",
                VisibleLabelOptions.Position.TOP_LEFT, 0.08));
        assertThrows(AigcmarkException.class, () -> LABELER.label(once, fixture, other));
        // And the other way round: a first label in another text at 10 %, a default one asked for now.
        byte[] big = LABELER.label(Fixtures.bytes(fixture), fixture, LabelRequest.produced(PRODUCER, "v-5").withVisible(
                new VisibleLabelOptions("人工智能生成", VisibleLabelOptions.Position.BOTTOM, 0.10))).bytes();
        assertThrows(AigcmarkException.class, () -> LABELER.label(big, fixture, visible));
        // Without --visible the record is replaced, the pixels untouched.
        LabelResult metaOnly = LABELER.label(once, fixture, LabelRequest.produced(PRODUCER, "v-3"));
        assertFalse(metaOnly.pixelsChanged());
        assertTrue(LABELER.label(once, fixture, visible.withVisibleAgain()).visible().isPresent());
    }

    @Test
    void strippedMetadataDoesNotHideTheLabel() throws Exception {
        byte[] once = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), LabelRequest.produced(PRODUCER, "s-1")
                .withVisible(VisibleLabelOptions.defaults())).bytes();
        Path in = TestSupport.temp("visible.jpg", once);
        Path stripped = in.resolveSibling("stripped.jpg");
        // ImageMagick drops every metadata segment and re-encodes the pixels at quality 85.
        TestSupport.run("convert", in.toString(), "-strip", "-quality", "85", stripped.toString());
        byte[] s = Files.readAllBytes(stripped);
        assertTrue(LABELER.inspect(s, "stripped", List.of()).labels().isEmpty(), "the record is gone");
        var e = assertThrows(AigcmarkException.class, () -> LABELER.label(s, "stripped.jpg",
                LabelRequest.produced(PRODUCER, "s-2").withVisible(VisibleLabelOptions.defaults())));
        assertTrue(e.getMessage().contains("already shows a visible label"), e.getMessage());
    }

    @Test
    void noPhotoAndNoOtherToolsLabelIsTakenForOurs() throws Exception {
        List<Path> files = new java.util.ArrayList<>(Fixtures.list("photos"));
        files.addAll(Fixtures.list("visible").stream().filter(p -> p.toString().endsWith(".jpg")).toList());
        List<VisibleLabelOptions> templates = VisibleLabelFinder.templatesFor(VisibleLabelOptions.defaults()
                .withText("人工智能生成"));
        int checked = 0;
        for (Path f : files) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(f)));
            Optional<VisibleLabelFinder.Found> found = VisibleLabelFinder.find(img, 1, templates);
            assertTrue(found.isEmpty(), f + ": " + found);
            checked++;
        }
        assertTrue(checked >= 40, "checked " + checked);
    }

    /** Why the SDK never embeds a second mark: under one key the second payload replaces the first in the reading. */
    @Test
    void aSecondEmbedUnderTheSameKeyErasesTheFirstPayload() throws Exception {
        var w = org.aigcmark.watermark.ImageWatermarker.create(KEY);
        BufferedImage img = ImageIO.read(Fixtures.path("jpeg/plain.jpg").toFile());
        var first = org.aigcmark.watermark.WatermarkPayload.fromLabel(KEY, PRODUCER, "first");
        var second = org.aigcmark.watermark.WatermarkPayload.fromLabel(KEY, PRODUCER, "second");
        w.embed(img, first);
        assertEquals(Optional.of(first), w.detect(img).payload());
        w.embed(img, second);
        assertEquals(Optional.of(second), w.detect(img).payload(), "the earlier payload is no longer what a detector reads");
    }

    @Test
    void anExistingWatermarkIsKeptAndNamed() {
        LabelRequest first = LabelRequest.produced(PRODUCER, "w-1").withWatermark(KEY);
        LabelResult once = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), first);
        String payload = once.watermarkPayload().orElseThrow();
        assertTrue(once.existingWatermark().isEmpty());

        LabelResult again = LABELER.label(once.bytes(), LabelRequest.produced(PRODUCER, "w-2").withWatermark(KEY));
        assertEquals(Optional.of(payload), again.existingWatermark());
        assertEquals(Optional.of(payload), again.watermarkPayload());
        assertFalse(again.pixelsChanged(), "no second mark, no re-encoding");
        assertTrue(again.notes().stream().anyMatch(n -> n.contains(payload) && n.contains("no second mark")), again.notes().toString());
        assertEquals("w-2", LABELER.inspect(again.bytes(), "x", List.of()).labels().get(0).label().produceId());
        var d = Detector.create(LABELER, List.of(KEY), List.of(), List.of()).detect(again.bytes(), "x", false);
        assertEquals(payload, d.watermark().orElseThrow().payload().orElseThrow().hex());
    }
}
