package org.aigcmark.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Reports characters that hide information or change how text reads without showing: zero-width characters,
 * bidi controls, stray variation selectors, tag characters, unusual spaces, other format characters, and words
 * that mix Latin with Cyrillic or Greek look-alikes. Findings are data, never errors. The list is capped at
 * {@code maxFindings} (the total count is still reported by {@link Report#total()}).
 */
public final class InvisibleCharacterScanner {
    private final int maxFindings;

    /** A scanner that lists at most 1000 findings. */
    public InvisibleCharacterScanner() {
        this(1000);
    }

    /** A scanner that lists at most {@code maxFindings} findings (0 lists none; the total still counts all). */
    public InvisibleCharacterScanner(int maxFindings) {
        this.maxFindings = maxFindings;
    }

    /**
     * What a scan found.
     *
     * @param findings the findings in text order, at most {@code maxFindings}
     * @param total how many were found, including those left off the list
     */
    public record Report(List<InvisibleCharacterFinding> findings, int total) {
        /** Whether nothing suspicious was found. */
        public boolean clean() {
            return total == 0;
        }
    }

    /**
     * Scans {@code text} (not null) for hidden characters and homoglyph words; never throws for its content.
     *
     * @return the findings in text order, capped at {@code maxFindings}, and the total count
     */
    public Report scan(String text) {
        List<InvisibleCharacterFinding> out = new ArrayList<>();
        int total = 0;
        int n = text.length();
        int prevCp = -1;
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            InvisibleCharacterFinding.Kind kind = classify(cp, i, prevCp);
            if (kind != null) {
                total++;
                if (out.size() < maxFindings) {
                    String name = Character.getName(cp);
                    out.add(new InvisibleCharacterFinding(i, len, kind, cp, name == null ? "" : name));
                }
            }
            prevCp = cp;
            i += len;
        }
        // Homoglyphs: words (letter runs) that mix Latin with Cyrillic/Greek.
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!Character.isLetter(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            boolean latin = false;
            boolean cyr = false;
            boolean greek = false;
            int firstOdd = -1;
            while (i < n) {
                cp = text.codePointAt(i);
                if (!Character.isLetter(cp)) {
                    break;
                }
                Character.UnicodeScript s = Character.UnicodeScript.of(cp);
                if (s == Character.UnicodeScript.LATIN) {
                    latin = true;
                } else if (s == Character.UnicodeScript.CYRILLIC || s == Character.UnicodeScript.GREEK) {
                    if (s == Character.UnicodeScript.CYRILLIC) {
                        cyr = true;
                    } else {
                        greek = true;
                    }
                    if (firstOdd < 0) {
                        firstOdd = cp;
                    }
                }
                i += Character.charCount(cp);
            }
            if (latin && (cyr || greek)) {
                total++;
                if (out.size() < maxFindings) {
                    out.add(new InvisibleCharacterFinding(start, i - start, InvisibleCharacterFinding.Kind.HOMOGLYPH,
                            firstOdd, "word mixes Latin with " + (cyr ? "Cyrillic" : "Greek") + ": " + text.substring(start, i)));
                }
            }
        }
        out.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return new Report(List.copyOf(out), total);
    }

    static InvisibleCharacterFinding.Kind classify(int cp, int index, int prevCp) {
        switch (cp) {
            case 0x200B, 0x200C, 0x200D, 0x2060, 0x180E, 0x00AD, 0x034F, 0x2061, 0x2062, 0x2063, 0x2064:
                // ZWJ inside an emoji sequence is legitimate.
                if (cp == 0x200D && prevCp >= 0 && isEmojiish(prevCp)) {
                    return null;
                }
                return InvisibleCharacterFinding.Kind.ZERO_WIDTH;
            case 0xFEFF:
                return index == 0 ? null : InvisibleCharacterFinding.Kind.ZERO_WIDTH;
            case 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C:
                return InvisibleCharacterFinding.Kind.BIDI_CONTROL;
            case 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F:
                return InvisibleCharacterFinding.Kind.UNUSUAL_SPACE;
            default:
                break;
        }
        if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)) {
            boolean legit = prevCp >= 0 && (isEmojiish(prevCp) || Character.UnicodeScript.of(prevCp) == Character.UnicodeScript.HAN);
            return legit && cp <= 0xFE0F || legit && Character.UnicodeScript.of(prevCp) == Character.UnicodeScript.HAN ? null
                    : InvisibleCharacterFinding.Kind.VARIATION_SELECTOR;
        }
        if (cp >= 0xE0000 && cp <= 0xE007F) {
            // Tag sequences after a black flag are legitimate subdivision flags; anything else is smuggling.
            return prevCp == 0x1F3F4 || (prevCp >= 0xE0020 && prevCp <= 0xE007E) ? null : InvisibleCharacterFinding.Kind.TAG;
        }
        int type = Character.getType(cp);
        if (type == Character.FORMAT) {
            return InvisibleCharacterFinding.Kind.OTHER_FORMAT;
        }
        if (type == Character.PRIVATE_USE) {
            return InvisibleCharacterFinding.Kind.OTHER_FORMAT;
        }
        return null;
    }

    private static boolean isEmojiish(int cp) {
        return cp >= 0x1F000 || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0x2764 || (cp >= 0x1F3FB && cp <= 0x1F3FF)
                || cp == 0xFE0F || cp == 0x20E3;
    }
}
