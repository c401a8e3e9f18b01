package org.aigcmark.text.watermark;

import java.util.random.RandomGenerator;
import org.aigcmark.AigcmarkException;
import org.aigcmark.key.WatermarkKey;

/**
 * The generation side of the text watermark, called once per decoding step, like a Hugging Face
 * {@code LogitsProcessor}. Give it the logits the service is about to sample from (after temperature, top-k and
 * top-p) and the token ids generated so far.
 *
 * <ul>
 *   <li>{@link WatermarkScheme#KGW}: adds delta to the green tokens' logits; the service then samples as usual.</li>
 *   <li>{@link WatermarkScheme#GUMBEL}: picks the token by exponential-minimum sampling and leaves only that token
 *       possible (its logit 0, all others -infinity), so whatever sampler follows returns it. Distortion-free: over
 *       the key, the chosen token has exactly the model's distribution.</li>
 * </ul>
 * Until {@code contextWidth} tokens exist there is no context and the logits are left alone (not watermarked,
 * and not scored by the detector). Thread-safe: it holds only the immutable key material.
 */
public final class WatermarkLogitsProcessor {
    private final WatermarkConfig config;
    private final WatermarkSeeds seeds;
    private final int threshold;

    /** A processor that marks under {@code key} with {@code config}'s scheme and parameters. */
    public WatermarkLogitsProcessor(WatermarkKey key, WatermarkConfig config) {
        this.config = config;
        this.seeds = new WatermarkSeeds(key, config);
        this.threshold = KeyedHash.greenThreshold(config.gamma());
    }

    /** The parameters this processor marks with. */
    public WatermarkConfig config() {
        return config;
    }

    /**
     * Watermarks full-vocabulary logits in place.
     *
     * @param logits  one logit per token id, modified in place
     * @param prev    the token ids generated so far (prompt included if the service wants it scored)
     * @param prevLen how many of {@code prev} are valid
     */
    public void process(float[] logits, int[] prev, int prevLen) {
        if (prevLen < seeds.width) {
            return;
        }
        long seed = seeds.seed(prev, prevLen);
        if (config.scheme() == WatermarkScheme.KGW) {
            GreenListKernel.addDelta(logits, logits.length, seed, threshold, (float) config.delta());
        } else {
            int chosen = gumbelChoice(seed, null, logits, logits.length);
            java.util.Arrays.fill(logits, Float.NEGATIVE_INFINITY);
            logits[chosen] = 0f;
        }
    }

    /**
     * Watermarks only the top-k candidates, in place: {@code candidateLogits[i]} is the logit of token
     * {@code candidateIds[i]}, for the first {@code k} entries.
     */
    public void processTopK(int[] candidateIds, float[] candidateLogits, int k, int[] prev, int prevLen) {
        if (k > candidateIds.length || k > candidateLogits.length) {
            throw AigcmarkException.invalid("k = " + k + " exceeds the candidate arrays");
        }
        if (prevLen < seeds.width) {
            return;
        }
        long seed = seeds.seed(prev, prevLen);
        if (config.scheme() == WatermarkScheme.KGW) {
            float delta = (float) config.delta();
            for (int i = 0; i < k; i++) {
                if (Integer.compareUnsigned(KeyedHash.greenValue(seed, candidateIds[i]), threshold) < 0) {
                    candidateLogits[i] += delta;
                }
            }
        } else {
            int chosen = gumbelChoice(seed, candidateIds, candidateLogits, k);
            for (int i = 0; i < k; i++) {
                candidateLogits[i] = i == chosen ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * One watermarked sampling step over the top-k candidates at temperature 1: the token id chosen.
     * KGW samples from softmax(logits + delta * green) with {@code rng}; GUMBEL is deterministic given the
     * context and ignores {@code rng}. The candidate logits are modified.
     */
    public int sampleTopK(int[] candidateIds, float[] candidateLogits, int k, int[] prev, int prevLen, RandomGenerator rng) {
        processTopK(candidateIds, candidateLogits, k, prev, prevLen);
        return candidateIds[sampleIndex(candidateLogits, k, rng)];
    }

    /**
     * A per-answer sampling session. With GUMBEL, a context that already occurred in this answer would pick the
     * same token again and loop; the session samples such steps normally (unwatermarked), as SynthID and
     * Aaronson's proposal do. Not thread-safe: one per answer.
     */
    public Session newSession() {
        return new Session();
    }

    /** A sampling session for one answer, made by {@link #newSession()}; remembers the contexts it has seen. */
    public final class Session {
        private final java.util.HashSet<Long> seenContexts = new java.util.HashSet<>();

        /** Like {@link WatermarkLogitsProcessor#sampleTopK}, skipping the watermark on a repeated context. */
        public int sampleTopK(int[] candidateIds, float[] candidateLogits, int k, int[] prev, int prevLen, RandomGenerator rng) {
            if (prevLen >= seeds.width && !seenContexts.add(seeds.seed(prev, prevLen))
                    && config.scheme() == WatermarkScheme.GUMBEL) {
                return candidateIds[sampleIndex(candidateLogits, k, rng)];
            }
            return WatermarkLogitsProcessor.this.sampleTopK(candidateIds, candidateLogits, k, prev, prevLen, rng);
        }
    }

    /** One watermarked sampling step over full-vocabulary logits; returns the token id. */
    public int sample(float[] logits, int[] prev, int prevLen, RandomGenerator rng) {
        process(logits, prev, prevLen);
        return sampleIndex(logits, logits.length, rng);
    }

    /** Samples an index from softmax(logits[0..n)). */
    public static int sampleIndex(float[] logits, int n, RandomGenerator rng) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[i] - max);
        }
        double u = rng.nextDouble() * sum;
        double acc = 0;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (logits[i] == Float.NEGATIVE_INFINITY) {
                continue;
            }
            acc += Math.exp(logits[i] - max);
            last = i;
            if (u < acc) {
                return i;
            }
        }
        return last;
    }

    /**
     * argmax_i ln(u_i) / p_i, i.e. argmax of u_i^(1/p_i) with p the softmax of the logits; computed as
     * argmax (logit_i - ln(-ln u_i)), the Gumbel-max form, which needs no normalisation.
     *
     * <p>Pruned without changing the result: -ln(-ln u) <= -ln(1 - u) < (k + 1) ln 2, where k is the number of
     * leading one bits of u's 53-bit integer, so a token whose logit + (k + 1) ln 2 cannot beat the best so far is
     * skipped before any logarithm. The best starts at the highest logit's exact score.
     */
    static int gumbelChoice(long seed, int[] ids, float[] logits, int n) {
        int best = -1;
        float maxLogit = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (logits[i] > maxLogit) {
                maxLogit = logits[i];
                best = i;
            }
        }
        if (best < 0) {
            return 0;
        }
        double bestScore = maxLogit + gumbel(seed, ids == null ? best : ids[best]);
        final double ln2 = Math.log(2);
        for (int i = 0; i < n; i++) {
            float l = logits[i];
            if (l == Float.NEGATIVE_INFINITY || i == best) {
                continue;
            }
            int token = ids == null ? i : ids[i];
            long z = KeyedHash.mix64(seed ^ ((token & 0xFFFFFFFFL) * KeyedHash.GOLDEN64)) >>> 11;
            int leadingOnes = Long.numberOfLeadingZeros(~(z << 11));
            if (l + (leadingOnes + 1) * ln2 <= bestScore) {
                continue;
            }
            double score = l + gumbel(seed, token);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    private static double gumbel(long seed, int token) {
        return -Math.log(-Math.log(KeyedHash.uniform(seed, token)));
    }
}
