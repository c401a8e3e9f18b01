package org.aigcmark.bench.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.aigcmark.bench.text.eval.Attacks;
import org.aigcmark.bench.text.lm.NGramLanguageModel;
import org.aigcmark.bench.text.lm.SyntheticLanguageModel;
import org.aigcmark.bench.text.lm.TextGenerator;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.text.tokenizers.JTokkitTokenizer;
import org.aigcmark.text.TextFiles;
import org.aigcmark.text.TextLanguage;
import org.aigcmark.text.watermark.WatermarkConfig;
import org.aigcmark.text.watermark.WatermarkDetection;
import org.aigcmark.text.watermark.WatermarkDetector;
import org.aigcmark.text.watermark.WatermarkLogitsProcessor;
import org.aigcmark.text.watermark.WatermarkScheme;
import org.junit.jupiter.api.Test;

/**
 * The targets at the fixed operating point (KGW gamma 0.25, delta 2, temperature 1, FPR 1e-5), on a
 * sample small enough for a unit test. The full-size measurement is {@code aigcmark bench text evaluate}
 * (docs/TEXT-EVAL.md).
 */
class WatermarkTargetsTest {
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("targets");
    private static final WatermarkConfig KGW = WatermarkConfig.KGW_DEFAULT;
    private static final JTokkitTokenizer TOK = JTokkitTokenizer.o200k();
    private static final int DOCS = 40;

    private static int[] synthetic(int doc, int n) {
        return TextGenerator.generate(new SyntheticLanguageModel(2.0, 1000 + doc), new WatermarkLogitsProcessor(KEY, KGW),
                new int[]{1}, n, new SplittableRandom(doc));
    }

    @Test
    void twoBitModelAt200TokensIsDetected() {
        WatermarkDetector d = new WatermarkDetector(KEY, KGW);
        long hits = java.util.stream.IntStream.range(0, DOCS).filter(i -> d.detect(synthetic(i, 200)).detected()).count();
        assertTrue(hits >= DOCS - 1, hits + " of " + DOCS);
    }

    @Test
    void survivesTwentyPercentWordEditsAt400Tokens() {
        WatermarkDetector d = new WatermarkDetector(KEY, KGW);
        NGramLanguageModel en = NGramLanguageModel.builtIn(NGramLanguageModel.Corpus.ENGLISH);
        String[] words = TextFiles.readUtf8(Fixtures.path("text/human/en-quotes-fortunes.txt")).split("\\s+");
        int textHits = 0;
        int tokenHits = 0;
        for (int i = 0; i < DOCS; i++) {
            SplittableRandom rng = new SplittableRandom(i);
            int[] ids = TextGenerator.generate(en, new WatermarkLogitsProcessor(KEY, KGW), en.startContext(), 400, rng);
            String attacked = Attacks.words(TOK.decode(ids), 0.2, TextLanguage.EN, words, rng);
            textHits += d.detect(attacked, TOK).detected() ? 1 : 0;
            tokenHits += d.detect(Attacks.tokens(synthetic(i, 400), 0.2, SyntheticLanguageModel.VOCABULARY, rng)).detected() ? 1 : 0;
        }
        assertTrue(textHits >= DOCS * 9 / 10, "built-in model: " + textHits + " of " + DOCS);
        assertTrue(tokenHits >= DOCS * 9 / 10, "2-bit model: " + tokenHits + " of " + DOCS);
    }

    @Test
    void passageOf300TokensInside3000HumanTokensIsFound() throws IOException {
        WatermarkDetector d = new WatermarkDetector(KEY, KGW);
        int[] human = TOK.encode(TextFiles.readUtf8(Fixtures.path("text/human/en-manual-debian-reference.txt")));
        int hits = 0;
        int wholeDocumentOnly = 0;
        for (int i = 0; i < DOCS; i++) {
            SplittableRandom rng = new SplittableRandom(i);
            int from = rng.nextInt(human.length - 3000);
            int[] h = Arrays.copyOfRange(human, from, from + 3000);
            int[] mark = synthetic(i, 300);
            int at = rng.nextInt(3001);
            int[] all = new int[3300];
            System.arraycopy(h, 0, all, 0, at);
            System.arraycopy(mark, 0, all, at, 300);
            System.arraycopy(h, at, all, at + 300, 3000 - at);
            WatermarkDetection r = d.detect(all);
            if (r.detected() && r.windowStart() < at + 300 && r.windowEnd() > at) {
                hits++;
            }
            wholeDocumentOnly += r.documentPValue() <= 1e-5 ? 1 : 0;
        }
        assertTrue(hits >= DOCS - 2, hits + " of " + DOCS);
        assertTrue(wholeDocumentOnly < hits, "sliding windows are what finds it: " + wholeDocumentOnly + " vs " + hits);
    }

    @Test
    void noFalsePositiveOnTheShippedHumanText() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Fixtures.path("text/human/en-faq-debian.txt").getParent())) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        long bytes = 0;
        int documents = 0;
        for (Path f : files) {
            bytes += Files.size(f);
            int[] t = TOK.encode(TextFiles.readUtf8(f));
            for (WatermarkScheme s : WatermarkScheme.values()) {
                WatermarkDetector d = new WatermarkDetector(KEY, WatermarkConfig.of(s));
                for (int a = 0; a < t.length; a += 1000) {
                    WatermarkDetection r = d.detect(Arrays.copyOfRange(t, a, Math.min(t.length, a + 1000)));
                    assertTrue(!r.detected(), f.getFileName() + " at token " + a + ": " + r);
                    documents++;
                }
                assertTrue(!d.detect(t).detected(), f.getFileName() + " whole");
            }
        }
        assertTrue(bytes >= 1_000_000, "at least 1 MB of human text: " + bytes);
        assertTrue(documents > 800, "documents " + documents);
        assertEquals(7, files.size());
    }
}
