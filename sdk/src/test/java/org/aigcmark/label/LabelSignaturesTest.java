package org.aigcmark.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class LabelSignaturesTest {
    static final String CODE = "001191110102MACQD9K64010000";
    static final LabelKeys.SigningKey ED = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    static final PublicKey ED_PUB = LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
    static final LabelKeys.SigningKey SM2 = LabelKeys.readSigningKey(Fixtures.path("keys/test-sm2.key"));
    static final PublicKey SM2_PUB = LabelKeys.readPublicKey(Fixtures.path("keys/test-sm2.pub"));

    static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The published test vector (docs/SIGNATURES.md): the test key, this label, content digest SHA-256("content").
     * Ed25519 is deterministic, so any implementation must produce exactly this value.
     */
    @Test
    void reproducesThePublishedTestVector() throws Exception {
        AigcLabel l = AigcLabel.produced(CODE, "vector-1");
        byte[] digest = sha256("content");
        assertEquals("aigcmark-label-signature/1\nfield=ReservedCode1\n"
                + "\"Label\":\"1\",\"ContentProducer\":\"" + CODE + "\",\"ProduceID\":\"vector-1\"\n"
                + "content=SHA-256:ed7002b439e9ac845f22357d822bac1444730fbdb6016d3ec9432297b9ec9f73",
                new String(LabelSignatures.message(l, LabelSignatures.Field.RESERVED_CODE_1, SignatureAlgorithm.ED25519, digest),
                        StandardCharsets.US_ASCII));
        AigcLabel signed = LabelSignatures.sign(l, LabelSignatures.Field.RESERVED_CODE_1, ED, digest);
        assertEquals(TestVector.RESERVED_CODE_1, signed.reservedCode1());
        assertTrue(AigcLabel.inCharset(signed.reservedCode1()));
        assertEquals(ED.keyId(), LabelKeys.keyId(ED_PUB));
    }

    @Test
    void validThenTamperedLabelThenChangedContent() throws Exception {
        for (var pair : List.of(List.of(ED, ED_PUB), List.of(SM2, SM2_PUB))) {
            LabelKeys.SigningKey key = (LabelKeys.SigningKey) pair.get(0);
            PublicKey pub = (PublicKey) pair.get(1);
            String dn = key.algorithm().digestName();
            byte[] digest = LabelSignatures.newDigest(dn).digest("pixels".getBytes(StandardCharsets.US_ASCII));
            AigcLabel signed = LabelSignatures.sign(AigcLabel.produced(CODE, "t-1"), LabelSignatures.Field.RESERVED_CODE_1, key, digest);
            var ok = LabelSignatures.verify(signed, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of(pub));
            assertEquals(LabelSignatures.Status.VALID, ok.status(), ok.detail());

            AigcLabel tampered = new AigcLabel(signed.label(), signed.contentProducer(), "t-2", signed.reservedCode1(),
                    signed.contentPropagator(), signed.propagateId(), "");
            var bad = LabelSignatures.verify(tampered, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of(pub));
            assertEquals(LabelSignatures.Status.INVALID, bad.status());
            assertEquals("label fields were changed after signing", bad.detail());

            byte[] other = LabelSignatures.newDigest(dn).digest("other pixels".getBytes(StandardCharsets.US_ASCII));
            var changed = LabelSignatures.verify(signed, LabelSignatures.Field.RESERVED_CODE_1, n -> other, List.of(pub));
            assertEquals(LabelSignatures.Status.INVALID, changed.status());
            assertEquals("label is authentic but the content was changed after signing", changed.detail());

            var noKey = LabelSignatures.verify(signed, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of());
            assertEquals(LabelSignatures.Status.UNVERIFIED, noKey.status());
        }
    }

    @Test
    void sm2UsesSm3ForTheContentDigest() {
        assertEquals("SM3", SM2.algorithm().digestName());
        byte[] d = LabelSignatures.newDigest("SM3").digest("abc".getBytes(StandardCharsets.US_ASCII));
        // GB/T 32905-2016 example 1: SM3("abc").
        assertArrayEquals(java.util.HexFormat.of().parseHex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"), d);
    }

    @Test
    void platformSignatureSealsTheProducerFields() throws Exception {
        byte[] digest = sha256("c");
        AigcLabel produced = LabelSignatures.sign(AigcLabel.produced(CODE, "p"), LabelSignatures.Field.RESERVED_CODE_1, ED, digest);
        AigcLabel propagated = LabelSignatures.sign(produced.propagated("1", "00119144030008867405X210002", "plat-7"),
                LabelSignatures.Field.RESERVED_CODE_2, SM2, LabelSignatures.newDigest("SM3").digest(new byte[0]));
        var rc2 = LabelSignatures.verify(propagated, LabelSignatures.Field.RESERVED_CODE_2,
                n -> n.equals("SM3") ? LabelSignatures.newDigest("SM3").digest(new byte[0]) : digest, List.of(ED_PUB, SM2_PUB));
        assertEquals(LabelSignatures.Status.VALID, rc2.status(), rc2.detail());
        var rc1 = LabelSignatures.verify(propagated, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of(ED_PUB, SM2_PUB));
        assertEquals(LabelSignatures.Status.VALID, rc1.status(), rc1.detail());
        AigcLabel forgedRc1 = propagated.withReservedCode1("AM1.ED25519.0000000000000000.AA.AA");
        assertEquals(LabelSignatures.Status.INVALID, LabelSignatures.verify(forgedRc1, LabelSignatures.Field.RESERVED_CODE_2,
                n -> n.equals("SM3") ? LabelSignatures.newDigest("SM3").digest(new byte[0]) : digest, List.of(SM2_PUB)).status());
    }

    @Test
    void opaqueVendorValuesAreNotFailures() {
        AigcLabel l = AigcLabel.produced(CODE, "x").withReservedCode1("e862483430d978cbf828b8b24296ef9328d843a0");
        var c = LabelSignatures.verify(l, LabelSignatures.Field.RESERVED_CODE_1, n -> new byte[32], List.of(ED_PUB));
        assertEquals(LabelSignatures.Status.UNVERIFIED, c.status());
        assertEquals(LabelSignatures.Status.ABSENT, LabelSignatures.overall(List.of(
                LabelSignatures.verify(AigcLabel.produced(CODE, "x"), LabelSignatures.Field.RESERVED_CODE_1, n -> null, List.of()))));
    }

    static final class TestVector {
        // Cross-checked: openssl pkeyutl -sign -rawin with the same key over the same message gives the same signature.
        static final String RESERVED_CODE_1 = "AM1.ED25519.b11d908f9c5f6afd.7XACtDnprIRfIjV9giusFERzD722AW0-yUMil7nsn3M."
                + "UqopLGhQHtT8ZGeD-zaWipimF8IHs28y-VpVmKv1khlkqag8dgE6I8q-0GxwG6KjMTi1MiciV16WubYYqobUDQ";
    }
}
