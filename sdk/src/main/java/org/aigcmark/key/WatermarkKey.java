package org.aigcmark.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.aigcmark.AigcmarkException;
import org.aigcmark.io.Sha256;

/**
 * The secret that drives invisible watermarks (images, frames and text). 32 random bytes, stored as a small
 * PEM-style text file made by {@code aigcmark keygen --alg watermark}. Each use derives its own sub-key with
 * HMAC-SHA256 ({@link #derive}), so the image and text marks never share key material.
 */
public final class WatermarkKey {
    public static final int LENGTH = 32;
    private static final String BEGIN = "-----BEGIN AIGCMARK WATERMARK KEY-----";
    private static final String END = "-----END AIGCMARK WATERMARK KEY-----";

    private final byte[] secret;

    private WatermarkKey(byte[] secret) {
        this.secret = secret.clone();
    }

    /** A new key of 32 bytes from {@link SecureRandom}. */
    public static WatermarkKey generate() {
        byte[] b = new byte[LENGTH];
        new SecureRandom().nextBytes(b);
        return new WatermarkKey(b);
    }

    /** A key from raw bytes (at least 16). Tests and services that keep keys in a vault use this. */
    public static WatermarkKey of(byte[] secret) {
        if (secret.length < 16) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                    "a watermark key needs at least 16 bytes, got " + secret.length);
        }
        return new WatermarkKey(secret);
    }

    /** A deterministic key from a passphrase (SHA-256 of it). For demos and tests only. */
    public static WatermarkKey fromPassphrase(String passphrase) {
        return new WatermarkKey(Sha256.digest(passphrase.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Reads a key file written by {@link #toPem()} ({@code aigcmark keygen --alg watermark}).
     *
     * @param file the key file; at most 4096 bytes
     * @return the key
     * @throws AigcmarkException with {@link AigcmarkException.Reason#KEY_INVALID} when the file cannot be read, is too
     *     large, has no key block, or holds a damaged or short (under 16 bytes) key
     */
    public static WatermarkKey read(Path file) {
        String text;
        try {
            if (Files.size(file) > 4096) {
                throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                        file + " is not a watermark key: too large");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                    "cannot read watermark key " + file + ": " + e.getMessage(), e);
        }
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file
                    + " is not a watermark key (expected a '" + BEGIN + "' block; make one with 'aigcmark keygen --alg watermark')");
        }
        try {
            byte[] raw = Base64.getMimeDecoder().decode(text.substring(b + BEGIN.length(), e).trim());
            return of(raw);
        } catch (IllegalArgumentException ex) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, file + " holds a damaged watermark key", ex);
        }
    }

    /** The key file text. */
    public String toPem() {
        return BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(secret)
                + "\n" + END + "\n";
    }

    /** A 32-byte sub-key for one purpose, e.g. {@code "image-watermark/v1"} or {@code "text-kgw/v1"}. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "HmacSHA256 unavailable", e);
        }
    }

    /** A public, non-secret fingerprint (first 8 bytes of SHA-256 of the secret, hex) to tell keys apart. */
    public String fingerprint() {
        return Sha256.shortHex(secret);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WatermarkKey k && MessageDigest.isEqual(secret, k.secret);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret);
    }

    @Override
    public String toString() {
        return "WatermarkKey[" + fingerprint() + "]";
    }
}
