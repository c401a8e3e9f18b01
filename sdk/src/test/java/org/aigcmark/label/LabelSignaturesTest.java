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
        assertEquals("aigcmark-label-signature/2\nfield=ReservedCode1\n"
                + "\"Label\":\"1\",\"ContentProducer\":\"" + CODE + "\",\"ProduceID\":\"vector-1\"\n"
                + "content=SHA-256:ed7002b439e9ac845f22357d822bac1444730fbdb6016d3ec9432297b9ec9f73",
                new String(LabelSignatures.message(l, LabelSignatures.Field.RESERVED_CODE_1, SignatureAlgorithm.ED25519, digest),
                        StandardCharsets.US_ASCII));
        AigcLabel signed = LabelSignatures.sign(l, LabelSignatures.Field.RESERVED_CODE_1, ED, digest);
        assertEquals(TestVector.RESERVED_CODE_1_V2, signed.reservedCode1());
        // Version 1 (what earlier releases wrote): same fields, message line "/1"; it still verifies as version 1.
        AigcLabel v1 = LabelSignatures.sign(l, LabelSignatures.Field.RESERVED_CODE_1, ED, digest, 1);
        assertEquals(TestVector.RESERVED_CODE_1, v1.reservedCode1());
        int[] askedVersion = {0};
        var check = LabelSignatures.verify(v1, LabelSignatures.Field.RESERVED_CODE_1,
                (name, version) -> {
                    askedVersion[0] = version;
                    return digest;
                }, List.of(ED_PUB));
        assertEquals(LabelSignatures.Status.VALID, check.status());
        assertEquals(1, askedVersion[0], "an AM1 value is checked against the version 1 content digest");
        assertTrue(AigcLabel.inCharset(signed.reservedCode1()));
        assertEquals(ED.keyId(), LabelKeys.keyId(ED_PUB));
    }

    /** SM2 keys get the same checks in the aigcmark-sm2 module (Sm2SignaturesTest). */
    @Test
    void validThenTamperedLabelThenChangedContent() throws Exception {
        for (var pair : List.of(List.of(ED, ED_PUB))) {
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
    void platformSignatureSealsTheProducerFields() throws Exception {
        byte[] digest = sha256("c");
        AigcLabel produced = LabelSignatures.sign(AigcLabel.produced(CODE, "p"), LabelSignatures.Field.RESERVED_CODE_1, ED, digest);
        AigcLabel propagated = LabelSignatures.sign(produced.propagated("1", "00119144030008867405X210002", "plat-7"),
                LabelSignatures.Field.RESERVED_CODE_2, ED, digest);
        var rc2 = LabelSignatures.verify(propagated, LabelSignatures.Field.RESERVED_CODE_2, n -> digest, List.of(ED_PUB));
        assertEquals(LabelSignatures.Status.VALID, rc2.status(), rc2.detail());
        var rc1 = LabelSignatures.verify(propagated, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of(ED_PUB));
        assertEquals(LabelSignatures.Status.VALID, rc1.status(), rc1.detail());
        AigcLabel forgedRc1 = propagated.withReservedCode1("AM1.ED25519.0000000000000000.AA.AA");
        assertEquals(LabelSignatures.Status.INVALID, LabelSignatures.verify(forgedRc1, LabelSignatures.Field.RESERVED_CODE_2,
                n -> digest, List.of(ED_PUB)).status());
    }

    @Test
    void opaqueVendorValuesAreNotFailures() {
        AigcLabel l = AigcLabel.produced(CODE, "x").withReservedCode1("e862483430d978cbf828b8b24296ef9328d843a0");
        var c = LabelSignatures.verify(l, LabelSignatures.Field.RESERVED_CODE_1, n -> new byte[32], List.of(ED_PUB));
        assertEquals(LabelSignatures.Status.UNVERIFIED, c.status());
        assertEquals(LabelSignatures.Status.ABSENT, LabelSignatures.overall(List.of(
                LabelSignatures.verify(AigcLabel.produced(CODE, "x"), LabelSignatures.Field.RESERVED_CODE_1, n -> null, List.of()))));
    }

    /** Without aigcmark-sm2 (not on the sdk's test class path), SM2 keys and the SM3 digest are usage errors naming it. */
    @Test
    void sm2KeysWithoutTheSm2ArtifactAreUsageErrorsThatNameIt() {
        for (org.junit.jupiter.api.function.Executable use : List.<org.junit.jupiter.api.function.Executable>of(
                () -> LabelKeys.readSigningKey(Fixtures.path("keys/test-sm2.key")),
                () -> LabelKeys.readPublicKey(Fixtures.path("keys/test-sm2.pub")),
                () -> LabelKeys.generate(SignatureAlgorithm.SM2),
                () -> LabelSignatures.newDigest("SM3"))) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class, use);
            assertEquals(org.aigcmark.AigcmarkException.Reason.INVALID_ARGUMENT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("aigcmark-sm2"), e.getMessage());
        }
        // OpenSSL's SEC1 form names the curve elsewhere ([0] parameters): still named as an SM2 key.
        java.nio.file.Path sec1 = org.aigcmark.TestSupport.temp("sec1-sm2.pem", new byte[0]);
        org.aigcmark.TestSupport.run("openssl", "ec", "-in", Fixtures.path("keys/test-sm2.key").toString(), "-out", sec1.toString());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class, () -> LabelKeys.readSigningKey(sec1));
        assertTrue(e.getMessage().contains("holds an SM2 key") && e.getMessage().contains("aigcmark-sm2"), e.getMessage());
    }

    /** A record signed with SM2 (by the code before the split) is unverified without aigcmark-sm2: never invalid. */
    @Test
    void sm2SignatureWithoutTheSm2ArtifactIsUnverifiedWithAReasonThatNamesIt() {
        AigcLabel signed = AigcLabel.produced(CODE, "vector-sm2").withReservedCode1(TestVector.SM2_RESERVED_CODE_1);
        var c = LabelSignatures.verify(signed, LabelSignatures.Field.RESERVED_CODE_1, n -> new byte[32], List.of(ED_PUB));
        assertEquals(LabelSignatures.Status.UNVERIFIED, c.status());
        assertEquals("SM2", c.algorithm());
        assertEquals("bb183848d1f9051c", c.keyId());
        assertTrue(c.detail().contains("aigcmark-sm2"), c.detail());
        assertEquals(LabelSignatures.Status.UNVERIFIED, LabelSignatures.overall(List.of(c)));
    }

    /** Key files and key ids stay byte for byte what BouncyCastle wrote before the JDK took Ed25519 over. */
    @Test
    void ed25519KeyFilesReadAndWriteByteForByte() throws Exception {
        assertEquals(java.nio.file.Files.readString(Fixtures.path("keys/test-ed25519.key")), LabelKeys.toPem(ED.privateKey()));
        assertEquals(java.nio.file.Files.readString(Fixtures.path("keys/test-ed25519.pub")), LabelKeys.toPem(ED.publicKey()));
        assertEquals(java.nio.file.Files.readString(Fixtures.path("keys/test-ed25519.pub")), LabelKeys.toPem(ED_PUB));
        assertEquals("b11d908f9c5f6afd", ED.keyId());
        assertEquals(SignatureAlgorithm.ED25519, ED.algorithm());

        java.security.KeyPair fresh = LabelKeys.generate(SignatureAlgorithm.ED25519);
        java.nio.file.Path priv = org.aigcmark.TestSupport.temp("fresh.key", LabelKeys.toPem(fresh.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        LabelKeys.SigningKey back = LabelKeys.readSigningKey(priv);
        assertEquals(LabelKeys.keyId(fresh.getPublic()), back.keyId(), "public key derived from the private key file");
        // OpenSSL reads what we write and derives the same public key.
        String pub = org.aigcmark.TestSupport.run("openssl", "pkey", "-in", priv.toString(), "-pubout");
        assertEquals(LabelKeys.toPem(fresh.getPublic()), pub);
    }

    /** The public key of an X.509 certificate PEM (made by OpenSSL from the test key). */
    @Test
    void readsThePublicKeyOfACertificate() throws Exception {
        java.nio.file.Path cert = org.aigcmark.TestSupport.temp("ed.crt", new byte[0]);
        org.aigcmark.TestSupport.run("openssl", "req", "-new", "-x509", "-key", Fixtures.path("keys/test-ed25519.key").toString(),
                "-subj", "/CN=aigcmark test", "-days", "1", "-out", cert.toString());
        assertEquals("b11d908f9c5f6afd", LabelKeys.keyId(LabelKeys.readPublicKey(cert)));
    }

    @Test
    void otherKeysAndNonKeysAreKeyErrors() throws Exception {
        java.nio.file.Path p256 = org.aigcmark.TestSupport.temp("p256.key", new byte[0]);
        org.aigcmark.TestSupport.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", p256.toString());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class, () -> LabelKeys.readSigningKey(p256));
        assertEquals(org.aigcmark.AigcmarkException.Reason.KEY_INVALID, e.reason());
        assertTrue(e.getMessage().contains("expected Ed25519 or SM2"), e.getMessage());
        var pubAsPrivate = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class,
                () -> LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.pub")));
        assertTrue(pubAsPrivate.getMessage().contains("is not a private key PEM (got PUBLIC KEY)"), pubAsPrivate.getMessage());
        var watermarkKey = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class,
                () -> LabelKeys.readPublicKey(Fixtures.path("keys/test-watermark.key")));
        assertEquals(org.aigcmark.AigcmarkException.Reason.KEY_INVALID, watermarkKey.reason());
    }

    static final class TestVector {
        /** Made with keys/test-sm2.key by the code before SM2 moved to aigcmark-sm2; content digest SM3("content"). */
        static final String SM2_RESERVED_CODE_1 = "AM1.SM2.bb183848d1f9051c.Rv-p1drmVW9xMzI-fOR_rHc9bji7ApP5ZmeishAZVhQ."
                + "MEQCIEWH9_3xgkDLhU1xeC6PPGFqoWu1Fg-_grBJBgdX7ObPAiB2yPfV3nWhznnDxI0GCOoCW1qbVJy8U5Mx0Hf4Nk5JeA";
        // Cross-checked: openssl pkeyutl -sign -rawin with the same key over the same message gives the same signature.
        static final String RESERVED_CODE_1 = "AM1.ED25519.b11d908f9c5f6afd.7XACtDnprIRfIjV9giusFERzD722AW0-yUMil7nsn3M."
                + "UqopLGhQHtT8ZGeD-zaWipimF8IHs28y-VpVmKv1khlkqag8dgE6I8q-0GxwG6KjMTi1MiciV16WubYYqobUDQ";
        // The same over the version 2 message; openssl pkeyutl -sign -rawin gives the same signature (docs/SIGNATURES.md).
        static final String RESERVED_CODE_1_V2 = "AM2.ED25519.b11d908f9c5f6afd.7XACtDnprIRfIjV9giusFERzD722AW0-yUMil7nsn3M."
                + "7MPj_UlcdVBZM_8RMVvnDm9UuNrCLXLFLtxNa-CFHBwtDZgInOWB0BEMuANUqWX98aARFFOmdj6d-dh-MjNAAw";
    }
}
