package org.aigcmark.text.watermark;

import org.aigcmark.key.WatermarkKey;
import org.aigcmark.text.Tokenizer;

/**
 * Detects the generation-time watermark from token ids (or from text through a {@link Tokenizer}). Needs only the
 * key, the scheme parameters and the tokenizer: never the model.
 *
 * <p>Scoring: every token that has {@code contextWidth} predecessors is scored once per distinct (context, token)
 * pair, so repeated phrases and boilerplate cannot inflate the score. Test: the exact binomial tail (KGW) or the
 * Gamma tail (GUMBEL) over the whole document and over sliding windows of 100, 200, 400, 800, 1600 and 3200
 * scored tokens (step a quarter of the window), which finds a watermarked passage pasted inside human text.
 * Multiple testing is corrected by a weighted Bonferroni rule: the whole-document test is run at half the
 * false-positive budget, and each of the W sliding windows at half the budget divided by W. The reported p-value
 * is the smaller of 2 * p(document) and 2 * W * min p(window), so the per-document false-positive rate stays at or
 * below {@link WatermarkConfig#falsePositiveRate()} however correlated the windows are. Documents shorter than the
 * smallest window get the single whole-document test at the full budget.
 */
public final class WatermarkDetector {
    static final int[] WINDOW_SIZES = {100, 200, 400, 800, 1600, 3200};
    /** Below this z a window cannot be the decisive one; its exact tail is not computed. */
    private static final double EXACT_TAIL_FROM_Z = 2.5;

    private final WatermarkConfig config;
    private final WatermarkSeeds seeds;
    private final int threshold;

    /**
     * A detector for marks made under {@code key} with the same scheme, gamma and context width as {@code config}.
     * Immutable and thread-safe.
     */
    public WatermarkDetector(WatermarkKey key, WatermarkConfig config) {
        this.config = config;
        this.seeds = new WatermarkSeeds(key, config);
        this.threshold = KeyedHash.greenThreshold(config.gamma());
    }

    /** The parameters this detector tests with. */
    public WatermarkConfig config() {
        return config;
    }

    /** Tests {@code text}, tokenized by the generating model's tokenizer; see {@link #detect(int[])}. */
    public WatermarkDetection detect(String text, Tokenizer tokenizer) {
        return detect(tokenizer.encode(text));
    }

    /**
     * Tests a token sequence for the watermark, as described above. Memory is about 28 bytes per token.
     *
     * @param tokens the token ids in order, not modified
     * @return the decision with its scores; {@link WatermarkDetection.Status#INSUFFICIENT_TEXT} when fewer than {@link
     *     WatermarkConfig#minTokens()} distinct (context, token) pairs can be scored
     */
    public WatermarkDetection detect(int[] tokens) {
        int n = tokens.length;
        int w = seeds.width;
        int max = Math.max(0, n - w);
        // Running sums of the per-token scores (prefix[i] = sum of the first i scored tokens): the only per-token
        // state besides positions and the seen-pair set, so memory stays at about 28 bytes per token.
        double[] prefix = new double[max + 1];
        int[] positions = new int[max];
        int m = 0;
        LongSet seen = new LongSet(max);
        boolean kgw = config.scheme() == WatermarkScheme.KGW;
        for (int i = w; i < n; i++) {
            long seed = seeds.seed(tokens, i);
            int t = tokens[i];
            if (!seen.add(KeyedHash.mix64(seed ^ ((t & 0xFFFFFFFFL) * KeyedHash.GOLDEN64) ^ 0x5bd1e995L))) {
                continue;
            }
            double s;
            if (kgw) {
                s = Integer.compareUnsigned(KeyedHash.greenValue(seed, t), threshold) < 0 ? 1 : 0;
            } else {
                s = -Math.log(1.0 - KeyedHash.uniform(seed, t));
            }
            prefix[m + 1] = prefix[m] + s;
            positions[m] = i;
            m++;
        }
        if (m < config.minTokens()) {
            return new WatermarkDetection(WatermarkDetection.Status.INSUFFICIENT_TEXT, config.scheme(), 0, 1, 0, 1,
                    n, m, 0, 0, n, Double.NaN, config.falsePositiveRate());
        }
        // Weighted Bonferroni: the whole-document test gets half the false-positive budget, the sliding windows
        // share the other half equally. Valid whatever the correlation between windows.
        int windows = 1;
        double docZ = z(prefix[m], m);
        double docP = tail(prefix[m], m);
        double bestWindowP = 1.0;
        double bestWindowZ = Double.NEGATIVE_INFINITY;
        int bestA = 0;
        int bestB = m;
        for (int size : WINDOW_SIZES) {
            if (size >= m) {
                break;
            }
            int step = size / 4;
            int a = 0;
            while (true) {
                int b = a + size;
                if (b > m) {
                    a = m - size;
                    b = m;
                }
                windows++;
                double sum = prefix[b] - prefix[a];
                double zz = z(sum, size);
                if (zz > EXACT_TAIL_FROM_Z) {
                    double p = tail(sum, size);
                    if (p < bestWindowP || (p == bestWindowP && zz > bestWindowZ)) {
                        bestWindowP = p;
                        bestWindowZ = zz;
                        bestA = a;
                        bestB = b;
                    }
                }
                if (b == m) {
                    break;
                }
                a += step;
            }
        }
        double adjustedDoc = windows == 1 ? docP : Math.min(1.0, 2 * docP);
        double adjustedWindow = windows == 1 ? 1.0 : Math.min(1.0, bestWindowP * 2.0 * (windows - 1));
        double adjusted;
        double bestZ;
        if (adjustedDoc <= adjustedWindow) {
            adjusted = adjustedDoc;
            bestZ = docZ;
            bestA = 0;
            bestB = m;
        } else {
            adjusted = adjustedWindow;
            bestZ = bestWindowZ;
        }
        boolean detected = adjusted <= config.falsePositiveRate();
        double fraction = (prefix[bestB] - prefix[bestA]) / (bestB - bestA);
        return new WatermarkDetection(detected ? WatermarkDetection.Status.DETECTED : WatermarkDetection.Status.NOT_DETECTED,
                config.scheme(), bestZ, adjusted, docZ, docP, n, m, windows, positions[bestA],
                positions[bestB - 1] + 1, fraction, config.falsePositiveRate());
    }

    private double z(double sum, int count) {
        if (config.scheme() == WatermarkScheme.KGW) {
            double g = config.gamma();
            return (sum - g * count) / Math.sqrt(count * g * (1 - g));
        }
        return (sum - count) / Math.sqrt(count);
    }

    private double tail(double sum, int count) {
        if (config.scheme() == WatermarkScheme.KGW) {
            return Statistics.binomialUpperTail((int) Math.round(sum), count, config.gamma());
        }
        return Statistics.gammaUpperTail(count, sum);
    }

    /** Open-addressing set of 64-bit fingerprints, sized once from the input length. */
    private static final class LongSet {
        private final long[] table;
        private final int mask;
        private boolean hasZero;

        LongSet(int expected) {
            int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
            table = new long[cap];
            mask = cap - 1;
        }

        boolean add(long v) {
            if (v == 0) {
                if (hasZero) {
                    return false;
                }
                hasZero = true;
                return true;
            }
            int i = (int) (v ^ (v >>> 32)) & mask;
            while (true) {
                long cur = table[i];
                if (cur == 0) {
                    table[i] = v;
                    return true;
                }
                if (cur == v) {
                    return false;
                }
                i = (i + 1) & mask;
            }
        }
    }
}
