package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.Labeler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validation against files signed by an independent implementation (@trustnxt/c2pa-ts, see
 * testdata/SOURCES-c2pa.md), with the test-only root CA as the trust anchor.
 */
class C2paValidatorTest {
    private static final List<X509Certificate> ROOT = C2paValidator.readPem(Fixtures.path("c2pa/test-root-ca.pem"));
    private static final List<X509Certificate> OTHER = C2paValidator.readPem(Fixtures.path("c2pa/test-other-ca.pem"));

    private static C2paReader.Summary summary(String fixture, List<X509Certificate> anchors) {
        InspectReport r = Labeler.create().inspect(bytes(fixture), fixture, List.of(), new C2paValidator(anchors));
        assertEquals(1, r.c2paManifests().size(), fixture);
        assertEquals(false, r.damaged(), fixture + " must be a well-formed file, so only the C2PA checks can notice: "
                + r.problems());
        return r.c2paManifests().get(0);
    }

    private static byte[] bytes(String fixture) {
        try {
            return Files.readAllBytes(Fixtures.path(fixture));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void aGoodManifestIsValidWithItsRootAsAnchor(String ext) {
        C2paReader.Summary s = summary("c2pa/signed." + ext, ROOT);
        C2paValidator.Result v = s.validation();
        assertEquals(C2paValidator.Status.VALID, v.status(), v.reason());
        assertNull(v.reason());
        assertEquals("ES256", v.algorithm());
        assertTrue(v.signer().contains("aigcmark TEST C2PA signer"), v.signer());
        assertEquals(List.of("claimSignature.validated", "assertion.hashedURI.match", "assertion.hashedURI.match",
                "assertion.dataHash.match", "signingCredential.trusted"), v.codes());
        assertTrue(s.declaresAi());
        assertEquals("aigcmark-fixture-maker/1.0", s.claimGenerator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void aGoodManifestIsUntrustedWithoutAnchorsOrWithAnUnrelatedOne(String ext) {
        for (List<X509Certificate> anchors : List.of(List.<X509Certificate>of(), OTHER)) {
            C2paValidator.Result v = summary("c2pa/signed." + ext, anchors).validation();
            assertEquals(C2paValidator.Status.UNTRUSTED, v.status(), v.reason());
            assertTrue(v.codes().contains("claimSignature.validated"));
            assertTrue(v.codes().contains("assertion.dataHash.match"));
            assertTrue(v.codes().contains("signingCredential.untrusted"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void trustingTheSignerCertificateItselfIsEnough(String ext) {
        List<X509Certificate> signer = C2paValidator.readPem(Fixtures.path("c2pa/test-signer.pem"));
        assertEquals(C2paValidator.Status.VALID, summary("c2pa/signed." + ext, signer).validation().status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void changedPixelsBreakTheHardBinding(String ext) {
        C2paValidator.Result v = summary("c2pa/tampered-pixels." + ext, ROOT).validation();
        assertEquals(C2paValidator.Status.INVALID, v.status());
        assertTrue(v.reason().startsWith("binding:"), v.reason());
        assertTrue(v.codes().contains("claimSignature.validated"), "the claim itself is intact");
        assertTrue(v.codes().contains("assertion.dataHash.mismatch"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void aChangedClaimBreaksTheSignature(String ext) {
        C2paReader.Summary s = summary("c2pa/tampered-claim." + ext, ROOT);
        C2paValidator.Result v = s.validation();
        assertEquals(C2paValidator.Status.INVALID, v.status());
        assertTrue(v.reason().startsWith("signature:"), v.reason());
        assertEquals(List.of("claimSignature.mismatch"), v.codes());
        assertEquals("aigcmark-fixture-FAKER/1.0", s.claimGenerator(), "the reader still reports what the claim says");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void aChangedAssertionBreaksItsHashedUri(String ext) throws Exception {
        // Change the software agent inside the signed actions assertion: the claim (and its signature) are intact,
        // but the assertion no longer matches the hash the claim lists for it.
        byte[] b = bytes("c2pa/signed." + ext);
        byte[] agent = "aigcmark test generator".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = org.aigcmark.TestSupport.indexOf(b, agent);
        assertTrue(at > 0);
        b[at] = 'A';
        if (ext.equals("png")) {
            fixPngCrcs(b);
        }
        InspectReport r = Labeler.create().inspect(b, "x." + ext, List.of(), new C2paValidator(ROOT));
        C2paValidator.Result v = r.c2paManifests().get(0).validation();
        assertEquals(C2paValidator.Status.INVALID, v.status());
        assertTrue(v.reason().startsWith("assertion hash:"), v.reason());
        assertTrue(v.codes().contains("assertion.hashedURI.mismatch"));
    }

    @org.junit.jupiter.api.Test
    void derEncodedEcdsaAsC2paTsWritesItIsAcceptedAndFlagged() {
        C2paValidator.Result v = summary("c2pa/signed-der-ecdsa.jpg", ROOT).validation();
        assertEquals(C2paValidator.Status.VALID, v.status(), v.reason());
        assertTrue(v.codes().contains(C2paValidator.DER_ECDSA_CODE));
        assertTrue(!summary("c2pa/signed.jpg", ROOT).validation().codes().contains(C2paValidator.DER_ECDSA_CODE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"labeled/c2pa-app11-jumbf.jpg", "labeled/c2pa-cabx.png"})
    void unsignedManifestsAreAbsent(String fixture) {
        C2paValidator.Result v = summary(fixture, ROOT).validation();
        assertEquals(C2paValidator.Status.ABSENT, v.status());
        assertNotNull(v.reason());
    }

    @org.junit.jupiter.api.Test
    void withoutAssetBytesNothingIsChecked() {
        assertEquals(C2paValidator.Status.UNCHECKED, C2paReader.read(new byte[0]).validation().status());
    }

    @org.junit.jupiter.api.Test
    void hostileSignatureBoxesAreInvalidNotExceptions() {
        // Every single-byte corruption of the manifest store must produce a result, never an exception.
        byte[] file = bytes("c2pa/signed.jpg");
        InspectReport good = Labeler.create().inspect(file, "x.jpg", List.of(), new C2paValidator(ROOT));
        assertEquals(C2paValidator.Status.VALID, good.c2paManifests().get(0).validation().status());
        int start = org.aigcmark.TestSupport.indexOf(file, "c2pa.signature".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] b = Arrays.copyOf(file, file.length);
            int p = start + rnd.nextInt(Math.min(1500, file.length - start));
            b[p] ^= (byte) (1 + rnd.nextInt(255));
            InspectReport r = Labeler.create().inspect(b, "x.jpg", List.of(), new C2paValidator(ROOT));
            for (C2paReader.Summary s : r.c2paManifests()) {
                assertNotNull(s.validation().status());
            }
        }
    }


    private static void fixPngCrcs(byte[] b) {
        int p = 8;
        while (p + 12 <= b.length) {
            int n = ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(b, p + 4, n + 4);
            long c = crc.getValue();
            int q = p + 8 + n;
            b[q] = (byte) (c >> 24);
            b[q + 1] = (byte) (c >> 16);
            b[q + 2] = (byte) (c >> 8);
            b[q + 3] = (byte) c;
            p = q + 4;
        }
    }
}
