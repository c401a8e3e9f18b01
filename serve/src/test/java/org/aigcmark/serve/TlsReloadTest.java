package org.aigcmark.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.detection.Detector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS certificate is reloaded when its files change, as the API keys file is: real key pairs made by the JDK's
 * {@code keytool} in PKCS#12 keystores, served over loopback to a real TLS client, which reads the certificate each
 * handshake presents. No timing: the server looks at its files on each request, so a request after a change makes
 * the next handshake present the new certificate.
 */
class TlsReloadTest {
    static final char[] PASS = "changeit".toCharArray();

    /** A fresh EC P-256 key pair for 127.0.0.1 in a PKCS#12 keystore made by keytool; its certificate and key as PEM. */
    record Pair(X509Certificate certificate, String certificatePem, String keyPem) {}

    static Pair keytool(Path dir, String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        TestSupport.run("keytool", "-genkeypair", "-alias", "serve", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=" + name, "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASS), "-keypass", new String(PASS));
        Path certPem = dir.resolve(name + "-cert.pem");
        TestSupport.run("keytool", "-exportcert", "-rfc", "-alias", "serve", "-keystore", store.toString(), "-storepass", new String(PASS),
                "-file", certPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASS);
        }
        PrivateKey key = (PrivateKey) ks.getKey("serve", PASS);
        String keyPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n"; // PKCS#8, what --tls-key reads
        return new Pair((X509Certificate) ks.getCertificate("serve"), Files.readString(certPem), keyPem);
    }

    /**
     * Opens a TLS connection with a fresh client (no session to resume), returns the certificate its handshake
     * presented, after one request on it (the request that makes the server look at its files).
     */
    static X509Certificate handshake(AigcmarkServer s, X509Certificate... trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            trust.setCertificateEntry("t" + i, trusted[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", s.port())) {
            socket.setSoTimeout(60_000); // a guard against a hang, not a timing
            socket.startHandshake();
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            return presented;
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart(@TempDir Path tmp) throws Exception {
        Pair first = keytool(tmp, "first");
        Pair second = keytool(tmp, "second");
        Path cert = Files.writeString(tmp.resolve("chain.pem"), first.certificatePem());
        Path key = Files.writeString(tmp.resolve("key.pem"), first.keyPem());
        DrainTest.LogLines log = new DrainTest.LogLines();
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), List.of(), List.of(), List.of())),
                ServeSettings.defaults().withPort(0).withTls(cert, key), new PrintWriter(log, true))) {
            X509Certificate a = first.certificate();
            X509Certificate b = second.certificate();
            assertEquals(a, handshake(s, a, b));

            // renewed: key then certificate replaced, as a renewal tool writes them
            Files.writeString(key, second.keyPem());
            Files.writeString(cert, second.certificatePem());
            assertEquals(a, handshake(s, a, b)); // this connection was opened before any request saw the change
            assertEquals(b, handshake(s, a, b));
            assertTrue(log.toString().contains("TLS certificate reloaded from " + cert), log.toString());
            // a client that trusts only the old certificate is now refused
            org.junit.jupiter.api.Assertions.assertThrows(javax.net.ssl.SSLException.class, () -> handshake(s, a));

            // half renewed: a key that is not the certificate's is not loaded; the certificate served stays
            Files.writeString(key, first.keyPem());
            assertEquals(b, handshake(s, a, b));
            assertEquals(b, handshake(s, a, b));
            assertTrue(log.toString().contains("not reloaded, the one loaded before is still served: " + key
                    + " is not the private key of the first certificate in " + cert), log.toString());
            // the renewal completes: loaded
            Files.writeString(cert, first.certificatePem());
            assertEquals(b, handshake(s, a, b));
            assertEquals(a, handshake(s, a, b));
            // not a certificate at all: kept
            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
            assertEquals(a, handshake(s, a, b));
            assertEquals(a, handshake(s, a, b));
        }
    }
}
