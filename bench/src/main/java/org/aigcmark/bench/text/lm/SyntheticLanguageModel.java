package org.aigcmark.bench.text.lm;

import java.util.SplittableRandom;

/**
 * A model with a controlled per-token entropy, for evaluation: each step draws 1,000 distinct random token ids
 * from a 131,072-token vocabulary and gives them Zipf-shaped logits {@code -s * ln(rank + 1)}, with s chosen so
 * the distribution's Shannon entropy is the target (in bits). About 2 bits per token is typical of LLM chat
 * output at temperature 1; low entropy is where every watermark weakens.
 */
public final class SyntheticLanguageModel implements LanguageModel {
    public static final int VOCABULARY = 1 << 17;
    public static final int CANDIDATES = 1000;

    private final float[] profile;
    private final double entropyBits;
    private final SplittableRandom rng;

    public SyntheticLanguageModel(double targetEntropyBits, long seed) {
        if (!(targetEntropyBits > 0 && targetEntropyBits < Math.log(CANDIDATES) / Math.log(2))) {
            throw org.aigcmark.AigcmarkException.invalid("entropy must be in (0, log2(1000)) bits");
        }
        double lo = 0.01;
        double hi = 200;
        for (int it = 0; it < 100; it++) {
            double mid = Math.sqrt(lo * hi);
            if (entropy(mid) > targetEntropyBits) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double s = Math.sqrt(lo * hi);
        this.profile = new float[CANDIDATES];
        for (int r = 0; r < CANDIDATES; r++) {
            profile[r] = (float) (-s * Math.log(r + 1));
        }
        this.entropyBits = entropy(s);
        this.rng = new SplittableRandom(seed);
    }

    private static double entropy(double s) {
        double z = 0;
        for (int r = 0; r < CANDIDATES; r++) {
            z += Math.pow(r + 1, -s);
        }
        double h = 0;
        for (int r = 0; r < CANDIDATES; r++) {
            double p = Math.pow(r + 1, -s) / z;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(2);
    }

    /** The actual entropy of every step's distribution, in bits. */
    public double entropyBits() {
        return entropyBits;
    }

    @Override
    public int maxCandidates() {
        return CANDIDATES;
    }

    @Override
    public int candidates(int[] history, int len, int[] ids, float[] logits) {
        int a = rng.nextInt(VOCABULARY);
        int b = rng.nextInt(VOCABULARY) | 1; // odd stride: the ids are distinct modulo 2^17
        for (int r = 0; r < CANDIDATES; r++) {
            ids[r] = (a + r * b) & (VOCABULARY - 1);
            logits[r] = profile[r];
        }
        return CANDIDATES;
    }
}
