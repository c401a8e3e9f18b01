package org.aigcmark.text;

/**
 * A suspicious character (or word) found by {@link InvisibleCharacterScanner}.
 *
 * @param index     char index in the text
 * @param length    chars covered (a homoglyph finding covers the whole word)
 * @param kind      what it is
 * @param codePoint the first suspicious code point, e.g. U+200B
 * @param detail    a short human description (the character's Unicode name, or the scripts mixed)
 */
public record InvisibleCharacterFinding(int index, int length, Kind kind, int codePoint, String detail) {
    /** The kind of hidden character found. */
    public enum Kind {
        /** U+200B..U+200D, U+2060, U+FEFF (not at the start), U+180E, U+00AD, U+034F, U+2061..U+2064. */
        ZERO_WIDTH,
        /** Bidirectional controls: U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C (Trojan Source). */
        BIDI_CONTROL,
        /** Variation selectors U+FE00..U+FE0F and U+E0100..U+E01EF when not after an emoji or CJK ideograph. */
        VARIATION_SELECTOR,
        /** Tag characters U+E0000..U+E007F (can smuggle ASCII invisibly). */
        TAG,
        /** Unusual spaces (U+2000..U+200A, U+202F, U+205F, U+3000 in Latin text, U+00A0 runs) used to hide bits. */
        UNUSUAL_SPACE,
        /** Other invisible format characters (general category Cf) or private-use characters. */
        OTHER_FORMAT,
        /** A word mixing Latin with Cyrillic or Greek letters (a confusable look-alike, e.g. Cyrillic "а" in "pаypal"). */
        HOMOGLYPH
    }

    /** The first suspicious code point as {@code U+XXXX} (four or more uppercase hex digits). */
    public String codePointHex() {
        return String.format("U+%04X", codePoint);
    }
}
