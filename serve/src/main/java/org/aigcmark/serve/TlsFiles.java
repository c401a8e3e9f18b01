package org.aigcmark.serve;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import org.aigcmark.AigcmarkException;

/**
 * HTTPS from two PEM files, read by Helidon's own PEM reader: the certificate chain (server first) and its key; and
 * their reload when they change ({@link Reloading}).
 */
final class TlsFiles {
    /** A PEM file larger than this is no certificate chain or key. */
    private static final long MAX_PEM_BYTES = 1 << 20;

    private TlsFiles() {}

    static Tls tls(Path chainPem, Path keyPem) {
        for (Path p : new Path[] {chainPem, keyPem}) {
            if (!Files.isReadable(p)) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + p);
            }
        }
        try {
            Keys keys = Keys.builder().pem(pem -> pem.key(Resource.create(keyPem)).certChain(Resource.create(chainPem))).build();
            if (keys.privateKey().isEmpty() || keys.certChain().isEmpty()) {
                throw AigcmarkException.invalid("--tls-key needs a PEM private key and --tls-cert a PEM certificate chain");
            }
            if (!matches(keys.privateKey().get(), keys.certChain().getFirst())) {
                // e.g. a renewal caught between writing the new key and the new certificate
                throw AigcmarkException.invalid(keyPem + " is not the private key of the first certificate in " + chainPem);
            }
            return Tls.builder().privateKey(keys.privateKey().get()).privateKeyCertChain(keys.certChain()).build();
        } catch (AigcmarkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                    "cannot use " + keyPem + " and " + chainPem + " for TLS: " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        try {
            byte[] probe = "aigcmark serve: does this key belong to this certificate".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            signer.initVerify(certificate.getPublicKey());
            signer.update(probe);
            return signer.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The served certificate and key, reloaded when their files change, as the API keys file is: checked on each
     * request (the two files are read and hashed, a few KB), so a renewed certificate is served to the connections
     * opened after the first request that follows the renewal. A pair that cannot be used (a file half written, a
     * key that does not match the certificate yet) is not loaded: the old certificate goes on being served, and the
     * log says why once; the next change is tried again.
     */
    static final class Reloading {
        private final Path chainPem;
        private final Path keyPem;
        private final Consumer<Tls> serve;
        private final Consumer<String> log;
        private byte[] tried;

        /** Watches the pair that {@code first} was made from; {@code serve} puts a new one in place. */
        Reloading(Path chainPem, Path keyPem, Consumer<Tls> serve, Consumer<String> log) {
            this.chainPem = chainPem;
            this.keyPem = keyPem;
            this.serve = serve;
            this.log = log;
            this.tried = digest();
        }

        /** Reloads the pair if its files changed since last tried. */
        synchronized void check() {
            byte[] now = digest();
            if (now == null || MessageDigest.isEqual(now, tried)) {
                return; // unreadable for a moment (being replaced), or unchanged
            }
            tried = now;
            try {
                serve.accept(tls(chainPem, keyPem));
                log.accept("TLS certificate reloaded from " + chainPem + " and " + keyPem);
            } catch (RuntimeException e) {
                log.accept("TLS certificate not reloaded, the one loaded before is still served: " + e.getMessage());
            }
        }

        /** SHA-256 over both files' bytes, or null when one cannot be read or is too large. */
        private byte[] digest() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (Path p : new Path[] {chainPem, keyPem}) {
                    if (Files.size(p) > MAX_PEM_BYTES) {
                        return null;
                    }
                    sha.update(Files.readAllBytes(p));
                    sha.update((byte) 0);
                }
                return sha.digest();
            } catch (IOException e) {
                return null;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }
}
