package org.aigcmark.label;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.io.Sha256;

/**
 * Signing keys for labels: generation, PEM files (PKCS#8 private, SubjectPublicKeyInfo public), key ids. Each
 * algorithm's keys are read and written by its {@link SignatureProvider}: Ed25519 by the JDK, SM2 by the
 * {@code aigcmark-sm2} artifact; an SM2 key without it is a usage error that names the artifact.
 */
public final class LabelKeys {
    private static final long MAX_PEM_BYTES = 64 * 1024;

    private LabelKeys() {}

    /** A private key with the algorithm it signs with. */
    public record SigningKey(SignatureAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        /** The public key's id, 16 lowercase hex digits, as {@link LabelKeys#keyId} computes it. */
        public String keyId() {
            return LabelKeys.keyId(publicKey);
        }
    }

    /** A new key pair; for SM2 only with the aigcmark-sm2 artifact on the class path. */
    public static KeyPair generate(SignatureAlgorithm alg) {
        return SignatureProviders.require(alg).generate();
    }

    /** PEM text of a key: PKCS#8 v1 for a private key (OpenSSL 3 and the JDK read it), SubjectPublicKeyInfo for a public one. */
    public static String toPem(Key key) {
        return providerOf(key, "the key").toPem(key);
    }

    /** Reads a private key PEM (PKCS#8, or an OpenSSL EC key pair) and infers its algorithm. */
    public static SigningKey readSigningKey(Path file) {
        Pem.Block block = readPem(file);
        try {
            for (SignatureProvider p : SignatureProviders.all()) {
                Optional<KeyPair> pair = p.readPrivateKey(block.type(), block.der());
                if (pair.isPresent()) {
                    return new SigningKey(p.algorithm(), pair.get().getPrivate(), pair.get().getPublic());
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "cannot use private key " + file + ": " + e.getMessage(), e);
        }
        requireProviderOfNamedAlgorithm(file, block);
        if (!block.type().endsWith("PRIVATE KEY")) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                    file + " is not a private key PEM (got " + block.type() + "); make one with 'aigcmark keygen'");
        }
        throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file + " holds a key of another algorithm ("
                + describe(block) + "); expected Ed25519 or SM2 (sm2p256v1)");
    }

    /** Reads a public key PEM (or the public key of an X.509 certificate PEM). */
    public static PublicKey readPublicKey(Path file) {
        Pem.Block block = readPem(file);
        try {
            if (block.type().equals("CERTIFICATE")) {
                block = new Pem.Block("PUBLIC KEY", Der.subjectPublicKeyInfo(block.der()));
            }
            for (SignatureProvider p : SignatureProviders.all()) {
                Optional<PublicKey> key = p.readPublicKey(block.type(), block.der());
                if (key.isPresent()) {
                    return key.get();
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "cannot use public key " + file + ": " + e.getMessage(), e);
        }
        requireProviderOfNamedAlgorithm(file, block);
        throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file + " is not an Ed25519 or SM2 public key PEM (got "
                + block.type() + ", " + describe(block) + "); use the .pub file that 'aigcmark keygen' wrote");
    }

    /** Public, stable id of a key: hex of the first 8 bytes of SHA-256 over its SubjectPublicKeyInfo DER. */
    public static String keyId(PublicKey key) {
        return Sha256.shortHex(key.getEncoded());
    }

    /** The provider whose algorithm {@code key} belongs to. */
    static SignatureProvider providerOf(Key key, Object where) {
        for (SignatureProvider p : SignatureProviders.all()) {
            if (p.owns(key)) {
                return p;
            }
        }
        throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, where + " is a " + key.getAlgorithm()
                + " key this build cannot use; expected Ed25519, or SM2 (sm2p256v1) with " + SignatureAlgorithm.SM2.artifact());
    }

    /** A key no provider took, of an algorithm we know (an SM2 key without aigcmark-sm2): a usage error naming the artifact. */
    private static void requireProviderOfNamedAlgorithm(Path file, Pem.Block block) {
        List<String> oids = oids(block);
        for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
            if (oids.contains(alg.keyOid()) && SignatureProviders.find(alg).isEmpty()) {
                throw AigcmarkException.invalid(file + " holds an " + alg.token() + " key: "
                        + SignatureProviders.missing(alg));
            }
        }
    }

    private static List<String> oids(Pem.Block block) {
        try {
            return Der.keyOids(block.der());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String describe(Pem.Block block) {
        List<String> oids = oids(block);
        return oids.isEmpty() ? "no algorithm identifier" : "algorithm " + String.join(", ", oids);
    }

    private static Pem.Block readPem(Path file) {
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
        Pem.Block block;
        try {
            block = Pem.first(text);
        } catch (IllegalArgumentException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file + " is not a readable PEM key: " + e.getMessage(), e);
        }
        if (block == null) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file + " holds no PEM block");
        }
        return block;
    }
}
