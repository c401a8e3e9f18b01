package org.aigcmark.sm2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.PropagateRequest;
import org.aigcmark.TestSupport;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.label.SignatureAlgorithm;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SM2 keys and signatures with this module on the class path: exactly what the sdk did when it held BouncyCastle. */
class Sm2SignaturesTest {
    static final String CODE = "001191110102MACQD9K64010000";
    static final String PLATFORM = "00119144030008867405X210002";
    static final Labeler LABELER = Labeler.create();
    static final LabelKeys.SigningKey SM2 = LabelKeys.readSigningKey(Fixtures.path("keys/test-sm2.key"));
    static final PublicKey SM2_PUB = LabelKeys.readPublicKey(Fixtures.path("keys/test-sm2.pub"));
    static final LabelKeys.SigningKey ED = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    static final PublicKey ED_PUB = LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
    /** Made with keys/test-sm2.key by the sdk before SM2 moved here; content digest SM3("content"). */
    static final String SM2_RESERVED_CODE_1 = "AM1.SM2.bb183848d1f9051c.Rv-p1drmVW9xMzI-fOR_rHc9bji7ApP5ZmeishAZVhQ."
            + "MEQCIEWH9_3xgkDLhU1xeC6PPGFqoWu1Fg-_grBJBgdX7ObPAiB2yPfV3nWhznnDxI0GCOoCW1qbVJy8U5Mx0Hf4Nk5JeA";

