package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.label.SignatureAlgorithm;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labelling over a record its producer signed (ReservedCode1) would silently remove that producer's label (Measures
 * Art. 10): refused unless the request's signing key made the old signature (the same producer re-labelling).
 */
class SignedRecordRelabelTest {
    static final Labeler LABELER = Labeler.create();
    static final String PRODUCER = "001191110102MACQD9K64010000";
    static final String OTHER = "00119144030008867405X210002";
    static final LabelKeys.SigningKey ED = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    static final List<PublicKey> KEYS = List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub")));

    static LabelKeys.SigningKey otherKey() {
        KeyPair kp = LabelKeys.generate(SignatureAlgorithm.ED25519);
        return new LabelKeys.SigningKey(SignatureAlgorithm.ED25519, kp.getPrivate(), kp.getPublic());
    }

    static void assertRefused(AigcmarkException e) {
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("signed by its producer") && e.getMessage().contains(ED.keyId())
                && e.getMessage().contains("propagate") && e.getMessage().contains("--sign-key"), e.getMessage());
    }

    @Test
    void anotherProducersSignedRecordIsNotReplaced() {
        byte[] signed = LABELER.label(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"),
                LabelRequest.produced(PRODUCER, "gen-1").withSigningKey(ED)).bytes();
        assertRefused(assertThrows(AigcmarkException.class,
                () -> LABELER.label(signed, "x.jpg", LabelRequest.produced(OTHER, "other-1"))));
        assertRefused(assertThrows(AigcmarkException.class,
                () -> LABELER.label(signed, "x.jpg", LabelRequest.produced(OTHER, "other-1").withSigningKey(otherKey()))));
    }

    @Test
    void theSameProducerMayRelabelItsOwnFile() {
        byte[] signed = LABELER.label(Fixtures.bytes("png/rgb.png"),
                LabelRequest.produced(PRODUCER, "gen-1").withSigningKey(ED)).bytes();
        byte[] again = LABELER.label(signed, "x.png", LabelRequest.produced(PRODUCER, "gen-2").withSigningKey(ED)).bytes();
        InspectReport r = LABELER.inspect(again, "x.png", KEYS);
        assertEquals(1, r.labels().size());
        assertEquals("gen-2", r.labels().get(0).label().produceId());
        assertEquals(LabelSignatures.Status.VALID, r.labels().get(0).signature());
    }

    @Test
    void anUnsignedRecordIsStillReplaced() {
        byte[] unsigned = LABELER.label(Fixtures.bytes("png/rgb.png"), LabelRequest.produced(PRODUCER, "gen-1")).bytes();
        byte[] again = LABELER.label(unsigned, "x.png", LabelRequest.produced(OTHER, "other-1")).bytes();
        assertEquals("other-1", LABELER.inspect(again, "x.png", KEYS).labels().get(0).label().produceId());
    }

    @Test
    void theStreamedPathRefusesToo(@TempDir Path dir) throws Exception {
        Path in = Fixtures.path("video/sample-360p-2s5.mp4");
        Path signed = dir.resolve("signed.mp4");
        LABELER.label(in, signed, LabelRequest.produced(PRODUCER, "gen-1").withSigningKey(ED));
        Path out = dir.resolve("out.mp4");
        assertRefused(assertThrows(AigcmarkException.class,
                () -> LABELER.label(signed, out, LabelRequest.produced(OTHER, "other-1"))));
        assertFalse(Files.exists(out), "nothing written");
    }
}
