package org.aigcmark.label;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.aigcmark.AigcmarkException;
import org.aigcmark.io.Sha256;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Signing keys for labels: generation, PEM files (PKCS#8 private, SubjectPublicKeyInfo public), key ids.
 * BouncyCastle is used as a private provider instance (never registered globally) so the host JVM is untouched.
 */
public final class LabelKeys {
    static final Provider BC = new BouncyCastleProvider();
    private static final long MAX_PEM_BYTES = 64 * 1024;

    private LabelKeys() {}

    /** A private key with the algorithm it signs with. */
    public record SigningKey(SignatureAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        public String keyId() {
            return LabelKeys.keyId(publicKey);
        }
    }

    public static KeyPair generate(SignatureAlgorithm alg) {
        try {
            KeyPairGenerator g;
            if (alg == SignatureAlgorithm.SM2) {
                g = KeyPairGenerator.getInstance("EC", BC);
                g.initialize(new ECGenParameterSpec("sm2p256v1"));
            } else {
                g = KeyPairGenerator.getInstance("Ed25519", BC);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot generate a " + alg + " key", e);
        }
    }

    public static String toPem(Object key) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            if (key instanceof PrivateKey pk) {
                // PKCS#8 v1 (no embedded public key): OpenSSL 3.0 and the JDK read it; BouncyCastle's v2 form is not.
                PrivateKeyInfo full = PrivateKeyInfo.getInstance(pk.getEncoded());
                PrivateKeyInfo v1 = new PrivateKeyInfo(full.getPrivateKeyAlgorithm(), full.parsePrivateKey());
                w.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", v1.getEncoded()));
                w.flush();
                return sw.toString();
            }
            w.writeObject(key);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot encode key", e);
        }
        return sw.toString();
    }

    /** Reads a private key PEM (PKCS#8, or an OpenSSL EC key pair) and infers its algorithm. */
    public static SigningKey readSigningKey(Path file) {
        Object o = readPemObject(file);
        try {
            JcaPEMKeyConverter c = new JcaPEMKeyConverter().setProvider(BC);
            PrivateKey priv;
            PublicKey pub;
            if (o instanceof PEMKeyPair kp) {
                KeyPair pair = c.getKeyPair(kp);
                priv = pair.getPrivate();
                pub = pair.getPublic();
            } else if (o instanceof PrivateKeyInfo pki) {
                priv = c.getPrivateKey(pki);
                pub = derivePublic(priv);
            } else {
                throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                        file + " is not a private key PEM (got " + describe(o) + "); make one with 'aigcmark keygen'");
            }
            return new SigningKey(algorithmOf(priv, file), priv, pub);
        } catch (IOException | GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "cannot use private key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a public key PEM (or the public key of an X.509 certificate PEM). */
    public static PublicKey readPublicKey(Path file) {
        Object o = readPemObject(file);
        try {
            JcaPEMKeyConverter c = new JcaPEMKeyConverter().setProvider(BC);
            if (o instanceof SubjectPublicKeyInfo spki) {
                return c.getPublicKey(spki);
            }
            if (o instanceof X509CertificateHolder cert) {
                return c.getPublicKey(cert.getSubjectPublicKeyInfo());
            }
            if (o instanceof PEMKeyPair kp) {
                return c.getPublicKey(kp.getPublicKeyInfo());
            }
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "cannot use public key " + file + ": " + e.getMessage(), e);
        }
        throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                file + " is not a public key PEM (got " + describe(o) + "); use the .pub file that 'aigcmark keygen' wrote");
    }

    /** Public, stable id of a key: hex of the first 8 bytes of SHA-256 over its SubjectPublicKeyInfo DER. */
    public static String keyId(PublicKey key) {
        return Sha256.shortHex(key.getEncoded());
    }

    static SignatureAlgorithm algorithmOf(java.security.Key key, Object where) {
        String a = key.getAlgorithm();
        if (a.equalsIgnoreCase("Ed25519") || a.equalsIgnoreCase("EdDSA")) {
            return SignatureAlgorithm.ED25519;
        }
        if ((a.equalsIgnoreCase("EC") || a.equalsIgnoreCase("ECDSA") || a.equalsIgnoreCase("SM2")) && isSm2Curve(key)) {
            return SignatureAlgorithm.SM2;
        }
        throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                where + " holds a " + a + " key; expected Ed25519 or SM2 (sm2p256v1)");
    }

    private static boolean isSm2Curve(java.security.Key key) {
        if (key instanceof org.bouncycastle.jce.interfaces.ECKey ek && ek.getParameters() != null) {
            return ek.getParameters().getCurve().getFieldSize() == 256
                    && ek.getParameters().getCurve().equals(
                            org.bouncycastle.asn1.gm.GMNamedCurves.getByName("sm2p256v1").getCurve());
        }
        if (key instanceof java.security.interfaces.ECKey ek) {
            return ek.getParams().getCurve().getField().getFieldSize() == 256
                    && ek.getParams().getCurve().getA().equals(
                            org.bouncycastle.asn1.gm.GMNamedCurves.getByName("sm2p256v1").getCurve().getA().toBigInteger());
        }
        return false;
    }

    private static PublicKey derivePublic(PrivateKey priv) throws GeneralSecurityException {
        if (priv instanceof org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey ed) {
            return ed.getPublicKey();
        }
        if (priv instanceof org.bouncycastle.jce.interfaces.ECPrivateKey ec) {
            var params = ec.getParameters();
            var q = params.getG().multiply(ec.getD()).normalize();
            var spec = new org.bouncycastle.jce.spec.ECPublicKeySpec(q, params);
            return java.security.KeyFactory.getInstance("EC", BC).generatePublic(spec);
        }
        throw new GeneralSecurityException("cannot derive the public key of a " + priv.getAlgorithm() + " key");
    }

    private static Object readPemObject(Path file) {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "key file " + file + " does not exist");
            }
            if (Files.size(file) > MAX_PEM_BYTES) {
                throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file + " is too large to be a key");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "cannot read key " + file + ": " + e.getMessage(), e);
        }
        try (Reader r = new StringReader(text); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (o == null) {
                throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file + " holds no PEM block");
            }
            return o;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException ae) {
                throw ae;
            }
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file + " is not a readable PEM key: " + e.getMessage(), e);
        }
    }

    private static String describe(Object o) {
        return o == null ? "nothing" : o.getClass().getSimpleName();
    }
}
