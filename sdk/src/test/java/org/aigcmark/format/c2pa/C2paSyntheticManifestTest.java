package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * Code paths the c2pa-ts fixtures do not reach (other algorithms, header placements, attached payloads, other
 * bindings, hostile exclusions), on manifest stores built and signed here. The JUMBF/COSE layout mirrors the
 * c2pa-ts fixtures, which {@link C2paValidatorTest} checks against an independent implementation.
 */
class C2paSyntheticManifestTest {
    private static final CBORMapper CBOR = new CBORMapper();
    private static final byte[] ASSET = "pretend these are the image bytes".getBytes(StandardCharsets.US_ASCII);

    /** What to build; every field has a sane default so each test changes one thing. */
    static final class Spec {
        int alg = -7;
        KeyPair keys;
        List<X509Certificate> chain;
        boolean chainInProtected = true;
        boolean tagged = true;
        byte[] attachedPayload;
        boolean dataHash = true;
        String otherBinding;
        List<long[]> exclusions = List.of();
        byte[] hashedAsset = ASSET;
        boolean breakAssertionHash;
    }

    private static final KeyPair ROOT_KEYS = ec();
    private static final X509Certificate ROOT = cert("CN=synthetic root", ROOT_KEYS, "CN=synthetic root", ROOT_KEYS.getPrivate(),
            "SHA256withECDSA", true);

    @Test
    void es256WithTheRootAsAnchorIsValidAndUntrustedWithout() {
        Spec s = es256();
        byte[] store = build(s);
        assertEquals(C2paValidator.Status.VALID, new C2paValidator(List.of(ROOT)).validate(store, ASSET).status());
        assertEquals(C2paValidator.Status.UNTRUSTED, C2paValidator.NO_ANCHORS.validate(store, ASSET).status());
    }

    @Test
    void untaggedCoseWithTheChainInTheUnprotectedHeader() {
        Spec s = es256();
        s.tagged = false;
        s.chainInProtected = false;
        C2paValidator.Result r = new C2paValidator(List.of(ROOT)).validate(build(s), ASSET);
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
    }

    @Test
    void ed25519AndPs256Verify() throws Exception {
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        Spec s = new Spec();
        s.alg = -8;
        s.keys = ed.generateKeyPair();
        s.chain = List.of(cert("CN=ed signer", s.keys, "CN=synthetic root", ROOT_KEYS.getPrivate(), "SHA256withECDSA", false));
        C2paValidator.Result r = new C2paValidator(List.of(ROOT)).validate(build(s), ASSET);
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
        assertEquals("EdDSA", r.algorithm());

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Spec p = new Spec();
        p.alg = -37;
        p.keys = rsa.generateKeyPair();
        p.chain = List.of(cert("CN=rsa signer", p.keys, "CN=synthetic root", ROOT_KEYS.getPrivate(), "SHA256withECDSA", false));
        r = new C2paValidator(List.of(ROOT)).validate(build(p), ASSET);
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
        assertEquals("PS256", r.algorithm());
    }

    @Test
    void anUnknownAlgorithmIsUnsupported() {
        Spec s = es256();
        s.alg = -47; // ES256K: not in the C2PA list
        assertEquals(C2paValidator.Status.UNSUPPORTED, C2paValidator.NO_ANCHORS.validate(build(s), ASSET).status());
    }

