package org.aigcmark.label;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;

/**
 * Signatures in the label's reserved fields: {@code ReservedCode1} (the producer) and {@code ReservedCode2}
 * (the platform). The encoded value keeps to the Annex E charset:
 *
 * <pre>AM2.&lt;ALG&gt;.&lt;keyId&gt;.&lt;contentDigest&gt;.&lt;signature&gt;</pre>
 *
 * with ALG {@code ED25519} or {@code SM2}, keyId 16 hex digits ({@link LabelKeys#keyId}), and the digest and the
 * signature in unpadded base64url. The signed message is ASCII, lines joined by a single LF, no trailing LF:
 *
 * <pre>
 * aigcmark-label-signature/2
 * field=ReservedCode1
 * "Label":"1","ContentProducer":"...","ProduceID":"..."
 * content=SHA-256:&lt;lowercase hex of the content digest&gt;
 * </pre>
 *
 * For {@code ReservedCode2} the third line covers Label through PropagateID (ReservedCode1 included), so the
 * platform's signature also seals the producer's. The content digest is computed by the container handler over
 * bytes that writing a label never changes (for JPEG the non-metadata segments and the scan data; for PNG the
 * critical and pixel chunks; see docs/SIGNATURES.md). It is stated inside the value so a verifier can tell a
 * tampered label (signature fails) from changed content (signature holds, digest differs).
 *
 * <p>The leading {@code AM<n>} names the content digest's definition: version 2 (written since 0.1.0) also binds
 * what changes what a viewer sees without touching the coded data (orientation, colour transforms and profiles, an
 * MP4's presentation boxes, an OOXML package's part graph, Markdown front matter); version 1 values still verify
 * under version 1's definition.
 */
public final class LabelSignatures {
    /** The prefix of the values this version writes: {@code AM} and {@link #CURRENT_VERSION}. */
    public static final String PREFIX = "AM2";
    /** The content digest definition (and message first line) that new signatures use. */
    public static final int CURRENT_VERSION = 2;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private LabelSignatures() {}

    /** Which reserved field holds the signature. */
    public enum Field {
        RESERVED_CODE_1("ReservedCode1"), RESERVED_CODE_2("ReservedCode2");

        private final String key;

        Field(String key) {
            this.key = key;
        }

        /** The field's name in the Annex E record and the signed message, e.g. {@code "ReservedCode1"}. */
        public String key() {
            return key;
        }
    }

    /** The outcome for one signature. */
    public enum Status {
        /** The signature verifies with a supplied key and the content digest matches. */
        VALID,
        /** Signed, but the label fields or the content no longer match what was signed. */
        INVALID,
        /** No signature in the field. */
        ABSENT,
        /**
         * Signed, but not verifiable: no public key with this key id was supplied, or the content could not be
         * hashed (a damaged file).
         */
        UNVERIFIED;

        /** The status's name in JSON reports, lower case, e.g. {@code "unverified"}. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Computes the current content digest of the file under verification, for a digest name
     * ({@link SignatureAlgorithm#digestName()}) and a digest definition version (1 or 2, from the value's prefix);
     * null when the content cannot be hashed (damaged input).
     */
    @FunctionalInterface
    public interface ContentDigester {
        /** The digest, or null when the content cannot be hashed. */
        byte[] digest(String digestName, int version);
    }

    /**
     * The digest definition version of an aigcmark signature value ({@code AM1.…} → 1, {@code AM2.…} → 2), or 0 when
     * the value is not one of ours (vendors' opaque hashes, empty).
     */
    public static int versionOf(String value) {
        if (value.length() > 4 && value.charAt(0) == 'A' && value.charAt(1) == 'M' && value.charAt(3) == '.') {
            int v = value.charAt(2) - '0';
            return v >= 1 && v <= CURRENT_VERSION ? v : 0;
        }
        return 0;
    }

    /** A verification result with the reason in words. */
    public record Check(Field field, Status status, String algorithm, String keyId, String detail) {}

    /** The exact message that {@link #sign} signs (the current version), as ASCII bytes. */
    public static byte[] message(AigcLabel label, Field field, SignatureAlgorithm alg, byte[] contentDigest) {
        return message(label, field, alg, contentDigest, CURRENT_VERSION);
    }