    static byte[] sm3(String s) {
        return LabelSignatures.newDigest("SM3").digest(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void keyFilesAndKeyIdsAreUnchanged() throws Exception {
        assertEquals(SignatureAlgorithm.SM2, SM2.algorithm());
        assertEquals("bb183848d1f9051c", SM2.keyId());
        assertEquals(SM2.keyId(), LabelKeys.keyId(SM2_PUB));
        assertEquals(Files.readString(Fixtures.path("keys/test-sm2.key")), LabelKeys.toPem(SM2.privateKey()));
        assertEquals(Files.readString(Fixtures.path("keys/test-sm2.pub")), LabelKeys.toPem(SM2.publicKey()));

        var fresh = LabelKeys.generate(SignatureAlgorithm.SM2);
        Path priv = TestSupport.temp("fresh-sm2.key", LabelKeys.toPem(fresh.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        assertEquals(LabelKeys.keyId(fresh.getPublic()), LabelKeys.readSigningKey(priv).keyId());
        // OpenSSL reads the key we write and derives the same public key.
        assertEquals(LabelKeys.toPem(fresh.getPublic()), TestSupport.run("openssl", "pkey", "-in", priv.toString(), "-pubout"));
    }

    /** OpenSSL's SEC1 form of the same key (`openssl ec` writes it as SM2 PRIVATE KEY): the same key id. */
    @Test
    void readsOpenSslsSec1FormOfAnSm2Key() {
        Path sec1 = TestSupport.temp("sec1-sm2.pem", new byte[0]);
        TestSupport.run("openssl", "ec", "-in", Fixtures.path("keys/test-sm2.key").toString(), "-out", sec1.toString());
        assertEquals("bb183848d1f9051c", LabelKeys.readSigningKey(sec1).keyId());
        assertEquals("bb183848d1f9051c", LabelKeys.keyId(LabelKeys.readPublicKey(sec1)));
    }

    @Test
    void aSignatureMadeBeforeTheSplitStillVerifies() {
        AigcLabel signed = AigcLabel.produced(CODE, "vector-sm2").withReservedCode1(SM2_RESERVED_CODE_1);
        var c = LabelSignatures.verify(signed, LabelSignatures.Field.RESERVED_CODE_1, n -> sm3("content"), List.of(ED_PUB, SM2_PUB));
        assertEquals(LabelSignatures.Status.VALID, c.status(), c.detail());
    }

    @Test
    void openSslVerifiesOurSm2SignatureFromTheDocumentedMessage() throws Exception {
        byte[] digest = sm3("content");
        AigcLabel signed = LabelSignatures.sign(AigcLabel.produced(CODE, "ossl-sm2"), LabelSignatures.Field.RESERVED_CODE_1, SM2, digest);
        String[] parts = signed.reservedCode1().split("\\.");
        assertEquals("SM2", parts[1]);
        String msg = "aigcmark-label-signature/2\nfield=ReservedCode1\n\"Label\":\"1\",\"ContentProducer\":\"" + CODE + "\","
                + "\"ProduceID\":\"ossl-sm2\"\ncontent=SM3:" + HexFormat.of().formatHex(digest);
        Path m = TestSupport.temp("sm2-msg.txt", msg.getBytes(StandardCharsets.US_ASCII));
        Path s = m.resolveSibling("sm2-sig.bin");
        Files.write(s, Base64.getUrlDecoder().decode(parts[4]));
        String r = TestSupport.run("openssl", "pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678",
                "-pubin", "-inkey", Fixtures.path("keys/test-sm2.pub").toString(), "-in", m.toString(), "-sigfile", s.toString());
        assertTrue(r.contains("Signature Verified Successfully"), r);
    }

    @Test
    void validThenTamperedLabelThenChangedContent() {
        byte[] digest = sm3("pixels");
        AigcLabel signed = LabelSignatures.sign(AigcLabel.produced(CODE, "t-1"), LabelSignatures.Field.RESERVED_CODE_1, SM2, digest);
        assertEquals(LabelSignatures.Status.VALID,
                LabelSignatures.verify(signed, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of(SM2_PUB)).status());
        AigcLabel tampered = new AigcLabel(signed.label(), signed.contentProducer(), "t-2", signed.reservedCode1(),
                signed.contentPropagator(), signed.propagateId(), "");
        var bad = LabelSignatures.verify(tampered, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of(SM2_PUB));
        assertEquals(LabelSignatures.Status.INVALID, bad.status());
        assertEquals("label fields were changed after signing", bad.detail());
        var changed = LabelSignatures.verify(signed, LabelSignatures.Field.RESERVED_CODE_1, n -> sm3("other pixels"), List.of(SM2_PUB));
        assertEquals(LabelSignatures.Status.INVALID, changed.status());
        assertEquals("label is authentic but the content was changed after signing", changed.detail());
        assertEquals(LabelSignatures.Status.UNVERIFIED,
                LabelSignatures.verify(signed, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of()).status());
    }

    @Test
    void sm2UsesSm3ForTheContentDigest() {
        assertEquals("SM3", SM2.algorithm().digestName());
        // GB/T 32905-2016 example 1: SM3("abc").
        assertArrayEquals(HexFormat.of().parseHex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"), sm3("abc"));
    }

    @Test
    void platformSignatureSealsTheProducerFields() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest("c".getBytes(StandardCharsets.US_ASCII));
        byte[] sm3 = sm3("");
        AigcLabel produced = LabelSignatures.sign(AigcLabel.produced(CODE, "p"), LabelSignatures.Field.RESERVED_CODE_1, ED, digest);
        AigcLabel propagated = LabelSignatures.sign(produced.propagated("1", PLATFORM, "plat-7"),
                LabelSignatures.Field.RESERVED_CODE_2, SM2, sm3);
        var rc2 = LabelSignatures.verify(propagated, LabelSignatures.Field.RESERVED_CODE_2,
                n -> n.equals("SM3") ? sm3 : digest, List.of(ED_PUB, SM2_PUB));
        assertEquals(LabelSignatures.Status.VALID, rc2.status(), rc2.detail());
        var rc1 = LabelSignatures.verify(propagated, LabelSignatures.Field.RESERVED_CODE_1, n -> digest, List.of(ED_PUB, SM2_PUB));
        assertEquals(LabelSignatures.Status.VALID, rc1.status(), rc1.detail());
        AigcLabel forgedRc1 = propagated.withReservedCode1("AM1.ED25519.0000000000000000.AA.AA");
        assertEquals(LabelSignatures.Status.INVALID, LabelSignatures.verify(forgedRc1, LabelSignatures.Field.RESERVED_CODE_2,
                n -> n.equals("SM3") ? sm3 : digest, List.of(SM2_PUB)).status());
    }

    @Test
    void anSm2PlatformSignatureOnAPropagatedImageVerifies() {
        byte[] produced = LABELER.label(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"),
                LabelRequest.produced(CODE, "gen-1").withSigningKey(ED)).bytes();
        byte[] out = LABELER.propagate(produced, PropagateRequest.of(PLATFORM, "plat-42").withSigningKey(SM2)).bytes();
        InspectReport.FoundLabel f = LABELER.inspect(out, "x", List.of(ED_PUB, SM2_PUB)).labels().get(0);
        assertEquals(LabelSignatures.Status.VALID, f.signature(), f.signatures().toString());
        assertTrue(f.label().reservedCode2().startsWith("AM2.SM2."));
    }

    /** Signed from disk (the MP4 is streamed: SM3 over the samples read in ranges), verified in memory. */
    @Test
    void anSm2SignatureOverAStreamedVideoVerifiesInMemory(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.mp4");
        Files.write(in, Fixtures.bytes("video/sample-360p-2s5.mp4"));
        Path out = dir.resolve("out.mp4");
        LABELER.label(in, out, LabelRequest.produced(CODE, "signed-1").withSigningKey(SM2));
        byte[] signed = Files.readAllBytes(out);
        InspectReport.FoundLabel f = LABELER.inspect(signed, "s.mp4", List.of(SM2_PUB)).labels().get(0);
        assertEquals(LabelSignatures.Status.VALID, f.signature(), f.signatures().toString());
        byte[] tampered = signed.clone();
        tampered[TestSupport.indexOf(tampered, "mdat".getBytes(StandardCharsets.US_ASCII)) + 100] ^= 1; // a sample byte: the digest covers the samples
        assertEquals(LabelSignatures.Status.INVALID, LABELER.inspect(tampered, "t.mp4", List.of(SM2_PUB)).labels().get(0).signature());
    }

}