    @Test
    void anAttachedPayloadMustBeTheClaim() {
        Spec s = es256();
        s.attachedPayload = "a different claim".getBytes(StandardCharsets.US_ASCII);
        C2paValidator.Result r = new C2paValidator(List.of(ROOT)).validate(build(s), ASSET);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.codes().contains("claimSignature.mismatch"));
    }

    @Test
    void bindingsOtherThanDataHashAreUnsupportedAndNoBindingIsInvalid() {
        Spec s = es256();
        s.dataHash = false;
        s.otherBinding = "c2pa.hash.boxes";
        assertEquals(C2paValidator.Status.UNSUPPORTED, C2paValidator.NO_ANCHORS.validate(build(s), ASSET).status());
        // the BMFF binding is implemented (C2paBmffTest): one without a file hash binds nothing
        s.otherBinding = "c2pa.hash.bmff.v3";
        assertEquals(C2paValidator.Status.INVALID, C2paValidator.NO_ANCHORS.validate(build(s), ASSET).status());
        s.otherBinding = null;
        C2paValidator.Result r = C2paValidator.NO_ANCHORS.validate(build(s), ASSET);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.codes().contains("claim.hardBindings.missing"));
    }

    @Test
    void exclusionsMustStayInsideTheFileNotOverlapAndNotCoverTheContent() {
        byte[] asset = new byte[100_000];
        Spec s = es256();
        s.hashedAsset = new byte[0];
        s.exclusions = List.of(new long[] {0, asset.length}); // everything excluded: nothing bound
        C2paValidator.Result r = C2paValidator.NO_ANCHORS.validate(build(s), asset);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.reason().contains("more than"), r.reason());

        s.exclusions = List.of(new long[] {10, asset.length}); // past the end
        assertTrue(C2paValidator.NO_ANCHORS.validate(build(s), asset).reason().contains("outside"));

        s.exclusions = List.of(new long[] {10, 20}, new long[] {15, 20});
        assertTrue(C2paValidator.NO_ANCHORS.validate(build(s), asset).reason().contains("overlapping"));
    }

    @Test
    void anExcludedRangeIsNotHashed() {
        byte[] asset = "AAAA<manifest here>BBBB".getBytes(StandardCharsets.US_ASCII);
        Spec s = es256();
        s.hashedAsset = "AAAABBBB".getBytes(StandardCharsets.US_ASCII);
        s.exclusions = List.of(new long[] {4, asset.length - 8});
        assertEquals(C2paValidator.Status.VALID, new C2paValidator(List.of(ROOT)).validate(build(s), asset).status());
        asset[2] = 'x';
        assertEquals(C2paValidator.Status.INVALID, new C2paValidator(List.of(ROOT)).validate(build(s), asset).status());
    }

    @Test
    void aWrongAssertionHashIsInvalid() {
        Spec s = es256();
        s.breakAssertionHash = true;
        C2paValidator.Result r = new C2paValidator(List.of(ROOT)).validate(build(s), ASSET);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.codes().contains("assertion.hashedURI.mismatch"));
    }

    @Test
    void aCaCertificateMayNotSignClaims() {
        Spec s = es256();
        s.keys = ROOT_KEYS;
        s.chain = List.of(ROOT);
        C2paValidator.Result r = new C2paValidator(List.of(ROOT)).validate(build(s), ASSET);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.reason().startsWith("signing credential:"), r.reason());
    }

    @Test
    void hashedUriResolution() {
        assertEquals("c2pa.actions", C2paValidator.assertionLabel("self#jumbf=c2pa.assertions/c2pa.actions", "m"));
        assertEquals("c2pa.actions", C2paValidator.assertionLabel("self#jumbf=/c2pa/m/c2pa.assertions/c2pa.actions", "m"));
        assertEquals(null, C2paValidator.assertionLabel("self#jumbf=/c2pa/other/c2pa.assertions/c2pa.actions", "m"));
        assertEquals(null, C2paValidator.assertionLabel("https://example.com/x", "m"));
        assertEquals(null, C2paValidator.assertionLabel("self#jumbf=c2pa.assertions/a/b", "m"));
    }

    // ---------------------------------------------------------------- building

    private static Spec es256() {
        Spec s = new Spec();
        s.keys = ec();
        s.chain = List.of(cert("CN=synthetic signer", s.keys, "CN=synthetic root", ROOT_KEYS.getPrivate(), "SHA256withECDSA", false),
                ROOT);
        return s;
    }

    static byte[] build(Spec s) {
        try {
            List<byte[]> assertions = new ArrayList<>();
            List<Map<String, Object>> refs = new ArrayList<>();
            if (s.dataHash) {
                List<Map<String, Object>> ex = new ArrayList<>();
                for (long[] e : s.exclusions) {
                    ex.add(Map.of("start", e[0], "length", e[1]));
                }
                Map<String, Object> dh = new LinkedHashMap<>();
                dh.put("exclusions", ex);
                dh.put("alg", "sha256");
                dh.put("hash", MessageDigest.getInstance("SHA-256").digest(s.hashedAsset));
                assertions.add(superbox("c2pa.hash.data", box("cbor", CBOR.writeValueAsBytes(dh))));
            }
            if (s.otherBinding != null) {
                assertions.add(superbox(s.otherBinding, box("cbor", CBOR.writeValueAsBytes(Map.of("alg", "sha256")))));
            }
            assertions.add(superbox("c2pa.actions.v2", box("cbor", CBOR.writeValueAsBytes(Map.of("actions",
                    List.of(Map.of("action", "c2pa.created",
                            "digitalSourceType", "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")))))));
            for (byte[] a : assertions) {
                String label = labelOf(a);
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(a, 8, a.length));
                if (s.breakAssertionHash) {
                    hash[0] ^= 1;
                }
                refs.add(Map.of("url", "self#jumbf=c2pa.assertions/" + label, "hash", hash));
            }
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("instanceID", "xmp:iid:synthetic");
            claim.put("claim_generator_info", List.of(Map.of("name", "synthetic test")));
            claim.put("signature", "self#jumbf=c2pa.signature");
            claim.put("created_assertions", refs);
            claim.put("alg", "sha256");
            byte[] claimBytes = CBOR.writeValueAsBytes(claim);

            ByteArrayOutputStream prot = new ByteArrayOutputStream();
            ByteArrayOutputStream chain = new ByteArrayOutputStream();
            head(chain, 4, s.chain.size());
            for (X509Certificate c : s.chain) {
                bstr(chain, c.getEncoded());
            }
            head(prot, 5, s.chainInProtected ? 2 : 1);
            prot.write(0x01);
            integer(prot, s.alg);
            if (s.chainInProtected) {
                prot.write(0x18);
                prot.write(33);
                prot.writeBytes(chain.toByteArray());
            }
            byte[] protectedBytes = prot.toByteArray();
            byte[] signature = sign(s, C2paValidator.sigStructure(protectedBytes, claimBytes));

            ByteArrayOutputStream cose = new ByteArrayOutputStream();
            if (s.tagged) {
                cose.write(0xD2);
            }
            cose.write(0x84);
            bstr(cose, protectedBytes);
            if (s.chainInProtected) {
                cose.write(0xA0);
            } else {
                cose.write(0xA1);
                cose.write(0x18);
                cose.write(33);
                cose.writeBytes(chain.toByteArray());
            }
            if (s.attachedPayload == null) {
                cose.write(0xF6);
            } else {
                bstr(cose, s.attachedPayload);
            }
            bstr(cose, signature);

            byte[] assertionStore = superbox("c2pa.assertions", assertions.toArray(byte[][]::new));
            byte[] manifest = superbox("urn:uuid:synthetic", assertionStore, superbox("c2pa.claim.v2", box("cbor", claimBytes)),
                    superbox("c2pa.signature", box("cbor", cose.toByteArray())));
            return superbox("c2pa", manifest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(Spec s, byte[] tbs) throws Exception {
        PrivateKey k = s.keys.getPrivate();
        Signature sig;
        switch (s.alg) {
            case -8 -> sig = Signature.getInstance("Ed25519");
            case -37 -> {
                sig = Signature.getInstance("RSASSA-PSS");
                sig.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            }
            default -> sig = Signature.getInstance("SHA256withECDSAinP1363Format");
        }
        sig.initSign(k);
        sig.update(tbs);
        return sig.sign();
    }

    private static String labelOf(byte[] superbox) {
        int p = 8 + 8 + 16 + 1; // jumb header, jumd header, type UUID, toggles
        int e = p;
        while (superbox[e] != 0) {
            e++;
        }
        return new String(superbox, p, e - p, StandardCharsets.UTF_8);
    }

    // This test writes its JUMBF by hand on purpose, apart from C2paManifestBuilder: it is the reader's independent
    // fixture maker, so a box-layout slip in the builder cannot hide in a reader test built on the same code.
    private static byte[] superbox(String label, byte[]... children) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.writeBytes(new byte[16]);
        d.write(0x03);
        d.writeBytes(label.getBytes(StandardCharsets.UTF_8));
        d.write(0);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(box("jumd", d.toByteArray()));
        for (byte[] c : children) {
            body.writeBytes(c);
        }
        return box("jumb", body.toByteArray());
    }

    private static byte[] box(String type, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int len = payload.length + 8;
        o.write(len >>> 24);
        o.write(len >>> 16);
        o.write(len >>> 8);
        o.write(len);
        o.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        o.writeBytes(payload);
        return o.toByteArray();
    }

    private static void bstr(ByteArrayOutputStream o, byte[] b) {
        head(o, 2, b.length);
        o.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream o, int v) {
        if (v >= 0) {
            head(o, 0, v);
        } else {
            head(o, 1, -1 - v);
        }
    }

    private static void head(ByteArrayOutputStream o, int major, int len) {
        if (len < 24) {
            o.write(major << 5 | len);
        } else if (len < 256) {
            o.write(major << 5 | 24);
            o.write(len);
        } else {
            o.write(major << 5 | 25);
            o.write(len >>> 8);
            o.write(len);
        }
    }

    /** A fresh P-256 key pair (C2paSignerTest uses it too). */
    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate cert(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                        String sigAlg, boolean ca) {
        try {
            long now = System.currentTimeMillis();
            var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now),
                    new Date(now - 86_400_000L), new Date(now + 365 * 86_400_000L), new X500Name(subject),
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(sigAlg).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
