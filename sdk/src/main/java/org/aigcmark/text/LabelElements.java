package org.aigcmark.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds GB 45438's two required elements of a text label: an AI element ("AI", "人工智能", "artificial
 * intelligence") and a generation element ("生成", "合成", "generated", "synthesized", "synthetic"...). Works on
 * NFKC-normalised, lower-cased units (Latin words and single CJK characters), so fullwidth "ＡＩ", "A.I.",
 * "A I", extra spaces and punctuation all match, while "said" or "again" do not.
 */
public final class LabelElements {
    private LabelElements() {}

    /** A word or CJK character of the normalised text, with its span in the original text. */
    record Unit(String text, int start, int end) {}

    /** Whether {@code text} contains both elements (anywhere, in either order). */
    public static boolean hasBothElements(String text) {
        List<Unit> u = units(text);
        return firstIndex(u, true) >= 0 && firstIndex(u, false) >= 0;
    }

    /** Whether {@code text} contains an AI element. */
    public static boolean hasAiElement(String text) {
        return firstIndex(units(text), true) >= 0;
    }

    /** Whether {@code text} contains a generation element. */
    public static boolean hasGenerationElement(String text) {
        return firstIndex(units(text), false) >= 0;
    }

    private static int firstIndex(List<Unit> u, boolean ai) {
        for (int i = 0; i < u.size(); i++) {
            if ((ai ? aiLength(u, i) : generationLength(u, i)) > 0) {
                return i;
            }
        }
        return -1;
    }

    /** Units an AI element starting at {@code i} spans, or 0. */
    static int aiLength(List<Unit> u, int i) {
        String w = u.get(i).text;
        if (w.equals("ai") || w.startsWith("ai") && isAiCompound(w)) {
            return 1;
        }
        if (w.equals("a") && i + 1 < u.size() && u.get(i + 1).text.equals("i")) {
            return 2; // "A.I." or "A I"
        }
        if (w.equals("artificial") && i + 1 < u.size() && u.get(i + 1).text.startsWith("intelligen")) {
            return 2;
        }
        if (w.equals("人") && matches(u, i, "人", "工", "智", "能")) {
            return 4;
        }
        return 0;
    }

    private static boolean isAiCompound(String w) {
        // "aigc", "aigenerated" (from "AI-generated" once hyphens are dropped we keep words apart, so rare).
        return w.equals("aigc") || w.equals("aigenerated") || w.equals("aigen");
    }

    /** Units a generation element starting at {@code i} spans, or 0. */
    static int generationLength(List<Unit> u, int i) {
        String w = u.get(i).text;
        if (w.startsWith("generat") || w.startsWith("synthe") || w.equals("aigc") || w.equals("aigenerated")) {
            return 1;
        }
        if ((w.equals("生") || w.equals("合")) && i + 1 < u.size() && u.get(i + 1).text.equals(w.equals("生") ? "成" : "成")) {
            return 2;
        }
        return 0;
    }

    private static boolean matches(List<Unit> u, int i, String... seq) {
        if (i + seq.length > u.size()) {
            return false;
        }
        for (int j = 0; j < seq.length; j++) {
            if (!u.get(i + j).text.equals(seq[j])) {
                return false;
            }
        }
        return true;
    }

    /** Splits into lower-cased NFKC units: runs of Latin letters/digits, or single other letters (CJK). */
    static List<Unit> units(String text) {
        return units(text, 0, text.length());
    }

    /** NFKC + lower case of one code point; ASCII and ordinary CJK ideographs skip the normaliser. */
    private static String normalise(int cp) {
        if (cp < 0x80) {
            return String.valueOf((char) Character.toLowerCase(cp));
        }
        if (cp >= 0x4E00 && cp <= 0x9FFF) {
            return new String(Character.toChars(cp));
        }
        return Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** Units of {@code text[from, to)}, with spans in {@code text}'s indexes. */
    static List<Unit> units(String text, int from, int to) {
        List<Unit> out = new ArrayList<>();
        int i = from;
        int n = to;
        StringBuilder word = new StringBuilder();
        int wordStart = -1;
        while (i < n) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            String norm = normalise(cp);
            boolean latinish = !norm.isEmpty() && norm.codePoints().allMatch(c -> c < 0x250 && Character.isLetterOrDigit(c));
            if (latinish) {
                if (wordStart < 0) {
                    wordStart = i;
                }
                word.append(norm);
            } else {
                if (wordStart >= 0) {
                    out.add(new Unit(word.toString(), wordStart, i));
                    word.setLength(0);
                    wordStart = -1;
                }
                if (!norm.isEmpty() && Character.isLetter(norm.codePointAt(0))) {
                    out.add(new Unit(norm, i, i + len));
                }
            }
            i += len;
        }
        if (wordStart >= 0) {
            out.add(new Unit(word.toString(), wordStart, n));
        }
        return out;
    }
}
