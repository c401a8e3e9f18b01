package org.aigcmark.format.c2pa;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigcmark.AigcmarkException;

/**
 * The credential that signs C2PA claims: an ES256 (ECDSA P-256) or EdDSA (Ed25519) private key and the X.509 chain
 * of its certificate (signer first, then intermediates; a root may follow), which goes into the COSE {@code x5chain}
 * header. The COSE algorithm follows from the key ({@link #coseAlgorithm()}).
 *
 * @param key the P-256 or Ed25519 private key of the signer certificate
 * @param chain the signer certificate first, then its issuers
 * @param timeStampAuthority the RFC 3161 time-stamp authority (HTTP URL) asked for a time-stamp over each claim
 *     signature ({@code sigTst2}), or empty for none (the default)
 * @param aiDisclosure what the manifests this credential signs for labelled content declare about the model that made
 *     it ({@code c2pa.ai-disclosure}), or empty for no such assertion (the default)
 */
public record C2paSigning(PrivateKey key, List<X509Certificate> chain, java.util.Optional<java.net.URI> timeStampAuthority,
                          java.util.Optional<C2paAiDisclosure> aiDisclosure) {
    private static final long MAX_PEM_BYTES = 1 << 20;
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    /**
     * Checks the pair: a P-256 or Ed25519 key whose public half is the signer certificate's, and a certificate C2PA accepts as a
     * claim signer (digitalSignature key usage, not a CA).
     *
     * @throws AigcmarkException {@code KEY_INVALID} when the key is neither P-256 nor Ed25519, does not match the certificate, or the
     *     certificate may not sign claims
     */
    public C2paSigning {
        chain = List.copyOf(chain);
        timeStampAuthority = timeStampAuthority == null ? java.util.Optional.empty() : timeStampAuthority;
        aiDisclosure = aiDisclosure == null ? java.util.Optional.empty() : aiDisclosure;
        timeStampAuthority.ifPresent(u -> {
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) {
                throw AigcmarkException.invalid("the time-stamp authority must be an http or https URL, not " + u);
            }
        });
        if (chain.isEmpty()) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "a C2PA signing chain needs at least the signer certificate");
        }
        boolean p256 = key instanceof ECPrivateKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256
                && chain.get(0).getPublicKey() instanceof ECPublicKey;
        boolean ed25519 = isEd25519(key) && chain.get(0).getPublicKey() instanceof EdECPublicKey;
        if (!p256 && !ed25519) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "C2PA signing supports ES256 and EdDSA"
                    + " (Ed25519): the key and the signer certificate must both be ECDSA P-256 or both Ed25519 (make a pair"
                    + " with 'aigcmark keygen --alg c2pa [--key-alg ed25519]')");
        }
        X509Certificate leaf = chain.get(0);
        boolean[] ku = leaf.getKeyUsage();
        if ((ku != null && !ku[0]) || leaf.getBasicConstraints() >= 0) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "the C2PA signer certificate "
                    + leaf.getSubjectX500Principal() + " must have the digitalSignature key usage and must not be a CA");
        }
        if (!matches(key, leaf)) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "the private key does not belong to the signer"
                    + " certificate " + leaf.getSubjectX500Principal() + " (the first certificate of the chain file)");
        }
    }

    /**
     * Reads a chain PEM (signer certificate first) and a PKCS#8 private key PEM, as {@code keygen --alg c2pa} writes
     * them ({@code P.pem}, {@code P.key}).
     *
     * @throws AigcmarkException {@code KEY_INVALID} for an unreadable, mismatched or unsuitable key or certificate
     */
    public static C2paSigning fromPemFiles(Path chainPem, Path keyPem) {
        List<X509Certificate> chain = C2paValidator.readPem(chainPem);
        String text;
        try {
            if (!Files.isRegularFile(keyPem) || Files.size(keyPem) > MAX_PEM_BYTES) {
                throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "C2PA key file " + keyPem
                        + " does not exist or is too large to be a key");
            }
            text = Files.readString(keyPem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "cannot read " + keyPem + ": " + e.getMessage(), e);
        }
        Matcher m = PRIVATE_KEY.matcher(text);
        if (!m.find()) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, keyPem + " holds no PKCS#8 'PRIVATE KEY' PEM block"
                    + " (convert an OpenSSL EC key with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, keyPem + " is not valid PEM: " + e.getMessage(), e);
        }
        // The PKCS#8 algorithm identifier says which; the signer certificate's key type decides which factory to try.
        String factory = chain.get(0).getPublicKey() instanceof EdECPublicKey ? "Ed25519" : "EC";
        try {
            return new C2paSigning(KeyFactory.getInstance(factory).generatePrivate(new PKCS8EncodedKeySpec(der)), chain);
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, keyPem + " is not a PKCS#8 " + factory
                    + " key matching the signer certificate's key type: " + e.getMessage(), e);
        }
    }

    /** A credential without a time-stamp authority (as {@link #fromPemFiles} reads). */
    public C2paSigning(PrivateKey key, List<X509Certificate> chain) {
        this(key, chain, java.util.Optional.empty());
    }

    /** A credential with an optional time-stamp authority and no AI disclosure (see the record's components). */
    public C2paSigning(PrivateKey key, List<X509Certificate> chain, java.util.Optional<java.net.URI> timeStampAuthority) {
        this(key, chain, timeStampAuthority, java.util.Optional.empty());
    }

    /**
     * A copy whose manifests for labelled content carry the C2PA 2.4 AI disclosure assertion ({@code c2pa.ai-disclosure}:
     * model type, name, identifier, human oversight level). It describes the content, not the signer: a provider that
     * runs several models makes one copy per model (a cheap record copy) for the requests each model answers.
     */
    public C2paSigning withAiDisclosure(C2paAiDisclosure disclosure) {
        return new C2paSigning(key, chain, timeStampAuthority, java.util.Optional.of(disclosure));
    }

    /**
     * A copy that asks the RFC 3161 time-stamp authority at {@code tsa} (an http or https URL) for a time-stamp over
     * every claim signature it makes, stored as a C2PA v2 time-stamp ({@code sigTst2}, see {@link C2paTimeStamps}).
     */
    public C2paSigning withTimeStampAuthority(java.net.URI tsa) {
        return new C2paSigning(key, chain, java.util.Optional.of(tsa), aiDisclosure);
    }

    /** The COSE algorithm of the signature: -7 (ES256) for a P-256 key, -8 (EdDSA) for an Ed25519 key. */
    public int coseAlgorithm() {
        return isEd25519(key) ? EDDSA : ES256;
    }

    /** COSE algorithm identifiers (RFC 9053). */
    private static final int ES256 = -7;
    private static final int EDDSA = -8;

    private static boolean isEd25519(PrivateKey key) {
        return key instanceof EdECPrivateKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName());
    }

    /** The JDK signature algorithm: ECDSA in COSE's raw r||s form (RFC 9053 §2.1), or pure Ed25519 (§2.2). */
    private String jdkAlgorithm() {
        return isEd25519(key) ? "Ed25519" : "SHA256withECDSAinP1363Format";
    }

    /** Signs {@code data} with the key's COSE algorithm. */
    byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(jdkAlgorithm());
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "cannot sign with the C2PA key: " + e.getMessage(), e);
        }
    }

    /** Whether the key signs what the certificate's public key verifies (a test signature: no key maths by hand). */
    private static boolean matches(PrivateKey key, X509Certificate leaf) {
        try {
            byte[] probe = "aigcmark c2pa key check".getBytes(StandardCharsets.US_ASCII);
            String alg = isEd25519(key) ? "Ed25519" : "SHA256withECDSA";
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(leaf.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
