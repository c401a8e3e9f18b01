package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A platform's record for content without a producer record (Label 2 declared, 3 suspected): no IPTC "made by AI"
 * claim is added, and the record with empty producer fields is valid (GB 45438 §6.1: the platform adds its
 * propagation elements; there is no producer to name).
 */
class PlatformRecordTest {
    static final Labeler LABELER = Labeler.create();
    static final String PLATFORM = "00119144030008867405X210002";

    @ParameterizedTest
    @CsvSource({"png/rgb.png, 3", "jpeg/plain.jpg, 3", "webp/lossy.webp, 3", "png/rgb.png, 2", "jpeg/plain.jpg, 2"})
    void aDeclaredOrSuspectedRecordAddsNoIptcMadeByAi(String fixture, String label) {
        byte[] out = LABELER.propagate(Fixtures.bytes(fixture), PropagateRequest.of(PLATFORM, "p-" + label).withLabel(label)).bytes();
        InspectReport r = LABELER.inspect(out, "out", List.of());
        assertEquals(label, r.labels().get(0).label().label());
        assertTrue(r.hints().stream().noneMatch(h -> h.kind().id().equals("iptc-digital-source-type")), r.hints().toString());
        Path f = TestSupport.temp("out-" + fixture.replace('/', '-'), out);
        String exif = TestSupport.run("exiftool", "-s", "-XMP-iptcExt:all", "-XMP:AIGC", f.toString());
        assertFalse(exif.contains("DigitalSourceType"), exif);
        assertTrue(exif.contains("\"Label\":\"" + label + "\""), "exiftool must still read the record: " + exif);
    }

    @Test
    void aProducersRecordStillCarriesTrainedAlgorithmicMedia() {
        byte[] out = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), LabelRequest.produced("001191110102MACQD9K64010000", "g-1")).bytes();
        String exif = TestSupport.run("exiftool", "-s", "-s", "-s", "-XMP-iptcExt:DigitalSourceType",
                TestSupport.temp("produced.jpg", out).toString());
        assertEquals(Xmp.TRAINED_ALGORITHMIC_MEDIA, exif.strip());
    }

    @Test
    void aPropagatedRecordWithEmptyProducerFieldsIsNotReportedAsBroken() {
        byte[] out = LABELER.propagate(Fixtures.bytes("png/rgb.png"), PropagateRequest.of(PLATFORM, "p-3").withLabel("3")).bytes();
        InspectReport r = LABELER.inspect(out, "out", List.of());
        assertEquals(new AigcLabel("3", "", "", "", PLATFORM, "p-3", ""), r.labels().get(0).label());
        assertEquals(List.of(), r.labels().get(0).problems());
        assertEquals(List.of(), r.problems());
        DetectionReport d = Detector.create(LABELER, List.of(), List.of(), List.of()).detect(out, "out", false);
        assertEquals("3", d.verdict().labelCode());
        assertTrue(d.problems().stream().noneMatch(p -> p.contains("required")), d.problems().toString());
    }

    @Test
    void emptyProducerFieldsAreABreakOnlyWhereTheStandardNeedsThem() {
        // Label 1 says a producer made it: the producer must be named.
        assertTrue(new AigcLabel("1", "", "", "", PLATFORM, "p", "").problems().contains("ContentProducer is required"));
        // A 2/3 record without any provider at all names nobody: still broken.
        assertFalse(new AigcLabel("3", "", "", "", "", "", "").problems().isEmpty());
        // The parser reports what AigcLabel reports.
        String bare = new AigcLabel("2", "", "", "", PLATFORM, "p-2", "").toBareJson();
        assertEquals(List.of(), LabelParser.parse(bare).orElseThrow().problems());
    }
}
