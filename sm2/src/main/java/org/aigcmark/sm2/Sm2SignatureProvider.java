package org.aigcmark.sm2;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.label.SignatureAlgorithm;
import org.aigcmark.label.SignatureProvider;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * SM2 label signatures (GB/T 32918: SM3withSM2, default user id 1234567812345678; content digest SM3) by
 * BouncyCastle, used as a private provider instance (never registered globally) so the host JVM is untouched.
 * Found by the sdk through {@link java.util.ServiceLoader}; key files and signatures are exactly what the sdk wrote
 * when BouncyCastle was part of it.
 */
public final class Sm2SignatureProvider implements SignatureProvider {
    private static final Provider BC = new BouncyCastleProvider();
    private static final ECCurve SM2_CURVE = GMNamedCurves.getByName("sm2p256v1").getCurve();

    @Override
    public SignatureAlgorithm algorithm() {
        return SignatureAlgorithm.SM2;
    }

    @Override
    public KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec("sm2p256v1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot generate an SM2 key", e);
        }
    }

    @Override
    public boolean owns(Key key) {
        if (key instanceof org.bouncycastle.jce.interfaces.ECKey ek && ek.getParameters() != null) {
            return ek.getParameters().getCurve().getFieldSize() == 256 && ek.getParameters().getCurve().equals(SM2_CURVE);
        }
        if (key instanceof java.security.interfaces.ECKey ek) {
            return ek.getParams().getCurve().getField().getFieldSize() == 256
                    && ek.getParams().getCurve().getA().equals(SM2_CURVE.getA().toBigInteger());
        }
        return false;
    }

    @Override
    public Optional<KeyPair> readPrivateKey(String type, byte[] der) throws GeneralSecurityException {
        try {
            JcaPEMKeyConverter c = new JcaPEMKeyConverter().setProvider(BC);
            KeyPair pair;
            if (isSec1(type)) {
                pair = c.getKeyPair(ecKeyPair(der));
            } else if (type.equals("PRIVATE KEY")) {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
                if (!isEc(info.getPrivateKeyAlgorithm())) {
                    return Optional.empty();
                }
                PrivateKey priv = c.getPrivateKey(info);
                pair = new KeyPair(owns(priv) ? derivePublic(priv) : null, priv);
            } else {
                return Optional.empty();
            }
            return owns(pair.getPrivate()) ? Optional.of(pair) : Optional.empty();
        } catch (IOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<PublicKey> readPublicKey(String type, byte[] der) throws GeneralSecurityException {
        try {
            JcaPEMKeyConverter c = new JcaPEMKeyConverter().setProvider(BC);
            PublicKey key;
            if (isSec1(type)) {
                key = c.getPublicKey(ecKeyPair(der).getPublicKeyInfo());
            } else if (type.equals("PUBLIC KEY")) {
                SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
                if (!isEc(info.getAlgorithm())) {
                    return Optional.empty();
                }
                key = c.getPublicKey(info);
            } else {
                return Optional.empty();
            }
            return owns(key) ? Optional.of(key) : Optional.empty();
        } catch (IOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    @Override
    public String toPem(Key key) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            if (key instanceof PrivateKey pk) {
                // PKCS#8 v1 (no embedded public key): OpenSSL 3.0 and the JDK read it; BouncyCastle's v2 form is not.
                PrivateKeyInfo full = PrivateKeyInfo.getInstance(pk.getEncoded());
                PrivateKeyInfo v1 = new PrivateKeyInfo(full.getPrivateKeyAlgorithm(), full.parsePrivateKey());
                w.writeObject(new PemObject("PRIVATE KEY", v1.getEncoded()));
            } else {
                w.writeObject(key);
            }
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot encode key", e);
        }
        return sw.toString();
    }

    @Override
    public Signature newSignature() throws GeneralSecurityException {
        return Signature.getInstance("SM3withSM2", BC);
    }

    @Override
    public MessageDigest newContentDigest() throws GeneralSecurityException {
        return MessageDigest.getInstance("SM3", BC);
    }

    /** OpenSSL's own key form (SEC1): {@code openssl ec} labels it SM2 PRIVATE KEY for an SM2 key, EC elsewhere. */
    private static boolean isSec1(String type) {
        return type.equals("EC PRIVATE KEY") || type.equals("SM2 PRIVATE KEY");
    }

    private static boolean isEc(AlgorithmIdentifier id) {
        return id.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey);
    }

    private static PEMKeyPair ecKeyPair(byte[] der) throws IOException {
        String pem = "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END EC PRIVATE KEY-----\n";
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            return (PEMKeyPair) p.readObject();
        }
    }

    private static PublicKey derivePublic(PrivateKey priv) throws GeneralSecurityException {
        if (priv instanceof org.bouncycastle.jce.interfaces.ECPrivateKey ec) {
            var params = ec.getParameters();
            var q = params.getG().multiply(ec.getD()).normalize();
            return KeyFactory.getInstance("EC", BC).generatePublic(new org.bouncycastle.jce.spec.ECPublicKeySpec(q, params));
        }
        throw new GeneralSecurityException("cannot derive the public key of a " + priv.getAlgorithm() + " key");
    }
}
