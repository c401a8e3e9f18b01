package org.aigcmark.bench.text.lm;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.aigcmark.text.watermark.WatermarkLogitsProcessor;

/** Samples tokens from a {@link LanguageModel} at temperature 1, optionally through the watermark processor. */
public final class TextGenerator {
    private TextGenerator() {}

    /**
     * Generates {@code count} tokens after {@code prompt}.
     *
     * @param watermark the processor, or null for unwatermarked text
     * @return the generated token ids (prompt excluded)
     */
    public static int[] generate(LanguageModel model, WatermarkLogitsProcessor watermark, int[] prompt, int count,
                                 RandomGenerator rng) {
        int[] history = Arrays.copyOf(prompt, prompt.length + count);
        int len = prompt.length;
        int[] ids = new int[model.maxCandidates()];
        float[] logits = new float[model.maxCandidates()];
        WatermarkLogitsProcessor.Session session = watermark == null ? null : watermark.newSession();
        for (int i = 0; i < count; i++) {
            int k = model.candidates(history, len, ids, logits);
            int next;
            if (watermark != null) {
                next = session.sampleTopK(ids, logits, k, history, len, rng);
            } else {
                next = ids[WatermarkLogitsProcessor.sampleIndex(logits, k, rng)];
            }
            history[len++] = next;
        }
        return Arrays.copyOfRange(history, prompt.length, len);
    }
}
