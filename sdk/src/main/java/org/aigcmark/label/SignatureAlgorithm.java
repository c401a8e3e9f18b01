package org.aigcmark.label;

/** Signature algorithms for the label's reserved fields. */
public enum SignatureAlgorithm {
    /** Ed25519 over the message, content digest SHA-256. The default; built in (the JDK has it). */
    ED25519("ED25519", "SHA-256", "1.3.101.112", "aigcmark-sdk"),
    /**
     * SM2 with SM3 (GB/T 32918, user id 1234567812345678), content digest SM3: what the TC260 security guide uses.
     * The JDK has neither, so it comes with the aigcmark-sm2 artifact (BouncyCastle).
     */
    SM2("SM2", "SM3", "1.2.156.10197.1.301", "aigcmark-sm2");

    private final String token;
    private final String digest;
    private final String keyOid;
    private final String artifact;

    SignatureAlgorithm(String token, String digest, String keyOid, String artifact) {
        this.token = token;
        this.digest = digest;
        this.keyOid = keyOid;
        this.artifact = artifact;
    }

    /** The name inside the encoded value. */
    public String token() {
        return token;
    }

    /** The content digest that goes with it. */
    public String digestName() {
        return digest;
    }

    /** The OID that marks a key file as this algorithm's (the algorithm, or for SM2 the curve sm2p256v1). */
    public String keyOid() {
        return keyOid;
    }

    /** The artifact that provides it. */
    public String artifact() {
        return artifact;
    }

    /**
     * The algorithm whose {@link #token()} is exactly {@code t} (case-sensitive, e.g. {@code "ED25519"}), or null for
     * any other string, null included, so a verifier can report an unknown algorithm instead of failing.
     */
    public static SignatureAlgorithm fromToken(String t) {
        for (SignatureAlgorithm a : values()) {
            if (a.token.equals(t)) {
                return a;
            }
        }
        return null;
    }
}
