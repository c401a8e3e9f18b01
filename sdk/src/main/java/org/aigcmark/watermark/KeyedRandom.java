package org.aigcmark.watermark;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.aigcmark.AigcmarkException;

/** Deterministic pseudo-random stream: HMAC-SHA256(subKey, label || counter). Only used to build keyed tables. */
final class KeyedRandom {
    private final Mac mac;
    private final byte[] label;
    private long counter;
    private final byte[] block = new byte[32];
    private int pos = 32;

    KeyedRandom(byte[] subKey, String label) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(subKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "HmacSHA256 unavailable", e);
        }
        this.label = label.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private int nextByte() {
        if (pos == 32) {
            mac.update(label);
            for (int i = 0; i < 8; i++) {
                mac.update((byte) (counter >>> (56 - 8 * i)));
            }
            counter++;
            byte[] d = mac.doFinal();
            System.arraycopy(d, 0, block, 0, 32);
            pos = 0;
        }
        return block[pos++] & 0xff;
    }

    long nextLong() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | nextByte();
        }
        return v;
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        long r = nextLong() >>> 1;
        return (int) (r % bound);
    }
}
