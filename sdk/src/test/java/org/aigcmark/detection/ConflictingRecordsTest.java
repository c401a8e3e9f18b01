package org.aigcmark.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Two records that disagree: the verdict follows the documented rule (a record with a valid signature first, else
 * the highest label, 1 > 2 > 3), never the order of the records in the file, and the conflict is a problem.
 */
class ConflictingRecordsTest {
    static final Labeler LABELER = Labeler.create();
    static final List<PublicKey> KEYS = List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub")));
    static final Detector DETECTOR = Detector.create(LABELER, List.of(), KEYS, List.of()).metadataOnly();

    @ParameterizedTest
    @CsvSource({
        "conflict/exif3-then-xmp1.jpg, 3, 1",
        "conflict/xmp1-then-exif3.jpg, 1, 3",
        "conflict/text3-then-itxt1.png, 3, 1",
        "conflict/itxt1-then-text3.png, 1, 3",
    })
    void theHighestLabelWinsWhateverTheFileOrder(String fixture, String first, String second) {
        // exiftool lists every tag in file order: the fixture really holds the records in the order its name says.
        String exif = TestSupport.run("exiftool", "-config", Fixtures.root().resolve("tools/tc260.exiftool.config").toString(),
                "-a", "-G1", "-s", Fixtures.path(fixture).toString());
        int p1 = exif.indexOf("\"Label\":\"" + first + "\"");
        int p2 = exif.indexOf("\"Label\":\"" + second + "\"");
        assertTrue(p1 >= 0 && p2 > p1, exif);

        DetectionReport r = DETECTOR.detect(Fixtures.path(fixture), false);
        assertEquals(List.of(first, second), r.metadata().labels().stream().map(l -> l.label().label()).toList(),
                "our reader keeps the file order");
        assertEquals("1", r.verdict().labelCode(), r.verdict().reason());
        assertEquals("metadata", r.verdict().rule().id());
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("conflicting AIGC records")
                && p.contains("Label 1") && p.contains("Label 3")), r.problems().toString());
        assertTrue(org.aigcmark.report.ReportJson.toText(r).contains("problem: conflicting AIGC records"));
        assertTrue(org.aigcmark.report.ReportJson.toNode(r).get("problems").toString().contains("conflicting AIGC records"));
    }

    @ParameterizedTest
    @CsvSource({"conflict/exif3-then-xmp1.jpg", "conflict/xmp1-then-exif3.jpg", "conflict/text3-then-itxt1.png",
        "conflict/itxt1-then-text3.png"})
    void propagateKeepsTheHighestRecordWhateverTheFileOrder(String fixture) {
        var r = LABELER.propagate(Fixtures.bytes(fixture), org.aigcmark.PropagateRequest.of("00119144030008867405X210002", "p-1"));
        assertEquals("1", r.label().label(), r.notes().toString());
        assertEquals("doubao-20250901-0001", r.label().produceId());
        assertEquals(1, LABELER.inspect(r.bytes(), "out", KEYS).labels().size());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("disagreeing")), r.notes().toString());
    }

    @Test
    void aRecordWithAValidSignatureOutranksAHigherUnsignedOne() {
        String producer = "001191110102MACQD9K64010000";
        AigcLabel three = new AigcLabel("3", producer, "gen-7", "", "001191330106MA2CFLDG4R20001", "plat-7", "");
        byte[] signed = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), new LabelRequest(three, null, null, null)
                .withSigningKey(LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key")))).bytes();
        // An unsigned Label 1 record in a COM segment right after SOI, i.e. before the signed XMP record.
        byte[] blob = ("AIGC" + AigcLabel.produced(producer, "gen-7").toBareJson()).getBytes(StandardCharsets.US_ASCII);
        byte[] com = TestSupport.concat(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) ((blob.length + 2) >> 8), (byte) (blob.length + 2)}, blob);
        byte[] both = TestSupport.concat(java.util.Arrays.copyOf(signed, 2), com, java.util.Arrays.copyOfRange(signed, 2, signed.length));

        DetectionReport r = DETECTOR.detect(both, "both.jpg", false);
        assertEquals(2, r.metadata().labels().size());
        assertEquals(LabelSignatures.Status.VALID, r.metadata().labels().stream()
                .filter(l -> l.label().label().equals("3")).findFirst().orElseThrow().signature());
        assertEquals("3", r.verdict().labelCode(), r.verdict().reason());
        assertTrue(r.verdict().reason().contains("valid signature"), r.verdict().reason());
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("conflicting AIGC records")), r.problems().toString());

        // Without the public key nothing is verified: the highest label decides.
        DetectionReport unverified = Detector.create(LABELER, List.of(), List.of(), List.of()).metadataOnly()
                .detect(both, "both.jpg", false);
        assertEquals("1", unverified.verdict().labelCode(), unverified.verdict().reason());
    }
}
