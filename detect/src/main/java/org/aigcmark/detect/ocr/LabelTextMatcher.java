package org.aigcmark.detect.ocr;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigcmark.label.ExplicitLabelText;

/**
 * Repairs the OCR confusions that matter for labels, then applies the SDK's own label rule
 * ({@link ExplicitLabelText}). The recogniser often reads "AI" as "Al", "A1" or "A|", adds spaces between CJK
 * characters, or returns fullwidth forms.
 */
final class LabelTextMatcher {
    private LabelTextMatcher() {}

    /** "A" followed by a confusable of "I", not inside a longer Latin word ("Also", "Alpha" stay as they are). */
    private static final Pattern AI_CONFUSION = Pattern.compile("(?<![A-Za-z])[AaΑА4][lI1|!ｌＩ丨](?![A-Za-z])");
    private static final Pattern CJK_SPACE = Pattern.compile("(?<=[\\p{IsHan}])\\s+(?=[\\p{IsHan}A-Za-z])|(?<=[A-Za-z])\\s+(?=\\p{IsHan})");
    private static final String[] AI_ELEMENTS = {"人工智能", "artificial intelligence", "ai"};
    private static final String[] GEN_ELEMENTS = {"生成", "合成", "generated", "generating", "generation", "generate",
        "synthesized", "synthesised", "synthetic", "synthesis"};

    /** NFKC, confusions repaired, spaces between CJK characters removed. */
    static String repair(String ocr) {
        String s = Normalizer.normalize(ocr, Normalizer.Form.NFKC).strip();
        Matcher m = AI_CONFUSION.matcher(s);
        s = m.replaceAll("AI");
        s = CJK_SPACE.matcher(s).replaceAll("");
        return s;
    }

    static boolean hasAi(String repaired) {
        return ExplicitLabelText.hasAiElement(repaired);
    }

    static boolean hasGeneration(String repaired) {
        return ExplicitLabelText.hasGenerationElement(repaired);
    }

    /** The span from the first AI element to the nearest generation element (either order), else the text. */
    static String matchedPhrase(String repaired) {
        String lower = repaired.toLowerCase(Locale.ROOT);
        if (lower.length() != repaired.length()) {
            return repaired;
        }
        int[] ai = firstOf(lower, AI_ELEMENTS, true);
        int[] gen = firstOf(lower, GEN_ELEMENTS, false);
        if (ai == null || gen == null) {
            return repaired;
        }
        int start = Math.min(ai[0], gen[0]);
        int end = Math.max(ai[1], gen[1]);
        // extend a Latin word that was cut ("generat" -> "generated")
        while (end < lower.length() && Character.isLetter(lower.charAt(end)) && lower.charAt(end) < 0x80) {
            end++;
        }
        return repaired.substring(start, end);
    }

    private static int[] firstOf(String lower, String[] needles, boolean wordAi) {
        int[] best = null;
        for (String n : needles) {
            int from = 0;
            while (true) {
                int i = lower.indexOf(n, from);
                if (i < 0) {
                    break;
                }
                boolean ok = !wordAi || !n.equals("ai") || isToken(lower, i, i + 2);
                if (ok) {
                    if (best == null || i < best[0]) {
                        best = new int[] {i, i + n.length()};
                    }
                    break;
                }
                from = i + 1;
            }
        }
        return best;
    }

    private static boolean isToken(String s, int start, int end) {
        boolean before = start == 0 || !(s.charAt(start - 1) >= 'a' && s.charAt(start - 1) <= 'z');
        boolean after = end >= s.length() || !(s.charAt(end) >= 'a' && s.charAt(end) <= 'z');
        return before && after;
    }
}
