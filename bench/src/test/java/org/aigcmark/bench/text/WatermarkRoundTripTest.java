package org.aigcmark.bench.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.aigcmark.bench.text.lm.NGramLanguageModel;
import org.aigcmark.bench.text.lm.SyntheticLanguageModel;
import org.aigcmark.bench.text.lm.TextGenerator;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.text.tokenizers.JTokkitTokenizer;
import org.aigcmark.text.TextFiles;
import org.aigcmark.text.watermark.WatermarkConfig;
import org.aigcmark.text.watermark.WatermarkDetection;
import org.aigcmark.text.watermark.WatermarkDetector;
import org.aigcmark.text.watermark.WatermarkLogitsProcessor;
import org.aigcmark.text.watermark.WatermarkScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
