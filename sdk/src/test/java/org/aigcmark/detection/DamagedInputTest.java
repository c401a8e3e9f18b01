package org.aigcmark.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A damaged file is still searched as far as it decodes, and one whose pixels do not decode is reported as not
 * fully checked, never as a clean "no label"; a signature whose content cannot be hashed is unverified, not invalid.
 */
class DamagedInputTest {
    static final Labeler LABELER = Labeler.create();
    static final WatermarkKey KEY = WatermarkKey.read(Fixtures.path("keys/test-watermark.key"));
    static final Detector DETECTOR = Detector.create(LABELER, List.of(KEY), List.of(), List.of());

    /** The labelled photo without its metadata (exiftool, as a re-upload would) and without the JPEG EOI marker. */
    @Test
    void aWatermarkInATruncatedJpegStillGivesLabelOneWithTheDamageAsAProblem() throws Exception {
        byte[] labelled = LABELER.label(Fixtures.bytes(DetectorTest.firstPhoto()),
                LabelRequest.produced("001191110102MACQD9K64010000", "wm-42").withWatermark(KEY)).bytes();
        var f = TestSupport.temp("labelled.jpg", labelled);
        var stripped = f.resolveSibling("stripped.jpg");
        TestSupport.run("exiftool", "-all=", "-o", stripped.toString(), f.toString());
        byte[] s = Files.readAllBytes(stripped);
        byte[] noEoi = Arrays.copyOf(s, s.length - 2);
        DetectionReport r = DETECTOR.detect(noEoi, "no-eoi.jpg", false);
        assertTrue(r.metadata().damaged(), r.metadata().problems().toString());
        assertEquals(0, r.metadata().labels().size(), "the record is gone: only the watermark can tell");
        assertTrue(r.watermark().orElseThrow().detected(), r.problems().toString());
        assertEquals("1", r.verdict().labelCode(), r.verdict().reason());
        assertEquals("watermark", r.verdict().rule().id());
        assertFalse(r.problems().isEmpty());
        assertFalse(ReportJson.toText(r).contains("no --key"), ReportJson.toText(r));
    }

    @Test
    void aTruncatedJpegFixtureIsDecodedAsFarAsItGoes() {
        DetectionReport r = DETECTOR.detect(Fixtures.path("bad/truncated-mid-scan.jpg"), false);
        assertTrue(r.metadata().damaged());
        assertTrue(r.watermark().isPresent(), r.problems().toString());
        assertFalse(r.watermark().get().detected());
        assertEquals("none", r.verdict().rule().id(), r.verdict().reason());
        assertTrue(r.verdict().reason().contains("damaged"), r.verdict().reason());
    }

    /** A PNG cut inside its image data: the pixels do not decode, so the file was not fully checked. */
    @Test
    void undecodablePixelsAreNotCheckedNeverACleanNoLabel() throws Exception {
        DetectionReport r = DETECTOR.detect(Fixtures.path("bad/truncated-mid-idat.png"), false);
        assertTrue(r.metadata().damaged());
        assertTrue(r.watermark().isEmpty());
        assertNull(r.verdict().labelCode());
        assertEquals("unchecked", r.verdict().rule().id(), r.verdict().reason());
        assertTrue(r.verdict().reason().contains("not fully checked"), r.verdict().reason());
        String text = ReportJson.toText(r);
        assertTrue(text.contains("aigcmark watermark: not checked: the pixels could not be decoded"), text);
        assertFalse(text.contains("no --key"), text);
        assertTrue(text.contains("verdict: not fully checked"), text);
        var json = ReportJson.toNode(r);
        assertEquals("not checked: the pixels could not be decoded", json.path("watermark").path("note").asText());
        assertEquals("unchecked", json.path("verdict").path("rule").asText());
    }

    /** Every damaged fixture is either searched (the watermark result is present) or reported as unchecked. */
    @ParameterizedTest
    @ValueSource(strings = {"bad/bad-crc.png", "bad/truncated-mid-idat.png", "bad/truncated-mid-scan.jpg", "bad/riff-size-lies.webp"})
    void damagedFilesAreSearchedOrSaidUnchecked(String fixture) {
        DetectionReport r = DETECTOR.detect(Fixtures.path(fixture), false);
        assertTrue(r.metadata().damaged(), fixture);
        assertEquals(r.watermark().isEmpty(), r.verdict().rule().id().equals("unchecked"), fixture + ": " + r.problems());
    }

    /** Signed, then the EOI marker lost: the content cannot be hashed, which is not proof of tampering. */
    @Test
    void aSignedFileWhoseContentCannotBeHashedIsUnverifiedNotInvalid() {
        var signing = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        var pub = LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
        byte[] signed = LABELER.label(Fixtures.bytes(DetectorTest.firstPhoto()),
                LabelRequest.produced("001191110102MACQD9K64010000", "sig-1").withSigningKey(signing)).bytes();
        InspectReport intact = LABELER.inspect(signed, "signed.jpg", List.of(pub));
        assertEquals(LabelSignatures.Status.VALID, intact.labels().get(0).signature());

        byte[] cut = Arrays.copyOf(signed, signed.length - 2);
        InspectReport r = LABELER.inspect(cut, "cut.jpg", List.of(pub));
        InspectReport.FoundLabel f = r.labels().get(0);
        assertEquals(LabelSignatures.Status.UNVERIFIED, f.signature());
        assertTrue(f.signatures().stream().anyMatch(c -> c.detail().contains("content unreadable")), f.signatures().toString());
        String inspectText = ReportJson.toText(r);
        assertFalse(inspectText.contains("invalid"), inspectText);

        Detector d = Detector.create(LABELER, List.of(KEY), List.of(pub), List.of());
        DetectionReport dr = d.detect(cut, "cut.jpg", false);
        assertEquals("1", dr.verdict().labelCode());
        assertFalse(dr.verdict().reason().contains("invalid"), dr.verdict().reason());
        assertTrue(dr.evidence().stream().noneMatch(e -> e.summary().contains("INVALID")), dr.evidence().toString());
        assertTrue(dr.evidence().stream().anyMatch(e -> e.summary().contains("content unreadable")), dr.evidence().toString());
    }
}