    /** The exact message of a version {@code version} signature, as ASCII bytes. */
    public static byte[] message(AigcLabel label, Field field, SignatureAlgorithm alg, byte[] contentDigest, int version) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("aigcmark-label-signature/").append(version).append('\n');
        sb.append("field=").append(field.key()).append('\n');
        List<String> keys = AigcLabel.KEYS;
        List<String> values = label.values();
        int upTo = field == Field.RESERVED_CODE_1 ? 3 : 6;
        for (int i = 0; i < upTo; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(keys.get(i)).append("\":\"").append(values.get(i)).append('"');
        }
        sb.append('\n').append("content=").append(alg.digestName()).append(':')
                .append(HexFormat.of().formatHex(contentDigest));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Signs and returns the label with the chosen reserved field set, as a {@link #CURRENT_VERSION} signature:
     * {@code contentDigest} must be the file's digest under that version's definition.
     */
    public static AigcLabel sign(AigcLabel label, Field field, LabelKeys.SigningKey key, byte[] contentDigest) {
        return sign(label, field, key, contentDigest, CURRENT_VERSION);
    }

    /**
     * As {@link #sign(AigcLabel, Field, LabelKeys.SigningKey, byte[])} under an older digest definition
     * ({@code version} 1 or 2), for tools and tests that reproduce what earlier releases wrote.
     */
    public static AigcLabel sign(AigcLabel label, Field field, LabelKeys.SigningKey key, byte[] contentDigest, int version) {
        if (version < 1 || version > CURRENT_VERSION) {
            throw new AigcmarkException(AigcmarkException.Reason.INVALID_ARGUMENT, "no signature version " + version);
        }
        byte[] msg = message(label, field, key.algorithm(), contentDigest, version);
        try {
            Signature s = SignatureProviders.require(key.algorithm()).newSignature();
            s.initSign(key.privateKey());
            s.update(msg);
            String value = "AM" + version + "." + key.algorithm().token() + "." + key.keyId() + "."
                    + B64.encodeToString(contentDigest) + "." + B64.encodeToString(s.sign());
            return field == Field.RESERVED_CODE_1 ? label.withReservedCode1(value) : label.withReservedCode2(value);
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "signing failed: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies one field against a digest that does not depend on the definition version (a fixed digest, or a
     * digester that knows it): {@code contentDigester} returns the digest for an algorithm's digest name, or null
     * when the content cannot be hashed.
     */
    public static Check verify(AigcLabel label, Field field, java.util.function.Function<String, byte[]> contentDigester,
                               List<PublicKey> trusted) {
        return verify(label, field, (name, version) -> contentDigester.apply(name), trusted);
    }

    /**
     * Verifies one field. {@code contentDigester} computes the file's current content digest under the definition
     * version the value names (it may return null when the content cannot be hashed, e.g. damaged input).
     */
    public static Check verify(AigcLabel label, Field field, ContentDigester contentDigester, List<PublicKey> trusted) {
        String value = field == Field.RESERVED_CODE_1 ? label.reservedCode1() : label.reservedCode2();
        if (value.isEmpty()) {
            return new Check(field, Status.ABSENT, null, null, "no signature");
        }
        String[] parts = value.split("\\.", -1);
        int version = versionOf(value);
        if (parts.length != 5 || version == 0) {
            // Vendors put opaque hashes here (Annex F.4); that is not our signature, and not a failure.
            return new Check(field, Status.UNVERIFIED, null, null,
                    "value is not an aigcmark signature (opaque vendor data, " + value.length() + " characters)");
        }
        SignatureAlgorithm alg = SignatureAlgorithm.fromToken(parts[1]);
        String keyId = parts[2];
        if (alg == null) {
            return new Check(field, Status.UNVERIFIED, parts[1], keyId, "unknown signature algorithm " + parts[1]);
        }
        Optional<SignatureProvider> provider = SignatureProviders.find(alg);
        if (provider.isEmpty()) {
            // An SM2 signature without aigcmark-sm2: it may well be valid, so it is unverified, never invalid.
            return new Check(field, Status.UNVERIFIED, alg.token(), keyId, "signed by key " + keyId + "; "
                    + SignatureProviders.missing(alg) + " to verify it");
        }
        byte[] statedDigest;
        byte[] sig;
        try {
            statedDigest = B64D.decode(parts[3]);
            sig = B64D.decode(parts[4]);
        } catch (IllegalArgumentException e) {
            return new Check(field, Status.INVALID, alg.token(), keyId, "signature value is not valid base64url");
        }
        PublicKey key = trusted.stream().filter(k -> LabelKeys.keyId(k).equals(keyId)).findFirst().orElse(null);
        if (key == null) {
            return new Check(field, Status.UNVERIFIED, alg.token(), keyId,
                    "signed by key " + keyId + "; no matching public key was given");
        }
        boolean ok;
        try {
            Signature s = provider.get().newSignature();
            s.initVerify(key);
            s.update(message(label, field, alg, statedDigest, version));
            ok = s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            return new Check(field, Status.INVALID, alg.token(), keyId, "label fields were changed after signing");
        }
        byte[] actual = contentDigester.digest(alg.digestName(), version);
        if (actual == null) {
            // A damaged file cannot be hashed: that proves nothing either way, so it is not "tampered"
            return new Check(field, Status.UNVERIFIED, alg.token(), keyId,
                    "the label fields verify, but the content could not be hashed to compare (content unreadable)");
        }
        if (!MessageDigest.isEqual(actual, statedDigest)) {
            return new Check(field, Status.INVALID, alg.token(), keyId,
                    "label is authentic but the content was changed after signing");
        }
        return new Check(field, Status.VALID, alg.token(), keyId, "signature and content digest verified");
    }

    /** Combines the field checks into the one status a report shows. */
    public static Status overall(List<Check> checks) {
        boolean anySigned = false;
        boolean anyUnverified = false;
        for (Check c : checks) {
            switch (c.status()) {
                case INVALID -> {
                    return Status.INVALID;
                }
                case UNVERIFIED -> {
                    anySigned = true;
                    anyUnverified = true;
                }
                case VALID -> anySigned = true;
                case ABSENT -> { }
            }
        }
        if (!anySigned) {
            return Status.ABSENT;
        }
        return anyUnverified ? Status.UNVERIFIED : Status.VALID;
    }

    /**
     * A content digest by name ({@link SignatureAlgorithm#digestName()}): SHA-256 from the JDK, SM3 from the SM2
     * provider; without it, a usage error that names the artifact.
     */
    public static MessageDigest newDigest(String name) {
        try {
            for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
                if (alg.digestName().equals(name)) {
                    return SignatureProviders.require(alg).newContentDigest();
                }
            }
            return MessageDigest.getInstance(name);
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "digest " + name + " unavailable", e);
        }
    }
}
