package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.testdata.Fixtures;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * C2PA manifests written by {@link Labeler#label} with {@link LabelRequest#withC2pa}: valid for our validator with
 * the test CA as anchor, seen by exiftool beside the XMP-TC260 record, valid for the independent c2pa-ts, broken by
 * a changed pixel byte or label field, and the JPEG's image data kept byte-identical.
 */
class C2paSignerTest {
    private static final Labeler LABELER = Labeler.create();
    static final KeyPair CA_KEYS = ec();
    static final X509Certificate CA = cert("CN=c2pa signer test CA", CA_KEYS, CA_KEYS, true);
    static final KeyPair SIGNER_KEYS = ec();
    static final C2paSigning SIGNING = new C2paSigning(SIGNER_KEYS.getPrivate(),
            List.of(cert("CN=c2pa signer test signer", SIGNER_KEYS, CA_KEYS, false), CA));
    static final C2paValidator TRUST_CA = new C2paValidator(List.of(CA));
    static final LabelRequest REQUEST = LabelRequest.produced("00" + "A".repeat(25), "c2pa-writer-test-0001")
            .withC2pa(SIGNING);

    private static final org.aigcmark.label.AigcLabel PLAIN_LABEL = REQUEST.label();

    private static byte[] labelled() {
        return LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), REQUEST).bytes();
    }

    private static C2paValidator.Result validate(byte[] file) {
        ContainerScan scan = LABELER.handlerFor(file, "out.jpg").scan(file, LABELER.limits());
        assertEquals(1, scan.c2paStores().size(), "one C2PA store");
        return TRUST_CA.validate(scan.c2paStores().get(0), file);
    }

    @Test
    void theWrittenManifestIsValidWithTheTestCaAsAnchorAndCarriesTheRecord() {
        byte[] out = labelled();
        C2paValidator.Result r = validate(out);
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
        assertEquals("ES256", r.algorithm());
        assertTrue(r.codes().containsAll(List.of("claimSignature.validated", "assertion.dataHash.match",
                "signingCredential.trusted")), r.codes().toString());
        ContainerScan scan = LABELER.handlerFor(out, "out.jpg").scan(out, LABELER.limits());
        C2paReader.Summary s = C2paReader.read(scan.c2paStores().get(0));
        assertEquals(List.of("c2pa.created"), s.actions());
        assertEquals(List.of(C2paManifestBuilder.TRAINED_ALGORITHMIC_MEDIA), s.digitalSourceTypes());
        assertEquals(C2paValidator.Status.UNTRUSTED, C2paValidator.NO_ANCHORS.validate(scan.c2paStores().get(0), out).status());
        String store = new String(scan.c2paStores().get(0), StandardCharsets.ISO_8859_1);
        assertTrue(store.contains(C2paManifestBuilder.GB45438_LABEL) && store.contains("c2pa-writer-test-0001")
                && store.contains("c2pa.claim.v2"), "the GB 45438 assertion with the ProduceID, in a v2 claim");
    }

    @Test
    void theImageDataStaysByteIdentical() {
        byte[] in = Fixtures.bytes("jpeg/plain.jpg");
        byte[] out = labelled();
        assertArrayEquals(TestSupport.jpegScan(in), TestSupport.jpegScan(out));
        // the manifest store follows the XMP record (APP1), so the hard binding covers the record
        List<Integer> markers = TestSupport.jpegSegments(out).stream().map(s -> s[1] & 0xFF).toList();
        assertTrue(markers.indexOf(0xEB) > markers.indexOf(0xE1), markers.toString());
    }

    @Test
    void aChangedPixelByteOrLabelFieldMakesItInvalid() {
        byte[] out = labelled();
        byte[] pixel = out.clone();
        int scan = out.length - TestSupport.jpegScan(out).length;
        pixel[scan + (out.length - scan) / 2] ^= 0x01; // inside the entropy-coded data
        C2paValidator.Result r = validate(pixel);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.reason().startsWith("binding:"), r.reason());

        String text = new String(out, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("c2pa-writer-test-0001"); // first occurrence: the XMP record, before the APP11 store
        assertTrue(at > 0 && at < text.indexOf("jumb"), "the XMP record comes first");
        byte[] label = out.clone();
        label[at + "c2pa-writer-test-000".length()] = '2';
        r = validate(label);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.codes().contains("assertion.dataHash.mismatch"), r.codes().toString());
    }

    @Test
    void pngGetsACabxChunkBeforeIdatThatValidatesAndBreaksOnTampering() throws Exception {
        byte[] in = Fixtures.bytes("png/grey.png");
        byte[] out = LABELER.label(in, REQUEST).bytes();
        String text = new String(out, StandardCharsets.ISO_8859_1);
        assertTrue(text.indexOf("caBX") > 0 && text.indexOf("caBX") < text.indexOf("IDAT"), "caBX before IDAT");
        assertTrue(text.indexOf("c2pa-writer-test-0001") < text.indexOf("caBX"), "the record (iTXt) is written first");
        C2paValidator.Result r = validate(out);
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
        byte[] pixel = out.clone();
        pixel[text.lastIndexOf("IDAT") + 10] ^= 0x01;
        assertEquals(C2paValidator.Status.INVALID, validate(pixel).status());
        if (Files.isDirectory(c2paTs().resolve("node_modules/@trustnxt/c2pa-ts"))) {
            String ok = TestSupport.run("node", c2paTsScript().toString(), TestSupport.temp("c2pa.png", out).toString());
            assertTrue(ok.contains("isValid true") && ok.contains("assertion.dataHash.match"), ok);
        }
        String exif = TestSupport.run("exiftool", "-G1", "-a", TestSupport.temp("c2pa.png", out).toString());
        assertTrue(exif.contains("[JUMBF]") && exif.contains("[XMP-TC260]"), exif);
    }

    static Path c2paTs() {
        return Path.of(System.getenv().getOrDefault("C2PA_TS_DIR", "/tmp/c2pats"));
    }

    static Path c2paTsScript() throws java.io.IOException {
        Path script = c2paTs().resolve("verify_c2pa.mjs");
        Files.copy(Fixtures.repoRoot().resolve("testdata/tools/c2pa/verify_c2pa.mjs"), script,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return script;
    }

    @Test
    void storesOver64KiBAreSplitIntoApp11PacketsThatReassemble() throws Exception {
        byte[] store = new byte[150_000];
        new Random(7).nextBytes(store);
        store[0] = 0;
        store[1] = 2;
        store[2] = 0x49;
        store[3] = (byte) 0xF0; // LBox = 150,000
        System.arraycopy("jumb".getBytes(StandardCharsets.ISO_8859_1), 0, store, 4, 4);
        List<byte[]> segments = C2paSigner.app11Segments(store);
        assertEquals(3, segments.size());
        List<byte[]> payloads = segments.stream().map(s -> {
            assertTrue(s.length <= 0xFFFF + 2, "segment of " + s.length + " bytes");
            assertEquals(s.length - 2, (s[2] & 0xFF) << 8 | (s[3] & 0xFF));
            return java.util.Arrays.copyOfRange(s, 4, s.length);
        }).toList();
        assertArrayEquals(store, C2paReader.fromJpegSegments(payloads));

        // end to end: a 100 KB extension in the CA certificate makes the store span two APP11 segments
        X509Certificate fatCa = cert("CN=c2pa signer test CA", CA_KEYS, CA_KEYS, true, 100_000);
        C2paSigning fat = new C2paSigning(SIGNER_KEYS.getPrivate(), List.of(SIGNING.chain().get(0), fatCa));
        byte[] out = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), REQUEST.withC2pa(fat)).bytes();
        assertEquals(2, TestSupport.jpegSegments(out).stream().filter(s -> (s[1] & 0xFF) == 0xEB).count());
        C2paValidator.Result r = validate(out);
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
        if (Files.isDirectory(c2paTs().resolve("node_modules/@trustnxt/c2pa-ts"))) {
            String ok = TestSupport.run("node", c2paTsScript().toString(), TestSupport.temp("fat.jpg", out).toString());
            assertTrue(ok.contains("isValid true") && ok.contains("assertion.dataHash.match"), ok);
        }
    }

    @Test
    void exiftoolSeesTheJumbfStoreAndTheTc260Record() throws Exception {
        Path f = TestSupport.temp("c2pa.jpg", labelled());
        String out = TestSupport.run("exiftool", "-G1", "-a", f.toString());
        assertTrue(out.contains("[JUMBF]") && out.contains("c2pa.claim.v2") && out.contains(C2paManifestBuilder.GB45438_LABEL),
                out);
        assertTrue(out.contains("[XMP-TC260]") && out.contains("c2pa-writer-test-0001"), out);
    }

    /**
     * The independent check: @trustnxt/c2pa-ts (pure TypeScript, npm) validates the file. Needs node and c2pa-ts
     * installed in {@code $C2PA_TS_DIR} (default /tmp/c2pats, as testdata/tools/c2pa/make_fixtures.sh does).
     */
    @Test
    void c2paTsValidatesTheWrittenFileAndRejectsATamperedOne() throws Exception {
        TestSupport.requireTool("node");
        Path dir = c2paTs();
        boolean installed = Files.isDirectory(dir.resolve("node_modules/@trustnxt/c2pa-ts"));
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("@trustnxt/c2pa-ts is required in CI: npm install @trustnxt/c2pa-ts@0.9.4 in " + dir);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, "@trustnxt/c2pa-ts not installed in " + dir);
        Path script = c2paTsScript();
        byte[] out = labelled();
        String ok = TestSupport.run("node", script.toString(), TestSupport.temp("c2pa.jpg", out).toString());
        assertTrue(ok.contains("isValid true") && ok.contains("assertion.dataHash.match")
                && ok.contains("claimSignature.validated"), ok);
        byte[] pixel = out.clone();
        pixel[out.length - 100] ^= 0x01;
        String bad = TestSupport.run("node", script.toString(), TestSupport.temp("tampered.jpg", pixel).toString());
        assertTrue(bad.contains("isValid false") && bad.contains("assertion.dataHash.mismatch"), bad);
    }

    /** The top-level RIFF chunks of a WebP: FourCC and data (without the pad byte), in file order. */
    private static List<java.util.Map.Entry<String, byte[]>> riffChunks(byte[] b) {
        List<java.util.Map.Entry<String, byte[]>> out = new java.util.ArrayList<>();
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(b.length - 8, bb.getInt(4), "the RIFF size counts every chunk");
        for (int p = 12; p < b.length; ) {
            int len = bb.getInt(p + 4);
            out.add(java.util.Map.entry(new String(b, p, 4, StandardCharsets.ISO_8859_1),
                    java.util.Arrays.copyOfRange(b, p + 8, p + 8 + len)));
            p += 8 + len + (len & 1);
        }
        return out;
    }

    /**
     * WebP: a top-level {@code C2PA} chunk after the last chunk, the image chunks byte-identical, valid for our
     * validator, c2pa-ts (through the RIFF adapter in verify_c2pa.mjs), webpinfo and dwebp; invalid once tampered.
     */
    @Test
    void webpGetsAC2paChunkAtTheEndThatValidatesAndKeepsTheImageData() throws Exception {
        for (String fixture : List.of("webp/lossy.webp", "webp/lossless.webp", "webp/alpha.webp", "webp/with-exif.webp")) {
            byte[] in = Fixtures.bytes(fixture);
            byte[] out = LABELER.label(in, REQUEST).bytes();
            List<java.util.Map.Entry<String, byte[]>> chunks = riffChunks(out);
            assertEquals("C2PA", chunks.get(chunks.size() - 1).getKey(), fixture + ": the store is the last chunk");
            assertEquals("VP8X", chunks.get(0).getKey(), fixture);
            for (var original : riffChunks(in)) {
                if (List.of("VP8 ", "VP8L", "ALPH", "EXIF").contains(original.getKey())) {
                    assertTrue(chunks.stream().anyMatch(c -> c.getKey().equals(original.getKey())
                            && java.util.Arrays.equals(c.getValue(), original.getValue())), fixture + " " + original.getKey());
                }
            }
            C2paValidator.Result r = validate(out);
            assertEquals(C2paValidator.Status.VALID, r.status(), fixture + ": " + r.reason());
            assertTrue(r.codes().contains("assertion.dataHash.match"), r.codes().toString());
            Path file = TestSupport.temp("c2pa-" + fixture.replace('/', '-'), out);
            String info = TestSupport.run("webpinfo", file.toString());
            // webpinfo 1.x does not name chunks it does not know; the C2PA chunk is its one warning, not an error
            assertTrue(info.contains("No error detected") && info.contains("Chunk XMP"), info);
            Path ppmIn = TestSupport.temp("in.ppm", new byte[0]);
            Path ppmOut = TestSupport.temp("out.ppm", new byte[0]);
            TestSupport.run("dwebp", TestSupport.temp("in-" + fixture.replace('/', '-'), in).toString(), "-ppm", "-o", ppmIn.toString());
            TestSupport.run("dwebp", file.toString(), "-ppm", "-o", ppmOut.toString());
            assertArrayEquals(Files.readAllBytes(ppmIn), Files.readAllBytes(ppmOut), fixture + ": same pixels");

            byte[] pixel = out.clone();
            int vp8 = new String(out, StandardCharsets.ISO_8859_1).indexOf(fixture.contains("lossless") ? "VP8L" : "VP8 ");
            pixel[vp8 + 100] ^= 0x01;
            assertEquals(C2paValidator.Status.INVALID, validate(pixel).status(), fixture);
            byte[] size = out.clone();
            size[4] ^= 0x01; // the RIFF size is covered too
            assertEquals(C2paValidator.Status.INVALID, validate(size).status(), fixture);
            if (Files.isDirectory(c2paTs().resolve("node_modules/@trustnxt/c2pa-ts"))) {
                Path script = c2paTsScript();
                String ok = TestSupport.run("node", script.toString(), file.toString());
                assertTrue(ok.contains("isValid true") && ok.contains("claimSignature.validated")
                        && ok.contains("assertion.dataHash.match"), ok);
                String bad = TestSupport.run("node", script.toString(), TestSupport.temp("bad.webp", pixel).toString());
                assertTrue(bad.contains("isValid false") && bad.contains("assertion.dataHash.mismatch"), bad);
            }
        }
        String exif = TestSupport.run("exiftool", "-G1", "-a",
                TestSupport.temp("c2pa.webp", LABELER.label(Fixtures.bytes("webp/lossy.webp"), REQUEST).bytes()).toString());
        assertTrue(exif.contains("[XMP-TC260]"), exif);
    }

    /** A WebP the C2PA chunk cannot safely join: simple (no VP8X), a RIFF size that lies, a C2PA chunk already there. */
    @Test
    void webpsThatCannotTakeAChunkAreRefusedBeforeAnythingIsWritten() {
        byte[] simple = Fixtures.bytes("webp/lossy.webp");
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT,
                assertThrows(AigcmarkException.class, () -> C2paSigner.webpEnd(simple)).reason());
        byte[] labelled = LABELER.label(simple, LabelRequest.produced("00" + "A".repeat(25), "webp-no-c2pa")).bytes();
        assertEquals(labelled.length, C2paSigner.webpEnd(labelled), "the store goes after the last chunk");
        byte[] trailing = java.util.Arrays.copyOf(labelled, labelled.length + 2);
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT,
                assertThrows(AigcmarkException.class, () -> C2paSigner.webpEnd(trailing)).reason());
        byte[] signed = LABELER.label(simple, REQUEST).bytes();
        AigcmarkException again = assertThrows(AigcmarkException.class, () -> C2paSigner.webpEnd(signed));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, again.reason());
        assertTrue(again.getMessage().contains("already carries a C2PA"), again.getMessage());
        byte[] cut = java.util.Arrays.copyOf(labelled, labelled.length - 3);
        java.nio.ByteBuffer.wrap(cut).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, cut.length - 8);
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT,
                assertThrows(AigcmarkException.class, () -> C2paSigner.webpEnd(cut)).reason(), "a chunk past the end");
    }

    @Test
    void otherFormatsAndFilesWithAStoreAreRefused() {
        AigcmarkException md = assertThrows(AigcmarkException.class,
                () -> LABELER.label(Fixtures.bytes("docs/front-matter.md"), REQUEST));
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, md.reason());
        assertTrue(md.getMessage().contains("JPEG, PNG, WebP and MP4/MOV only"), md.getMessage());
        for (byte[] signed : List.of(labelled(), LABELER.label(Fixtures.bytes("png/grey.png"), REQUEST).bytes(),
                LABELER.label(Fixtures.bytes("webp/lossy.webp"), REQUEST).bytes())) {
            // the signer alone never replaces a store (Labeler continues it as a parent: C2paParentTest)
            AigcmarkException again = assertThrows(AigcmarkException.class,
                    () -> C2paSigner.sign(signed, PLAIN_LABEL, SIGNING));
            assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, again.reason());
            assertTrue(again.getMessage().contains("already carries a C2PA"), again.getMessage());
        }
    }

    /** Ed25519 (COSE EdDSA, -8): a signer certificate with an Ed25519 key under the P-256 test CA. */
    @Test
    void anEd25519SignerWritesAnEdDsaSignatureThatValidatesAndBreaksOnTampering() throws Exception {
        KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        C2paSigning signing = new C2paSigning(ed.getPrivate(), List.of(cert("CN=c2pa ed25519 signer", ed, CA_KEYS, false), CA));
        assertEquals(-8, signing.coseAlgorithm());
        for (String fixture : List.of("jpeg/plain.jpg", "png/grey.png")) {
            byte[] out = LABELER.label(Fixtures.bytes(fixture), REQUEST.withC2pa(signing)).bytes();
            C2paValidator.Result r = validate(out);
            assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
            assertEquals("EdDSA", r.algorithm());
            byte[] tampered = out.clone();
            tampered[out.length - 30] ^= 0x01; // image data near the end (JPEG scan, PNG IDAT)
            assertEquals(C2paValidator.Status.INVALID, validate(tampered).status(), fixture);
            if (Files.isDirectory(c2paTs().resolve("node_modules/@trustnxt/c2pa-ts"))) {
                Path script = c2paTsScript();
                String ok = TestSupport.run("node", script.toString(), TestSupport.temp("ed-" + fixture.replace('/', '-'), out).toString());
                assertTrue(ok.contains("isValid true") && ok.contains("claimSignature.validated")
                        && ok.contains("assertion.dataHash.match"), ok);
                String bad = TestSupport.run("node", script.toString(), TestSupport.temp("ed-bad-" + fixture.replace('/', '-'), tampered).toString());
                assertTrue(bad.contains("isValid false"), bad);
            }
        }
        // a key of another type than the certificate's is refused, whichever way round
        AigcmarkException mixed = assertThrows(AigcmarkException.class,
                () -> new C2paSigning(ed.getPrivate(), SIGNING.chain()));
        assertEquals(AigcmarkException.Reason.KEY_INVALID, mixed.reason());
        assertThrows(AigcmarkException.class, () -> new C2paSigning(SIGNER_KEYS.getPrivate(), signing.chain()));
        KeyPair ed448 = java.security.KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThrows(AigcmarkException.class, () -> new C2paSigning(ed448.getPrivate(), signing.chain()));
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> new C2paSigning(ec().getPrivate(), SIGNING.chain()));
        assertEquals(AigcmarkException.Reason.KEY_INVALID, e.reason());
        assertThrows(AigcmarkException.class, () -> new C2paSigning(CA_KEYS.getPrivate(), List.of(CA)));
    }

    static KeyPair ec() {
        return C2paSyntheticManifestTest.ec();
    }

    static X509Certificate cert(String subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca) {
        return cert(subject, subjectKeys, issuerKeys, ca, 0);
    }

    private static X509Certificate cert(String subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca, int padding) {
        try {
            long now = System.currentTimeMillis();
            var b = new JcaX509v3CertificateBuilder(new X500Name(ca ? subject : "CN=c2pa signer test CA"),
                    BigInteger.valueOf(now), new Date(now - 86_400_000L), new Date(now + 365 * 86_400_000L),
                    new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign : KeyUsage.digitalSignature));
            // the C2PA certificate profile, which c2pa-ts checks: SKI on a CA, AKI and an EKU on a signer
            var ids = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (padding > 0) {
                b.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), false,
                        new org.bouncycastle.asn1.DEROctetString(new byte[padding]));
            }
            if (!ca) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
