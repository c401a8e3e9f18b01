package org.aigcmark.text.watermark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.text.tokenizers.JTokkitTokenizer;
import org.aigcmark.text.TextFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class WatermarkRoundTripTest {
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("round-trip");
    private static final WatermarkKey OTHER = WatermarkKey.fromPassphrase("someone else");
    private static final JTokkitTokenizer TOK = JTokkitTokenizer.o200k();

    /**
     * Tokens sampled through the processor without a language model (the n-gram model is in the bench module, whose
     * tests round-trip real generated text): per step 1,000 random distinct candidates of a 131,072-token vocabulary
     * with Gaussian logits, as a model's top-k would hand them over.
     */
    private static int[] sampled(WatermarkKey key, WatermarkConfig c, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] history = new int[n + 1];
        history[0] = 1;
        float[] logits = new float[1000];
        WatermarkLogitsProcessor.Session session = key == null ? null : new WatermarkLogitsProcessor(key, c).newSession();
        for (int i = 1; i <= n; i++) {
            int[] ids = r.ints(0, 131_072).distinct().limit(logits.length).toArray();
            for (int j = 0; j < logits.length; j++) {
                logits[j] = (float) (2 * r.nextGaussian());
            }
            history[i] = session == null ? ids[WatermarkLogitsProcessor.sampleIndex(logits, ids.length, r)]
                    : session.sampleTopK(ids, logits, ids.length, history, i, r);
        }
        return Arrays.copyOfRange(history, 1, n + 1);
    }

    @ParameterizedTest
    @EnumSource(WatermarkScheme.class)
    void sampledTokensAreDetectedOnlyWithTheirKey(WatermarkScheme scheme) {
        WatermarkConfig c = WatermarkConfig.of(scheme);
        int[] marked = sampled(KEY, c, 200, 42);
        WatermarkDetection yes = new WatermarkDetector(KEY, c).detect(marked);
        assertTrue(yes.detected() && yes.pValue() < 1e-8, yes.toString());
        assertFalse(new WatermarkDetector(OTHER, c).detect(marked).detected());
        assertFalse(new WatermarkDetector(KEY, c).detect(sampled(null, c, 200, 42)).detected());
    }

    @Test
    void humanTextIsNotDetected() {
        for (String f : new String[]{"text/human/en-quotes-fortunes.txt", "text/human/zh-faq-debian.txt"}) {
            int[] ids = TOK.encode(TextFiles.readUtf8(Fixtures.path(f)));
            for (WatermarkScheme s : WatermarkScheme.values()) {
                WatermarkDetection r = new WatermarkDetector(KEY, WatermarkConfig.of(s)).detect(ids);
                assertEquals(WatermarkDetection.Status.NOT_DETECTED, r.status(), f + " " + r);
                assertTrue(r.windowsTested() > 100, "long files are scanned with many windows: " + r.windowsTested());
            }
        }
    }

    @Test
    void shortTextIsInsufficient() {
        WatermarkDetection r = new WatermarkDetector(KEY, WatermarkConfig.KGW_DEFAULT).detect("Hello there, friend.", TOK);
        assertEquals(WatermarkDetection.Status.INSUFFICIENT_TEXT, r.status());
        assertFalse(r.detected());
    }

    @Test
    void topKAndFullVocabularyProcessingAgree() {
        WatermarkLogitsProcessor p = new WatermarkLogitsProcessor(KEY, WatermarkConfig.KGW_DEFAULT);
        SplittableRandom r = new SplittableRandom(1);
        float[] full = new float[150_000];
        for (int i = 0; i < full.length; i++) {
            full[i] = (float) r.nextGaussian();
        }
        int[] ids = r.ints(1000, 0, full.length).distinct().toArray();
        float[] top = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            top[i] = full[ids[i]];
        }
        int[] prev = {17, 99};
        float[] before = full.clone();
        p.process(full, prev, 2);
        p.processTopK(ids, top, ids.length, prev, 2);
        int boosted = 0;
        for (int i = 0; i < ids.length; i++) {
            assertEquals(full[ids[i]], top[i], 0f);
            boosted += top[i] != before[ids[i]] ? 1 : 0;
        }
        assertTrue(boosted > 150 && boosted < 350, "about a quarter green: " + boosted);
    }

    @Test
    void gumbelLeavesExactlyOneTokenAndIsDeterministicPerContext() {
        WatermarkLogitsProcessor p = new WatermarkLogitsProcessor(KEY, WatermarkConfig.GUMBEL_DEFAULT);
        float[] a = new float[5000];
        Arrays.fill(a, 0f);
        float[] b = a.clone();
        int[] prev = {1, 2, 3, 4};
        p.process(a, prev, 4);
        p.process(b, prev, 4);
        assertArrayEquals(a, b);
        assertEquals(1, (int) java.util.stream.IntStream.range(0, a.length).filter(i -> a[i] == 0f).count());
    }

    @Test
    void prunedGumbelChoiceEqualsBruteForce() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = new float[2000];
            double scale = trial % 2 == 0 ? 1 : 8; // flat and peaked distributions
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (scale * r.nextGaussian());
            }
            long seed = r.nextLong();
            int brute = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < logits.length; i++) {
                double sc = logits[i] - Math.log(-Math.log(KeyedHash.uniform(seed, i)));
                if (sc > bestScore) {
                    bestScore = sc;
                    brute = i;
                }
            }
            assertEquals(brute, WatermarkLogitsProcessor.gumbelChoice(seed, null, logits, logits.length), "trial " + trial);
        }
    }
}
