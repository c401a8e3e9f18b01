package org.aigcmark.label;

import java.text.Normalizer;
import java.util.Locale;
import org.aigcmark.AigcmarkException;

/**
 * The common rule for every explicit (visible or spoken) label, GB 45438 §5: the text must contain an AI element
 * ("人工智能" or "AI") and a generation element ("生成" or "合成"; for English text "generated" or "synthesized").
 */
public final class ExplicitLabelText {
    private ExplicitLabelText() {}

    /** Whether the text has an AI element, after NFKC (so fullwidth ＡＩ counts). */
    public static boolean hasAiElement(String text) {
        String n = normalize(text);
        return n.contains("人工智能") || n.contains("artificial intelligence") || containsWordAi(n);
    }

    /** Whether the text has a generation/synthesis element. */
    public static boolean hasGenerationElement(String text) {
        String n = normalize(text);
        return n.contains("生成") || n.contains("合成") || n.contains("generat") || n.contains("synthes")
                || n.contains("synthetic");
    }

    /** Throws INVALID_ARGUMENT naming the missing element(s). */
    public static String requireCompliant(String text) {
        if (text == null || text.isBlank()) {
            throw AigcmarkException.invalid("the explicit label text is empty");
        }
        boolean ai = hasAiElement(text);
        boolean gen = hasGenerationElement(text);
        if (!ai || !gen) {
            String missing = !ai && !gen ? "an AI element (\"AI\" or \"人工智能\") and a generation element (\"生成\" or \"合成\")"
                    : !ai ? "an AI element (\"AI\" or \"人工智能\")" : "a generation element (\"生成\" or \"合成\", or \"generated\")";
            throw AigcmarkException.invalid("label text \"" + text + "\" lacks " + missing
                    + " (GB 45438 §5 requires both), e.g. \"AI生成\"");
        }
        return text;
    }

    static String normalize(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** "ai" as a token: not inside a Latin word such as "maid" or "email". */
    private static boolean containsWordAi(String n) {
        int i = n.indexOf("ai");
        while (i >= 0) {
            boolean before = i == 0 || !isLatinLetter(n.charAt(i - 1));
            boolean after = i + 2 >= n.length() || !isLatinLetter(n.charAt(i + 2));
            if (before && after) {
                return true;
            }
            i = n.indexOf("ai", i + 1);
        }
        return false;
    }

    private static boolean isLatinLetter(char c) {
        return (c >= 'a' && c <= 'z');
    }
}
