package org.aigcmark.sm2;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.aigcmark.AigcmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA (ECDSA P-256) and a C2PA claim-signing certificate under it (P-256 or Ed25519), for local use and tests: what
 * {@code aigcmark keygen --alg c2pa} writes. The signer certificate has what the C2PA certificate profile asks of a
 * claim signer: {@code digitalSignature} key usage (critical), extended key usages {@code id-kp-emailProtection} and
 * the C2PA claim-signing purpose (1.3.6.1.4.1.62558.2.1), not a CA, subject and authority key identifiers.
 *
 * <p>Here and not in the sdk because the JDK has no public certificate builder; BouncyCastle's bcpkix, which this
 * artifact already carries, is a well-kept one. Keys and certificates are made by the JDK's providers (bcpkix only
 * assembles and encodes the certificate), so the sdk's {@code C2paSigning} reads them without BouncyCastle.
 *
 * @param signerKey the signer's private key
 * @param signer the claim-signing certificate
 * @param ca the test CA certificate that issued it (a trust anchor for validation)
 */
public record C2paTestCredentials(PrivateKey signerKey, X509Certificate signer, X509Certificate ca) {
    /** The C2PA claim-signing extended key usage. */
    public static final String C2PA_CLAIM_SIGNING_EKU = "1.3.6.1.4.1.62558.2.1";

    /** The signer's key type, which decides the COSE algorithm of the claim signature. */
    public enum SignerKey {
        /** ECDSA P-256: COSE ES256 (-7). */
        P256,
        /** Ed25519: COSE EdDSA (-8). */
        ED25519
    }

    /** A new CA and a P-256 signer, valid from an hour ago for {@code validity}; {@code name} goes into both subjects. */
    public static C2paTestCredentials generate(String name, Duration validity) {
        return generate(name, validity, SignerKey.P256);
    }

    /**
     * A new CA (always ECDSA P-256) and a signer with a {@code signerKey} key, valid from an hour ago for
     * {@code validity}; {@code name} goes into both subjects.
     */
    public static C2paTestCredentials generate(String name, Duration validity, SignerKey signerKey) {
        try {
            KeyPair caKeys = p256();
            KeyPair signerKeys = signerKey == SignerKey.ED25519 ? KeyPairGenerator.getInstance("Ed25519").generateKeyPair() : p256();
            Instant now = Instant.now();
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            Date to = Date.from(now.plus(validity));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name caName = new X500Name("CN=" + escape(name) + " TEST C2PA CA,O=aigcmark keygen (not for production)");
            X500Name signerName = new X500Name("CN=" + escape(name) + " C2PA signer,O=aigcmark keygen (not for production)");

            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName,
                    caKeys.getPublic());
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caBuilder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = sign(caBuilder, caKeys.getPrivate());

            X509v3CertificateBuilder sb = new JcaX509v3CertificateBuilder(caName, serial(), from, to, signerName,
                    signerKeys.getPublic());
            sb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            sb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            sb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_emailProtection,
                    KeyPurposeId.getInstance(new ASN1ObjectIdentifier(C2PA_CLAIM_SIGNING_EKU))}));
            sb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(signerKeys.getPublic()));
            sb.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            X509Certificate signer = sign(sb, caKeys.getPrivate());
            return new C2paTestCredentials(signerKeys.getPrivate(), signer, ca);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cert.CertIOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot make the C2PA test certificates: "
                    + e.getMessage(), e);
        }
    }

    /** The private key as PKCS#8 PEM ({@code P.key}). */
    public String keyPem() {
        return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(signerKey.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** The signer certificate followed by the CA certificate, PEM ({@code P.pem}, the chain for {@code x5chain}). */
    public String chainPem() {
        return pem(signer) + pem(ca);
    }

    /** The CA certificate alone, PEM ({@code P-ca.pem}, the trust anchor). */
    public String caPem() {
        return pem(ca);
    }

    private static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        // JDK providers only: no BouncyCastle provider is registered or needed (the issuer is always the P-256 CA)
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).setBit(62);
    }

    /** An X.500 attribute value: the separators and quotes escaped. */
    private static String escape(String s) {
        return s.replaceAll("([,+=\"\\\\<>;#])", "\\\\$1");
    }
}
