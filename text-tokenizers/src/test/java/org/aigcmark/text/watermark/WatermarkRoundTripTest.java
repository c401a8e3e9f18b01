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
import org.aigcmark.text.lm.NGramLanguageModel;
import org.aigcmark.text.lm.SyntheticLanguageModel;
import org.aigcmark.text.lm.TextGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class WatermarkRoundTripTest {
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("round-trip");
    private static final WatermarkKey OTHER = WatermarkKey.fromPassphrase("someone else");
    private static final JTokkitTokenizer TOK = JTokkitTokenizer.o200k();

    private static String generate(NGramLanguageModel.Corpus corpus, WatermarkConfig c, WatermarkKey key, int n, long seed) {
        NGramLanguageModel m = NGramLanguageModel.builtIn(corpus);
        WatermarkLogitsProcessor p = key == null ? null : new WatermarkLogitsProcessor(key, c);
        return TOK.decode(TextGenerator.generate(m, p, m.startContext(), n, new SplittableRandom(seed)));
    }

    @ParameterizedTest
    @EnumSource(WatermarkScheme.class)
    void generatedTextIsDetectedOnlyWithItsKey(WatermarkScheme scheme) {
        WatermarkConfig c = WatermarkConfig.of(scheme);
        for (NGramLanguageModel.Corpus corpus : NGramLanguageModel.Corpus.values()) {
            String text = generate(corpus, c, KEY, 200, 42);
            WatermarkDetection yes = new WatermarkDetector(KEY, c).detect(text, TOK);
            assertTrue(yes.detected(), corpus + " " + yes);
            assertTrue(yes.pValue() < 1e-8, corpus + " " + yes);
            WatermarkDetection wrongKey = new WatermarkDetector(OTHER, c).detect(text, TOK);
            assertFalse(wrongKey.detected(), corpus + " " + wrongKey);
            String plain = generate(corpus, c, null, 200, 42);
            assertFalse(new WatermarkDetector(KEY, c).detect(plain, TOK).detected(), corpus + " unwatermarked");
        }
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
    void passageInsideHumanTextIsFoundBySlidingWindows() {
        WatermarkConfig c = WatermarkConfig.KGW_DEFAULT;
        String human = TextFiles.readUtf8(Fixtures.path("text/human/en-manual-debian-reference.txt"));
        int[] h = TOK.encode(human.substring(20_000, 33_000));
        String marked = generate(NGramLanguageModel.Corpus.ENGLISH, c, KEY, 300, 5);
        int cut = human.indexOf('\n', 26_000);
        String mixed = human.substring(20_000, cut + 1) + marked + "\n" + human.substring(cut + 1, 33_000);
        int passageStart = TOK.encode(human.substring(20_000, cut + 1)).length;
        WatermarkDetection r = new WatermarkDetector(KEY, c).detect(mixed, TOK);
        assertTrue(h.length > 2500, "about 3000 human tokens: " + h.length);
        assertTrue(r.detected(), r.toString());
        assertTrue(r.windowStart() < passageStart + 300 && r.windowEnd() > passageStart, r + " vs passage at " + passageStart);
    }

    @Test
    void repeatedPairsAreScoredOnce() {
        WatermarkConfig c = WatermarkConfig.KGW_DEFAULT;
        int[] once = TOK.encode(generate(NGramLanguageModel.Corpus.ENGLISH, c, KEY, 60, 9));
        int[] many = new int[once.length * 30];
        for (int i = 0; i < 30; i++) {
            System.arraycopy(once, 0, many, i * once.length, once.length);
        }
        WatermarkDetector d = new WatermarkDetector(KEY, c);
        WatermarkDetection a = d.detect(once);
        WatermarkDetection b = d.detect(many);
        assertTrue(b.tokensScored() <= a.tokensScored() + 1, a.tokensScored() + " vs " + b.tokensScored());
        assertTrue(b.documentZ() <= a.documentZ() + 0.5, "repetition must not inflate z: " + a.documentZ() + " vs " + b.documentZ());
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

    @Test
    void syntheticTwoBitModelIsDetectedAt200Tokens() {
        WatermarkConfig c = WatermarkConfig.KGW_DEFAULT;
        WatermarkLogitsProcessor p = new WatermarkLogitsProcessor(KEY, c);
        WatermarkDetector d = new WatermarkDetector(KEY, c);
        int hits = 0;
        int nullHits = 0;
        for (int i = 0; i < 20; i++) {
            int[] ids = TextGenerator.generate(new SyntheticLanguageModel(2.0, i), p, new int[]{1}, 200, new SplittableRandom(i));
            hits += d.detect(ids).detected() ? 1 : 0;
            int[] plain = TextGenerator.generate(new SyntheticLanguageModel(2.0, i), null, new int[]{1}, 200, new SplittableRandom(i));
            nullHits += d.detect(plain).detected() ? 1 : 0;
        }
        assertTrue(hits >= 19, "hits " + hits);
        assertEquals(0, nullHits);
    }
}
