package org.aigcmark.bench.text.lm;

/**
 * A next-token distribution over a sparse candidate set: enough to drive the watermark's top-k path and to
 * produce text for demos and evaluation without any weights download.
 */
public interface LanguageModel {
    /** Upper bound of candidates returned by one call (size the arrays with it). */
    int maxCandidates();

    /**
     * Writes the candidates for the next token after {@code history[0..len)} into {@code ids} and their logits
     * (natural-log probabilities up to a constant) into {@code logits}; returns how many were written.
     */
    int candidates(int[] history, int len, int[] ids, float[] logits);
}
