package org.aigcmark.watermark;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.aigcmark.AigcmarkException;
import org.aigcmark.key.WatermarkKey;

/**
 * The 64 data bits an image watermark carries. Usually bound to the metadata label with {@link #fromLabel}: a
 * keyed hash of ContentProducer and ProduceID, so a hit on a stripped copy points back to the label (the provider
 * recomputes the hash for a candidate label, or keeps a payload → label index).
 *
 * @param bits the 64 payload bits
 */
public record WatermarkPayload(long bits) {
    private static final String BINDING_PURPOSE = "image-watermark/label-binding/v1";

    /**
     * First 8 bytes (big-endian) of HMAC-SHA256(key.derive("image-watermark/label-binding/v1"),
     * UTF-8(contentProducer) || 0x00 || UTF-8(produceId)).
     */
    public static WatermarkPayload fromLabel(WatermarkKey key, String contentProducer, String produceId) {
        if (contentProducer == null || produceId == null) {
            throw AigcmarkException.invalid("ContentProducer and ProduceID are both needed to bind a watermark payload");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.derive(BINDING_PURPOSE), "HmacSHA256"));
            mac.update(contentProducer.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] d = mac.doFinal(produceId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return new WatermarkPayload(v);
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "HmacSHA256 unavailable", e);
        }
    }

    /** Parses 16 hex digits, as printed by {@link #hex()}. */
    public static WatermarkPayload ofHex(String hex) {
        if (hex == null || hex.length() != 16) {
            throw AigcmarkException.invalid("a watermark payload is 16 hex digits, got " + hex);
        }
        try {
            return new WatermarkPayload(HexFormat.fromHexDigitsToLong(hex));
        } catch (IllegalArgumentException e) {
            throw AigcmarkException.invalid("a watermark payload is 16 hex digits, got " + hex);
        }
    }

    /** 16 lower-case hex digits. */
    public String hex() {
        return HexFormat.of().toHexDigits(bits);
    }

    @Override
    public String toString() {
        return "WatermarkPayload[" + hex() + "]";
    }
}
