package org.aigcmark.bench.text.eval;

import java.util.SplittableRandom;
import org.aigcmark.text.TextLanguage;

/** Model-free edits used to measure robustness (after MarkLLM's WordDeletion and random substitution). */
public final class Attacks {
    private Attacks() {}

    /**
     * Each word, with probability {@code rate}, is deleted or (equal odds) replaced by a random word from
     * {@code replacements}. English words are whitespace-separated; Chinese "words" are single Han characters.
     */
    public static String words(String text, double rate, TextLanguage lang, String[] replacements, SplittableRandom rng) {
        StringBuilder sb = new StringBuilder(text.length());
        if (lang == TextLanguage.ZH) {
            text.codePoints().forEach(cp -> {
                if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN && rng.nextDouble() < rate) {
                    if (rng.nextBoolean()) {
                        sb.append(replacements[rng.nextInt(replacements.length)]);
                    }
                } else {
                    sb.appendCodePoint(cp);
                }
            });
            return sb.toString();
        }
        // Keep the whitespace as it was; edit the words between.
        int i = 0;
        int n = text.length();
        while (i < n) {
            int j = i;
            while (j < n && Character.isWhitespace(text.charAt(j))) {
                j++;
            }
            sb.append(text, i, j);
            int k = j;
            while (k < n && !Character.isWhitespace(text.charAt(k))) {
                k++;
            }
            if (k > j) {
                if (rng.nextDouble() < rate) {
                    if (rng.nextBoolean()) {
                        sb.append(replacements[rng.nextInt(replacements.length)]);
                    } else if (k < n) {
                        k++; // deleting a word also drops one following space
                    }
                } else {
                    sb.append(text, j, k);
                }
            }
            i = k;
        }
        return sb.toString();
    }

    /** Token-level version for models without text: delete or replace each token with probability {@code rate}. */
    public static int[] tokens(int[] ids, double rate, int vocabulary, SplittableRandom rng) {
        int[] out = new int[ids.length];
        int n = 0;
        for (int id : ids) {
            if (rng.nextDouble() < rate) {
                if (rng.nextBoolean()) {
                    out[n++] = rng.nextInt(vocabulary);
                }
            } else {
                out[n++] = id;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
