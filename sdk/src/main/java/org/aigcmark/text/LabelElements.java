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
    record Unit(String text, int start, int end, int flags) {
        Unit(String text, int start, int end) {
            this(text, start, end, 0);
        }
    }

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

    /** A disguised element (look-alike letters) does not make a label compliant: it is an evasion, not a label text. */
    private static int firstIndex(List<Unit> u, boolean ai) {
        for (int i = 0; i < u.size(); i++) {
            if ((u.get(i).flags & HOMOGLYPHS) == 0 && (ai ? aiLength(u, i) : generationLength(u, i)) > 0) {
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

    /** NFKC of one code point; ASCII and ordinary CJK ideographs skip the normaliser. */
    private static String normalise(int cp) {
        if (cp < 0x80 || cp >= 0x4E00 && cp <= 0x9FFF) {
            return new String(Character.toChars(cp));
        }
        return Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC);
    }

    /** A Cyrillic or Greek letter: part of a word, folded to Latin only when the word is a disguised Latin one. */
    private static boolean isCyrillicOrGreek(int cp) {
        Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
        return Character.isLetter(cp) && (sc == Character.UnicodeScript.CYRILLIC || sc == Character.UnicodeScript.GREEK);
    }

    /**
     * Units of {@code text[from, to)}, with spans in {@code text}'s indexes. A word may mix Latin with Cyrillic or
     * Greek letters ("Gеnеrаtеd" with Cyrillic е and а): when every such letter has a Latin look-alike the word is
     * read in Latin and flagged {@link #HOMOGLYPHS}. Invisible format characters between two letters ("Gen\u200Berated")
     * do not split a word (flagged {@link #SPACED}), and runs of single letters written apart ("G e n e r a t e d",
     * "A.I.G.C") are joined into words ({@link #joinLetterSpacedRuns}).
     */
    static List<Unit> units(String text, int from, int to) {
        List<Unit> out = new ArrayList<>();
        int i = from;
        int n = to;
        StringBuilder word = new StringBuilder();
        int wordStart = -1;
        int wordFlags = 0;
        boolean latin = false;
        boolean other = false;
        int lastEnd = from;
        while (i < n) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            if (wordStart >= 0 && Character.getType(cp) == Character.FORMAT) {
                int j = i + len;
                while (j < n && Character.getType(text.codePointAt(j)) == Character.FORMAT && j - i < 16) {
                    j += Character.charCount(text.codePointAt(j));
                }
                if (j < n && isWordChar(normalise(text.codePointAt(j)))) {
                    wordFlags |= SPACED; // invisible characters inside a word: one word as the reader sees it
                    i = j;
                    continue;
                }
            }
            String norm = normalise(cp);
            if (isWordChar(norm)) {
                if (wordStart < 0) {
                    wordStart = i;
                }
                for (int k = 0; k < norm.length(); ) {
                    int c = norm.codePointAt(k);
                    latin |= c < 0x250 && Character.isLetter(c);
                    other |= isCyrillicOrGreek(c);
                    word.appendCodePoint(c);
                    k += Character.charCount(c);
                }
            } else {
                if (wordStart >= 0) {
                    out.add(word(word, wordStart, i, wordFlags, latin, other, text, lastEnd));
                    lastEnd = i;
                    word.setLength(0);
                    wordStart = -1;
                    wordFlags = 0;
                    latin = other = false;
                }
                String lower = norm.toLowerCase(Locale.ROOT);
                if (!lower.isEmpty() && Character.isLetter(lower.codePointAt(0))) {
                    out.add(new Unit(lower, i, i + len, separatorFlag(text, lastEnd, i, out.isEmpty())));
                    lastEnd = i + len;
                }
            }
            i += len;
        }
        if (wordStart >= 0) {
            out.add(word(word, wordStart, n, wordFlags, latin, other, text, lastEnd));
        }
        return joinLetterSpacedRuns(text, out);
    }

    private static boolean isWordChar(String norm) {
        return !norm.isEmpty() && norm.codePoints().allMatch(c -> c < 0x250 && Character.isLetterOrDigit(c) || isCyrillicOrGreek(c));
    }

    private static Unit word(StringBuilder w, int start, int end, int flags, boolean latin, boolean other, String text, int lastEnd) {
        String lower = w.toString().toLowerCase(Locale.ROOT);
        int sep = separatorFlag(text, lastEnd, start, lastEnd == start && start == 0);
        if (!other) {
            return new Unit(lower, start, end, flags | sep);
        }
        String folded = foldHomoglyphs(w);
        // A mixed-script word, or an all-look-alike one that reads as a label element ("АІ"); plain Russian or Greek
        // words stay as they are.
        if (folded != null && (latin || folded.equals("ai") || folded.equals("aigc") || folded.startsWith("generat")
                || folded.startsWith("synthe"))) {
            return new Unit(folded, start, end, flags | sep | HOMOGLYPHS);
        }
        return new Unit(lower, start, end, flags | sep);
    }

    /** The word in lower-case Latin with each Cyrillic/Greek look-alike replaced, or null if one has none. */
    private static String foldHomoglyphs(CharSequence w) {
        StringBuilder sb = new StringBuilder(w.length());
        for (int k = 0; k < w.length(); k++) {
            char c = w.charAt(k);
            if (c < 0x250) {
                sb.append(Character.toLowerCase(c));
                continue;
            }
            int at = HOMOGLYPH_FROM.indexOf(c);
            if (at < 0) {
                return null;
            }
            sb.append(HOMOGLYPH_TO.charAt(at));
        }
        return sb.toString();
    }

    /** Cyrillic and Greek letters that look like Latin ones (both cases), and the Latin letter each looks like. */
    private static final String HOMOGLYPH_FROM =
            "АаВвЕеЅѕІіЈјКкМмНнОоРрСсТтХхУуԁһӏԛԝЬ" + "ΑαΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρυχ";
    private static final String HOMOGLYPH_TO =
            "aabbeessiijjkkmmhhooppccttxxyydhlqwb" + "aabezhikmnoptyxoikvpux";

    /** Flag for a unit whose separator from the previous unit is more than nothing or a lone "." ("A I", "生 成"). */
    private static int separatorFlag(String text, int prevEnd, int start, boolean first) {
        if (first || start == prevEnd || start - prevEnd == 1 && text.charAt(prevEnd) == '.') {
            return 0;
        }
        return SEPARATED;
    }

    /** The unit's Latin letters were Cyrillic/Greek look-alikes. */
    static final int HOMOGLYPHS = 1;
    /** The unit was written with its letters apart (spaces, dots, invisible characters between them). */
    static final int SPACED = 2;
    /** Something other than nothing or a lone "." separates the unit from the one before. */
    static final int SEPARATED = 4;

    /** Runs of single Latin letters longer than this are joined but not split into words (bounded work). */
    private static final int MAX_SPACED_RUN = 200;
    private static final int MAX_LETTER_GAP = 3;

    /**
     * Joins runs of three or more single Latin letters, each apart from the next by at most three visible
     * separator characters on one line ("G e n e r a t e d  b y  A I", "A.I.G.C"). Gaps wider than the narrowest
     * one in the run separate words; a piece without such gaps is split into known words (label vocabulary and
     * elements) when it can be, else kept as one word. Linear in the run's length.
     */
    private static List<Unit> joinLetterSpacedRuns(String text, List<Unit> u) {
        List<Unit> out = null;
        int i = 0;
        while (i < u.size()) {
            int j = i;
            while (j + 1 < u.size() && isSingleLatin(u.get(j)) && isSingleLatin(u.get(j + 1))
                    && letterGap(text, u.get(j).end(), u.get(j + 1).start()) >= 0 && j + 1 - i < MAX_SPACED_RUN) {
                j++;
            }
            if (j - i + 1 >= 3) {
                if (out == null) {
                    out = new ArrayList<>(u.subList(0, i));
                }
                int minGap = Integer.MAX_VALUE;
                for (int k = i; k < j; k++) {
                    minGap = Math.min(minGap, letterGap(text, u.get(k).end(), u.get(k + 1).start()));
                }
                int pieceStart = i;
                for (int k = i; k <= j; k++) {
                    if (k == j || letterGap(text, u.get(k).end(), u.get(k + 1).start()) > minGap) {
                        addWords(u, pieceStart, k, out);
                        pieceStart = k + 1;
                    }
                }
                i = j + 1;
                continue;
            }
            if (out != null) {
                out.add(u.get(i));
            }
            i++;
        }
        return out != null ? out : u;
    }

    /** A single Latin letter, or a single Cyrillic/Greek look-alike of one ("G е n е r а t е d"). */
    private static boolean isSingleLatin(Unit x) {
        return x.text.length() == 1 && (x.text.charAt(0) >= 'a' && x.text.charAt(0) <= 'z' || foldHomoglyphs(x.text) != null);
    }

    /** Visible separator chars between two letters, or -1 when too many or a line break. */
    private static int letterGap(String text, int from, int to) {
        int visible = 0;
        if (to - from > 32) {
            return -1;
        }
        for (int k = from; k < to; k++) {
            char c = text.charAt(k);
            if (c == '\n' || c == '\r') {
                return -1;
            }
            if (Character.getType(c) != Character.FORMAT) {
                visible++;
            }
        }
        return visible <= MAX_LETTER_GAP ? visible : -1;
    }

    /** Adds the letters {@code u[from..to]} as the words they spell (split by a longest-word dictionary pass). */
    private static void addWords(List<Unit> u, int from, int to, List<Unit> out) {
        int len = to - from + 1;
        StringBuilder sb = new StringBuilder(len);
        int flags = SPACED | u.get(from).flags;
        for (int k = from; k <= to; k++) {
            String letter = u.get(k).text;
            if (letter.charAt(0) > 'z') {
                letter = foldHomoglyphs(letter);
                flags |= HOMOGLYPHS;
            }
            sb.append(letter);
            flags |= u.get(k).flags & HOMOGLYPHS;
        }
        String s = sb.toString();
        // next[p]: length of the longest known word at p that leaves a splittable rest (0: none), filled from the end.
        int[] next = new int[len + 1];
        boolean[] ok = new boolean[len + 1];
        ok[len] = true;
        for (int p = len - 1; p >= 0; p--) {
            for (int w = Math.min(MAX_KNOWN_WORD, len - p); w >= 1; w--) {
                if (ok[p + w] && KNOWN_WORDS.contains(s.substring(p, p + w))) {
                    next[p] = w;
                    ok[p] = true;
                    break;
                }
            }
        }
        if (!ok[0]) {
            out.add(new Unit(s, u.get(from).start, u.get(to).end, flags));
            return;
        }
        for (int p = 0; p < len; p += next[p]) {
            int sep = p == 0 ? u.get(from).flags & SEPARATED : SEPARATED;
            out.add(new Unit(s.substring(p, p + next[p]), u.get(from + p).start, u.get(from + p + next[p] - 1).end,
                    (flags & ~SEPARATED) | sep));
        }
    }

    /** Words a letter-spaced run may spell: the label vocabulary and the two elements. */
    private static final java.util.Set<String> KNOWN_WORDS;
    private static final int MAX_KNOWN_WORD;

    static {
        java.util.Set<String> w = new java.util.HashSet<>(ExplicitLabelDetector.EN_VOCABULARY);
        w.addAll(List.of("ai", "aigc", "artificial", "intelligence", "generated", "generation", "generative", "generate",
                "synthetic", "synthesized", "synthesised", "synthesis", "the", "content"));
        KNOWN_WORDS = java.util.Set.copyOf(w);
        MAX_KNOWN_WORD = KNOWN_WORDS.stream().mapToInt(String::length).max().orElse(1);
    }
}
