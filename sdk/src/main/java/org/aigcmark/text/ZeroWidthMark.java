package org.aigcmark.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.aigcmark.AigcmarkException;
import org.aigcmark.key.WatermarkKey;

/**
 * An optional post-hoc invisible mark for text produced without model access. <b>Fragile by design:</b> any
 * rewrite, retyping, OCR, "paste as plain text", many input sanitisers and a one-line regex remove it, and
 * {@link InvisibleCharacterScanner} (like every other scanner) reports it. Use it only as a convenience on top
 * of the explicit label and the generation-time watermark, never instead of them.
 *
 * <p>Format: U+2060 (word joiner) as a frame marker, then 64 bits written as U+200B (0) / U+200C (1), then
 * U+2060. The 64 bits are the first 8 bytes of HMAC-SHA256(key.derive("text-zero-width/v1"), "AIGC"). The mark is
 * inserted after the first word and repeated after every {@code every}-th space-separated word (default 50), so a
 * partial copy still carries one.
 */
public final class ZeroWidthMark {
    private static final char FRAME = '\u2060';
    private static final char ZERO = '\u200B';
    private static final char ONE = '\u200C';
    private static final int BITS = 64;

    private final byte[] tag;

    /** A mark whose 64-bit tag is derived from {@code key}'s {@code text-zero-width/v1} sub-key. */
    public ZeroWidthMark(WatermarkKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.derive("text-zero-width/v1"), "HmacSHA256"));
            this.tag = Arrays.copyOf(mac.doFinal("AIGC".getBytes(StandardCharsets.US_ASCII)), 8);
        } catch (java.security.GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "HmacSHA256 unavailable", e);
        }
    }

    /** The 64-bit tag, hex (shows which key marked a text). */
    public String tagHex() {
        return HexFormat.of().formatHex(tag);
    }

    private String encoded() {
        StringBuilder sb = new StringBuilder(BITS + 2).append(FRAME);
        for (int i = 0; i < BITS; i++) {
            sb.append(((tag[i / 8] >> (7 - i % 8)) & 1) == 1 ? ONE : ZERO);
        }
        return sb.append(FRAME).toString();
    }

    /**
     * The text with the mark after its first word and after every 50th following space; see {@link #embed(String,
     * int)}.
     */
    public String embed(String text) {
        return embed(text, 50);
    }

    /** The text with the mark after its first word and after every {@code every}-th following space. */
    public String embed(String text, int every) {
        String mark = encoded();
        StringBuilder sb = new StringBuilder(text.length() + mark.length() * (1 + text.length() / 200));
        int spaces = 0;
        boolean placedFirst = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c);
            if (c == ' ') {
                if (!placedFirst || ++spaces % every == 0) {
                    sb.append(mark);
                    placedFirst = true;
                }
            }
        }
        if (!placedFirst) {
            sb.append(mark); // no space at all (e.g. Chinese): append once at the end
        }
        return sb.toString();
    }

    /** How many intact marks of this key the text carries. */
    public int count(String text) {
        String mark = encoded();
        int n = 0;
        for (int i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + mark.length())) {
            n++;
        }
        return n;
    }

    /** Every framed 64-bit payload in the text (any key), as hex, in order. */
    public static List<String> payloads(String text) {
        List<String> out = new ArrayList<>();
        for (int i = text.indexOf(FRAME); i >= 0 && i + BITS + 1 < text.length(); i = text.indexOf(FRAME, i + 1)) {
            if (text.charAt(i + BITS + 1) != FRAME) {
                continue;
            }
            byte[] b = new byte[8];
            boolean ok = true;
            for (int k = 0; k < BITS && ok; k++) {
                char c = text.charAt(i + 1 + k);
                if (c == ONE) {
                    b[k / 8] |= (byte) (1 << (7 - k % 8));
                } else if (c != ZERO) {
                    ok = false;
                }
            }
            if (ok) {
                out.add(HexFormat.of().formatHex(b));
                i += BITS + 1;
            }
        }
        return out;
    }

    /**
     * The text with every zero-width and word-joiner character removed (what any sanitiser does). Package-private on
     * purpose: the Measures (Art. 10) forbid tools that remove a label, so no public API hands this out; it exists
     * to show in tests how fragile the mark is.
     */
    static String strip(String text) {
        return text.replaceAll("[\\u200B\\u200C\\u200D\\u2060\\uFEFF]", "");
    }
}
