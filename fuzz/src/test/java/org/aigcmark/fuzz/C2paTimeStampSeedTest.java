package org.aigcmark.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.format.c2pa.C2paSigning;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.testdata.Allocations;
import org.aigcmark.testdata.Fixtures;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.junit.jupiter.api.Test;

/**
 * The c2pa target's time-stamped seed ({@code writer-es256-timestamped.jumbf}): the store our manifest builder writes
 * when {@link Labeler#label} signs {@code png/grey.png} with the test signer (chained to {@code c2pa/test-root-ca.pem})
 * and a time-stamp authority: an RFC 3161 token over the signature ({@code sigTst2}) from a TSA in this JVM (BouncyCastle's tsp classes behind the JDK's HTTP server on loopback). So the campaign's validation reaches
 * the token reader with a signature that verifies: the token sits in the COSE unprotected header, which the signature
 * does not cover, and every mutation of it is read as a hostile token.
 *
 * <p>Regenerate the seed with {@code -Daigcmark.fuzz.writeC2paSeed=true} (see docs/FUZZING.md); without it the test
 * builds a fresh store and checks it, and checks the committed one.
 */
class C2paTimeStampSeedTest {
    static final Path SEED = Path.of("src/test/resources/org/aigcmark/fuzz/ComponentFuzzTestInputs/c2pa/writer-es256-timestamped.jumbf");
    static final Labeler LABELER = Labeler.create();
    static final C2paValidator TRUST = C2paValidator.fromPemFiles(List.of(Fixtures.path("c2pa/test-root-ca.pem")));
    static final byte[] ASSET = Fixtures.bytes("c2pa/signed.png");
    /** The start of a DER CMS ContentInfo holding SignedData (a TimeStampToken): SEQUENCE, 2-byte length, the OID. */
    static final byte[] SIGNED_DATA_PREFIX = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 7, 2};

    @Test
    void aStoreStampedByALocalTsaValidatesWithItsTimeStamp() throws Exception {
        Stamped s = stampedStore();
        C2paValidator.Result r = TRUST.validate(s.store(), s.asset());
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason() + " " + r.codes());
        assertTrue(r.codes().contains("timeStamp.validated"), r.codes().toString());
        assertEquals("CN=aigcmark fuzz seed TSA", r.timeStamp().tsa());
        if (Boolean.getBoolean("aigcmark.fuzz.writeC2paSeed")) {
            Files.write(SEED, s.store());
        }
    }

    /**
     * The committed seed, validated as the c2pa target validates (against {@code c2pa/signed.png}, whose bytes its hard
     * binding does not cover): its signature and time-stamp validate. Every byte of its token mutated in turn
     * (inverted, or 0x84: a four-byte DER length where a length was) ends in a typed time-stamp result of the token reader
     * (validated where the byte does not matter, malformed, mismatch, outside validity), never the catch-all of an
     * escaped exception, with the bytes allocated per validation bounded (as data, not time).
     */
    @Test
    void everyMutationOfTheSeedsTokenIsReadAsAHostileToken() throws Exception {
        byte[] seed = Files.readAllBytes(SEED);
        C2paValidator.Result clean = TRUST.validate(seed, ASSET);
        assertTrue(clean.codes().containsAll(List.of("claimSignature.validated", "timeStamp.validated")), clean.codes().toString());
        int at = indexOf(seed, SIGNED_DATA_PREFIX) - 4;
        assertTrue(at > 0 && seed[at] == 0x30 && seed[at + 1] == (byte) 0x82, "the token is a DER SEQUENCE with a 2-byte length");
        int end = at + 4 + ((seed[at + 2] & 0xFF) << 8 | (seed[at + 3] & 0xFF));
        Map<String, Integer> outcomes = new TreeMap<>();
        long mostAllocated = 0;
        for (int i = at; i < end; i++) {
            byte[] mutated = seed.clone();
            mutated[i] = (i & 1) == 0 || seed[i] == (byte) 0x84 ? (byte) ~seed[i] : (byte) 0x84;
            C2paValidator.Result[] r = new C2paValidator.Result[1];
            mostAllocated = Math.max(mostAllocated, Allocations.allocated(() -> r[0] = TRUST.validate(mutated, ASSET)));
            String code = r[0].codes().stream().filter(c -> c.startsWith("timeStamp.")).findFirst()
                    .orElse("none: " + r[0].codes() + " " + r[0].reason());
            outcomes.merge(code, 1, Integer::sum);
        }
        System.out.println("time-stamp token of " + (end - at) + " bytes, mutated: " + outcomes + ", at most "
                + (mostAllocated >> 10) + " KiB allocated by a validation");
        assertTrue(outcomes.keySet().stream().allMatch(c -> c.startsWith("timeStamp.")), outcomes.toString());
        assertTrue(outcomes.getOrDefault("timeStamp.malformed", 0) > 0 && outcomes.getOrDefault("timeStamp.mismatch", 0) > 0,
                outcomes.toString());
        assertTrue(mostAllocated < (16L << 20), "a validation allocated " + (mostAllocated >> 20) + " MiB");
    }

    static int indexOf(byte[] b, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= b.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (b[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A manifest store and the asset it was embedded in. */
    record Stamped(byte[] store, byte[] asset) {}

    /**
     * {@code png/grey.png} labelled with a C2PA manifest signed by the test signer and time-stamped by a TSA on loopback
     * (up for the duration of the call), and its store.
     */
    static Stamped stampedStore() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair tsaKeys = g.generateKeyPair();
        long now = System.currentTimeMillis();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=aigcmark fuzz seed TSA"), BigInteger.valueOf(now),
                new Date(now - 86_400_000L), new Date(now + 20 * 365 * 86_400_000L), new X500Name("CN=aigcmark fuzz seed TSA"),
                tsaKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(tsaKeys.getPrivate())));
        TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", tsaKeys.getPrivate(), cert),
                new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)),
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.16"));
        tokens.addCertificates(new JcaCertStore(List.of(cert)));
        TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
        HttpServer tsa = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tsa.createContext("/tsa", ex -> {
            byte[] out;
            int status = 200;
            try {
                TimeStampRequest req = new TimeStampRequest(ex.getRequestBody().readNBytes(1 << 16));
                out = responses.generate(req, BigInteger.ONE, new Date()).getEncoded();
            } catch (Exception e) {
                status = 500;
                out = e.toString().getBytes(StandardCharsets.UTF_8);
            }
            try (ex) {
                ex.sendResponseHeaders(status, out.length);
                ex.getResponseBody().write(out);
            }
        });
        tsa.setExecutor(java.util.concurrent.Executors.newSingleThreadExecutor());
        tsa.start();
        try {
            C2paSigning signing = C2paSigning.fromPemFiles(Fixtures.path("c2pa/test-signer.pem"), Fixtures.path("c2pa/test-signer.key"))
                    .withTimeStampAuthority(URI.create("http://127.0.0.1:" + tsa.getAddress().getPort() + "/tsa"));
            byte[] asset = LABELER.label(Fixtures.bytes("png/grey.png"), "grey.png",
                    LabelRequest.produced("001191310000000000000000000", "fuzz-seed-timestamped").withC2pa(signing)).bytes();
            byte[] store = LABELER.handlerFor(asset, "grey.png").scan(asset, LABELER.limits()).c2paStores().get(0);
            return new Stamped(store, asset);
        } finally {
            tsa.stop(0);
        }
    }
}
