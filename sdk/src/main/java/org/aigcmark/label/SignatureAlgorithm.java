package org.aigcmark.label;

/** Signature algorithms for the label's reserved fields. */
public enum SignatureAlgorithm {
    /** Ed25519 over the message, content digest SHA-256. The default. */
    ED25519("ED25519", "Ed25519", "SHA-256"),
    /** SM2 with SM3 (GB/T 32918, user id 1234567812345678), content digest SM3: what the TC260 security guide uses. */
    SM2("SM2", "SM3withSM2", "SM3");

    private final String token;
    private final String jcaName;
    private final String digest;

    SignatureAlgorithm(String token, String jcaName, String digest) {
        this.token = token;
        this.jcaName = jcaName;
        this.digest = digest;
    }

    /** The name inside the encoded value. */
    public String token() {
        return token;
    }

    public String jcaName() {
        return jcaName;
    }

    /** The content digest that goes with it. */
    public String digestName() {
        return digest;
    }

    public static SignatureAlgorithm fromToken(String t) {
        for (SignatureAlgorithm a : values()) {
            if (a.token.equals(t)) {
                return a;
            }
        }
        return null;
    }
}
