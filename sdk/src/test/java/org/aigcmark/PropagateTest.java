package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import java.util.List;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class PropagateTest {
    static final Labeler LABELER = Labeler.create();
    static final String PLATFORM = "00119144030008867405X210002";
    static final LabelKeys.SigningKey ED = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    static final List<PublicKey> KEYS = List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub")));

    /** An SM2 platform signature: the same test in aigcmark-sm2 (Sm2SignaturesTest). */
    @Test
    void keepsTheProducerRecordAndBothSignaturesVerify() {
        byte[] produced = LABELER.label(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"),
                LabelRequest.produced("001191110102MACQD9K64010000", "gen-1").withSigningKey(ED)).bytes();
        byte[] out = LABELER.propagate(produced, PropagateRequest.of(PLATFORM, "plat-42").withSigningKey(ED)).bytes();
        InspectReport r = LABELER.inspect(out, "x", KEYS);
        assertEquals(1, r.labels().size());
        AigcLabel l = r.labels().get(0).label();
        assertEquals("1", l.label());
        assertEquals("001191110102MACQD9K64010000", l.contentProducer());
        assertEquals("gen-1", l.produceId());
        assertEquals(PLATFORM, l.contentPropagator());
        assertEquals("plat-42", l.propagateId());
        assertEquals(LabelSignatures.Status.VALID, r.labels().get(0).signature(), r.labels().get(0).signatures().toString());
        assertTrue(l.reservedCode2().startsWith("AM2.ED25519."));
    }

    @Test
    void aLabelChangedByHandBreaksTheSignature() {
        byte[] produced = LABELER.label(Fixtures.bytes("png/rgb.png"),
                LabelRequest.produced("001191110102MACQD9K64010000", "gen-1").withSigningKey(ED)).bytes();
        AigcLabel signed = LABELER.inspect(produced, "x", KEYS).labels().get(0).label();
        AigcLabel forged = new AigcLabel(signed.label(), signed.contentProducer(), "gen-2", signed.reservedCode1(),
                signed.contentPropagator(), signed.propagateId(), "");
        // Writing the forged record (old signature value) into the same content without a key; over the signed file
        // itself the SDK refuses (SignedRecordRelabelTest), so it goes into the unlabelled original.
        byte[] tampered = LABELER.label(Fixtures.bytes("png/rgb.png"), new LabelRequest(forged, null, null, null)).bytes();
        InspectReport r = LABELER.inspect(tampered, "x", KEYS);
        assertEquals(LabelSignatures.Status.INVALID, r.labels().get(0).signature());
        assertEquals("label fields were changed after signing", r.labels().get(0).signatures().get(0).detail());
    }

    @Test
    void contentChangedAfterSigningIsDetected() {
        byte[] produced = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"),
                LabelRequest.produced("001191110102MACQD9K64010000", "gen-1").withSigningKey(ED)).bytes();
        // Flip one byte inside the entropy-coded data (well inside the scan, before EOI).
        byte[] changed = produced.clone();
        changed[changed.length - 500] ^= 0x01;
        InspectReport r = LABELER.inspect(changed, "x", KEYS);
        assertEquals(LabelSignatures.Status.INVALID, r.labels().get(0).signature());
        assertEquals("label is authentic but the content was changed after signing", r.labels().get(0).signatures().get(0).detail());
    }

    @Test
    void unlabelledContentNeedsADeclaredOrSuspectedLabel() {
        byte[] plain = Fixtures.bytes("png/rgb.png");
        var e = assertThrows(AigcmarkException.class, () -> LABELER.propagate(plain, PropagateRequest.of(PLATFORM, "p")));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertThrows(AigcmarkException.class, () -> LABELER.propagate(plain, PropagateRequest.of(PLATFORM, "p").withLabel("1")));
        byte[] out = LABELER.propagate(plain, PropagateRequest.of(PLATFORM, "p-3").withLabel("3")).bytes();
        AigcLabel l = LABELER.inspect(out, "x", KEYS).labels().get(0).label();
        assertEquals(new AigcLabel("3", "", "", "", PLATFORM, "p-3", ""), l);
    }

    @Test
    void propagatingADuplicateFileLeavesOneRecord() {
        byte[] out = LABELER.propagate(Fixtures.bytes("labeled/duplicate-xmp-and-text.png"),
                PropagateRequest.of(PLATFORM, "p-9")).bytes();
        InspectReport r = LABELER.inspect(out, "x", KEYS);
        assertEquals(1, r.labels().size());
        assertEquals("doubao-20250901-0001", r.labels().get(0).label().produceId());
        assertEquals(PLATFORM, r.labels().get(0).label().contentPropagator());
    }

    /** A file whose record carries an SM2 signature, read without aigcmark-sm2: unverified, naming the artifact. */
    @Test
    void anSm2SignedRecordWithoutTheSm2ArtifactIsUnverified() {
        AigcLabel sm2Signed = AigcLabel.produced("001191110102MACQD9K64010000", "vector-sm2").withReservedCode1(
                "AM1.SM2.bb183848d1f9051c.Rv-p1drmVW9xMzI-fOR_rHc9bji7ApP5ZmeishAZVhQ."
                + "MEQCIEWH9_3xgkDLhU1xeC6PPGFqoWu1Fg-_grBJBgdX7ObPAiB2yPfV3nWhznnDxI0GCOoCW1qbVJy8U5Mx0Hf4Nk5JeA");
        byte[] out = LABELER.label(Fixtures.bytes("png/rgb.png"), new LabelRequest(sm2Signed, null, null, null)).bytes();
        InspectReport.FoundLabel found = LABELER.inspect(out, "x.png", KEYS).labels().get(0);
        assertEquals(LabelSignatures.Status.UNVERIFIED, found.signature());
        assertTrue(found.signatures().get(0).detail().contains("aigcmark-sm2"), found.signatures().toString());
    }

    /** The platform's "suspected" does not lower a producer's signed Label 1, nor break its ReservedCode1 signature. */
    @Test
    void aSignedLabel1IsNotDowngradedAndItsSignatureStillVerifies() {
        byte[] produced = LABELER.label(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"),
                LabelRequest.produced("001191110102MACQD9K64010000", "gen-1").withSigningKey(ED)).bytes();
        for (PropagateRequest request : List.of(PropagateRequest.of(PLATFORM, "plat-3").withLabel("3"),
                PropagateRequest.of(PLATFORM, "plat-3").withLabel("3").withSigningKey(ED))) {
            LabelResult result = LABELER.propagate(produced, request);
            assertTrue(result.notes().stream().anyMatch(n -> n.contains("kept Label \"1\"")), result.notes().toString());
            InspectReport r = LABELER.inspect(result.bytes(), "x", KEYS);
            AigcLabel l = r.labels().get(0).label();
            assertEquals("1", l.label());
            assertEquals(PLATFORM, l.contentPropagator());
            LabelSignatures.Check producer = r.labels().get(0).signatures().get(0);
            assertEquals(LabelSignatures.Field.RESERVED_CODE_1, producer.field());
            assertEquals(LabelSignatures.Status.VALID, producer.status(), producer.detail());
            assertEquals(request.signingKey().isPresent() ? LabelSignatures.Status.VALID : LabelSignatures.Status.ABSENT,
                    r.labels().get(0).signatures().get(1).status());
        }
    }

    /** An unsigned Label 1 is the producer's declaration too: kept. */
    @Test
    void anUnsignedLabel1IsKept() {
        byte[] produced = LABELER.label(Fixtures.bytes("png/rgb.png"),
                LabelRequest.produced("001191110102MACQD9K64010000", "gen-1")).bytes();
        LabelResult result = LABELER.propagate(produced, PropagateRequest.of(PLATFORM, "plat-2").withLabel("2"));
        assertEquals("1", LABELER.inspect(result.bytes(), "x", KEYS).labels().get(0).label().label());
        assertTrue(result.notes().stream().anyMatch(n -> n.contains("kept Label \"1\"")), result.notes().toString());
    }
}
