package org.aigcmark.label;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;

/**
 * Keys and signatures of one {@link SignatureAlgorithm}. Ed25519 is built in (the JDK has it); SM2, which the JDK
 * lacks, comes with the {@code aigcmark-sm2} artifact, found through {@link java.util.ServiceLoader} (register an
 * implementation in {@code META-INF/services/org.aigcmark.label.SignatureProvider}). Without a provider for an
 * algorithm, its keys are a usage error and its signatures are reported {@code unverified}, naming the artifact.
 *
 * <p>Key ids are not part of the SPI: they are computed the same way for every algorithm
 * ({@link LabelKeys#keyId}, over the public key's SubjectPublicKeyInfo DER).
 */
public interface SignatureProvider {
    /** The one algorithm this provider implements; of several providers of one algorithm, the first found is used. */
    SignatureAlgorithm algorithm();

    /**
     * A new key pair from a secure random source. Failure of the underlying crypto provider is an
     * {@link org.aigcmark.AigcmarkException} with {@code Reason.INTERNAL}.
     */
    KeyPair generate();

    /** Whether {@code key} (private or public) is one of this algorithm's. */
    boolean owns(Key key);

    /**
     * The key pair in one PEM block: {@code type} is the PEM label ({@code PRIVATE KEY} for PKCS#8, or a form of the
     * algorithm's own such as {@code EC PRIVATE KEY}), {@code der} its decoded body. Empty when the block is not a
     * private key of this algorithm; an exception when it is one but cannot be used.
     */
    Optional<KeyPair> readPrivateKey(String type, byte[] der) throws GeneralSecurityException;

    /**
     * The public key in one PEM block ({@code PUBLIC KEY}: SubjectPublicKeyInfo DER; a certificate arrives here as
     * its SubjectPublicKeyInfo). Empty when the block is not a public key of this algorithm.
     */
    Optional<PublicKey> readPublicKey(String type, byte[] der) throws GeneralSecurityException;

    /** PEM text of one of this algorithm's keys: PKCS#8 v1 {@code PRIVATE KEY}, or SubjectPublicKeyInfo {@code PUBLIC KEY}. */
    String toPem(Key key);

    /** A new, uninitialised signature engine. */
    Signature newSignature() throws GeneralSecurityException;

    /** A new digest for the signed content ({@link SignatureAlgorithm#digestName()}). */
    MessageDigest newContentDigest() throws GeneralSecurityException;
}
