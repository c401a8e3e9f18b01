package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ContainerScan;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 3161 time-stamps on C2PA claim signatures ({@code sigTst2}), against a local time-stamp authority started on
 * loopback in this JVM: BouncyCastle's {@link TimeStampResponseGenerator} behind the JDK's {@link HttpServer}, with
 * a TSA certificate (EKU timeStamping) issued by the signer test CA.
 */
class C2paTimeStampTest {
    private static final Labeler LABELER = Labeler.create();
    private static HttpServer tsa;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    /** When set, the TSA stamps this imprint instead of the one asked for (a broken or lying TSA). */
    private static volatile byte[] wrongImprint;
    private static URI tsaUri;

    @BeforeAll
    static void startTsa() throws Exception {
        KeyPair keys = C2paSignerTest.ec();
        long now = System.currentTimeMillis();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=c2pa signer test CA"), BigInteger.valueOf(now),
                new Date(now - 86_400_000L), new Date(now + 365 * 86_400_000L), new X500Name("CN=aigcmark TEST TSA"),
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(C2paSignerTest.CA_KEYS.getPrivate())));
        TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", keys.getPrivate(), cert),
                new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)),
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.7"));
        tokens.addCertificates(new JcaCertStore(List.of(cert)));
        TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
        tsa = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tsa.createContext("/tsa", ex -> {
            int status = 200;
            byte[] out;
            try {
                TimeStampRequest req = new TimeStampRequest(ex.getRequestBody().readNBytes(1 << 16));
                if (wrongImprint != null) {
                    req = new org.bouncycastle.tsp.TimeStampRequestGenerator() {{ setCertReq(true); }}
                            .generate(TSPAlgorithms.SHA256, wrongImprint, req.getNonce());
                }
                out = responses.generate(req, BigInteger.valueOf(REQUESTS.incrementAndGet()), new Date()).getEncoded();
            } catch (Exception e) {
                // answered, not a closed connection: the client then names the problem
                status = 500;
                out = e.toString().getBytes(StandardCharsets.UTF_8);
            }
            try (ex) {
                ex.getResponseHeaders().add("Content-Type", status == 200 ? "application/timestamp-reply" : "text/plain");
                ex.sendResponseHeaders(status, out.length);
                ex.getResponseBody().write(out);
            }
        });
        // Its own threads: the JDK server's single dispatcher thread would also run the handler (BouncyCastle's signing).
        tsa.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        tsa.start();
        tsaUri = URI.create("http://127.0.0.1:" + tsa.getAddress().getPort() + "/tsa");
    }

    @AfterAll
    static void stopTsa() {
        if (tsa != null) {
            tsa.stop(0);
        }
    }

    private static LabelRequest stamped() {
        return C2paSignerTest.REQUEST.withC2pa(C2paSignerTest.SIGNING.withTimeStampAuthority(tsaUri));
    }

    private static C2paValidator.Result validate(byte[] file, String name) {
        ContainerScan scan = LABELER.handlerFor(file, name).scan(file, LABELER.limits());
        return C2paSignerTest.TRUST_CA.validate(scan.c2paStores().get(0), file);
    }

    @Test
    void aTimeStampFromTheTsaIsWrittenAsSigTst2AndReportedWithItsTime() {
        Instant before = Instant.now().minusSeconds(2);
        int asked = REQUESTS.get();
        for (String fixture : List.of("jpeg/plain.jpg", "video/sample-360p-2s5.mp4")) {
            byte[] out = LABELER.label(Fixtures.bytes(fixture), stamped()).bytes();
            C2paValidator.Result r = validate(out, fixture);
            assertEquals(C2paValidator.Status.VALID, r.status(), fixture + ": " + r.reason());
            assertTrue(r.codes().contains("timeStamp.validated"), r.codes().toString());
            assertNotNull(r.timeStamp());
            assertNull(r.timeStamp().problem());
            assertEquals("CN=aigcmark TEST TSA", r.timeStamp().tsa());
            assertTrue(!r.timeStamp().time().isBefore(before) && !r.timeStamp().time().isAfter(Instant.now().plusSeconds(2)),
                    r.timeStamp().time().toString());
            String store = new String(LABELER.handlerFor(out, fixture).scan(out, LABELER.limits()).c2paStores().get(0),
                    StandardCharsets.ISO_8859_1);
            assertTrue(store.contains("sigTst2") && store.contains("tstTokens"), "the v2 header");
        }
        assertTrue(REQUESTS.get() > asked, "the TSA was asked");
        // none by default
        byte[] plain = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST).bytes();
        assertNull(validate(plain, "plain.jpg").timeStamp());
        assertTrue(!new String(plain, StandardCharsets.ISO_8859_1).contains("sigTst"));
    }

    /** Every nonce is a minimal positive DER INTEGER: one in 256 had a leading zero byte, which a strict TSA refuses. */
    @Test
    void theNonceIsAlwaysAMinimalDerInteger() throws Exception {
        java.security.SecureRandom random = java.security.SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] n = C2paTimeStamps.nonce(random);
            assertTrue(n[0] > 0, "the first byte is 0x01..0x7F: " + n[0]);
            // BouncyCastle's strict reading of the same bytes as an INTEGER
            new org.bouncycastle.asn1.ASN1Integer(new org.bouncycastle.asn1.DEROctetString(n).getOctets());
        }
    }

    @Test
    void aChangedTimeStampTimeIsAMismatch() {
        byte[] out = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), stamped()).bytes();
        String text = new String(out, StandardCharsets.ISO_8859_1);
        Matcher genTime = Pattern.compile("\u0018[\u000f-\u0020](20\\d{12})").matcher(text); // GeneralizedTime in TSTInfo
        assertTrue(genTime.find(), "a GeneralizedTime in the token");
        byte[] tampered = out.clone();
        int at = genTime.start(1) + 11; // a minutes digit
        tampered[at] = (byte) (tampered[at] == '0' ? '1' : '0');
        C2paValidator.Result r = validate(tampered, "t.jpg");
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.codes().contains("timeStamp.mismatch") && r.reason().startsWith("time-stamp:"), r.codes() + " " + r.reason());
    }

    @Test
    void aTsaThatStampsSomethingElseOrCannotBeReachedIsRefused() throws Exception {
        wrongImprint = MessageDigest.getInstance("SHA-256").digest("not the signature".getBytes(StandardCharsets.US_ASCII));
        try {
            AigcmarkException e = assertThrows(AigcmarkException.class,
                    () -> LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), stamped()));
            assertTrue(e.getMessage().contains("message imprint"), e.getMessage());
        } finally {
            wrongImprint = null;
        }
        HttpServer closed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = closed.getAddress().getPort();
        closed.stop(0); // nothing listens there now
        AigcmarkException down = assertThrows(AigcmarkException.class, () -> LABELER.label(Fixtures.bytes("jpeg/plain.jpg"),
                C2paSignerTest.REQUEST.withC2pa(C2paSignerTest.SIGNING.withTimeStampAuthority(URI.create("http://127.0.0.1:" + port + "/")))));
        assertEquals(AigcmarkException.Reason.INPUT_UNREADABLE, down.reason());
        assertThrows(AigcmarkException.class, () -> C2paSignerTest.SIGNING.withTimeStampAuthority(URI.create("file:///etc/passwd")));
    }

    /**
     * A known incompatibility, pinned so that an upgrade shows up: C2PA 2.x stores a v2 time-stamp's
     * {@code TimeStampToken} in {@code val} (as c2pa-rs writes and reads it), while c2pa-ts 0.9.4 parses {@code val}
     * as a whole {@code TimeStampResp} ({@code Signature.readTimestamps}) and rejects the signature box. When this
     * fails because c2pa-ts says {@code isValid true}, c2pa-ts has caught up: assert that instead.
     */
    @Test
    void c2paTs094CannotReadASpecConformingV2TimeStamp() throws IOException {
        TestSupport.requireTool("node");
        Path dir = C2paSignerTest.c2paTs();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir.resolve("node_modules/@trustnxt/c2pa-ts"))
                || System.getenv("CI") != null, "@trustnxt/c2pa-ts not installed in " + dir);
        byte[] out = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), stamped()).bytes();
        String r = TestSupport.run("node", C2paSignerTest.c2paTsScript().toString(), TestSupport.temp("tst.jpg", out).toString());
        assertTrue(r.contains("isValid false") && r.contains("Failed to deserialize signature content"), r);
        // the same file without the time-stamp is valid for c2pa-ts, so the time-stamp is what it cannot read
        byte[] plain = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST).bytes();
        String ok = TestSupport.run("node", C2paSignerTest.c2paTsScript().toString(), TestSupport.temp("plain.jpg", plain).toString());
        assertTrue(ok.contains("isValid true"), ok);
    }
}
