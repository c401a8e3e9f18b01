package org.aigcmark.label;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;
import org.aigcmark.AigcmarkException;

/** Ed25519 (RFC 8032) by the JDK alone: keys in PKCS#8 / SubjectPublicKeyInfo DER, SHA-256 content digest. */
final class Ed25519Provider implements SignatureProvider {
    /** PKCS#8 v1 of an Ed25519 key (RFC 8410 §7) up to the 32-byte private key: what OpenSSL writes. */
    private static final byte[] PKCS8_V1_PREFIX = java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");

    @Override
    public SignatureAlgorithm algorithm() {
        return SignatureAlgorithm.ED25519;
    }

    @Override
    public KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot generate an Ed25519 key", e);
        }
    }

    @Override
    public boolean owns(Key key) {
        return key instanceof EdECKey ek ? "Ed25519".equalsIgnoreCase(ek.getParams().getName())
                : "Ed25519".equalsIgnoreCase(key.getAlgorithm());
    }

    @Override
    public Optional<KeyPair> readPrivateKey(String type, byte[] der) throws GeneralSecurityException {
        if (!type.equals("PRIVATE KEY") || !namesEd25519(der)) {
            return Optional.empty();
        }
        PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        return Optional.of(new KeyPair(publicOf((EdECPrivateKey) priv), priv));
    }

    @Override
    public Optional<PublicKey> readPublicKey(String type, byte[] der) throws GeneralSecurityException {
        if (!type.equals("PUBLIC KEY") || !namesEd25519(der)) {
            return Optional.empty();
        }
        return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
    }

    @Override
    public String toPem(Key key) {
        if (key instanceof EdECPrivateKey priv) {
            // Written from the 32 private bytes, not getEncoded(): always the v1 form, whatever the JDK's default.
            byte[] seed = priv.getBytes().orElseThrow(() -> new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                    "the Ed25519 private key does not reveal its bytes (a hardware key?)"));
            byte[] der = Arrays.copyOf(PKCS8_V1_PREFIX, PKCS8_V1_PREFIX.length + seed.length);
            System.arraycopy(seed, 0, der, PKCS8_V1_PREFIX.length, seed.length);
            return Pem.write("PRIVATE KEY", der);
        }
        return Pem.write("PUBLIC KEY", key.getEncoded());
    }

    @Override
    public Signature newSignature() throws GeneralSecurityException {
        return Signature.getInstance("Ed25519");
    }

    @Override
    public MessageDigest newContentDigest() throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256");
    }

    private static boolean namesEd25519(byte[] der) {
        try {
            return Der.keyOids(der).contains(SignatureAlgorithm.ED25519.keyOid());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    /**
     * The JDK has no public call for the public key of an EdDSA private key, but its generator derives the public
     * key from 32 bytes drawn from the random source (RFC 8032 §5.1.5): given the private key's bytes as that
     * source, it derives exactly this key's public key.
     */
    private static PublicKey publicOf(EdECPrivateKey priv) throws GeneralSecurityException {
        byte[] seed = priv.getBytes().orElseThrow(() -> new GeneralSecurityException("the private key does not reveal its bytes"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        KeyPair pair = g.generateKeyPair();
        if (!Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), seed)) {
            throw new GeneralSecurityException("cannot derive the Ed25519 public key on this JDK");
        }
        return pair.getPublic();
    }
}
