package org.aigcmark.bench.text.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.text.Tokenizers;
import org.aigcmark.text.TextFiles;
import org.aigcmark.text.TextLanguage;
import org.aigcmark.text.Tokenizer;
import org.aigcmark.bench.text.lm.LanguageModel;
import org.aigcmark.bench.text.lm.NGramLanguageModel;
import org.aigcmark.bench.text.lm.SyntheticLanguageModel;
import org.aigcmark.bench.text.lm.TextGenerator;
import org.aigcmark.text.watermark.WatermarkConfig;
import org.aigcmark.text.watermark.WatermarkDetection;
import org.aigcmark.text.watermark.WatermarkDetector;
import org.aigcmark.text.watermark.WatermarkLogitsProcessor;
import org.aigcmark.text.watermark.WatermarkScheme;

/**
 * Measures the text watermark at a fixed operating point (KGW gamma 0.25, delta 2, h 1; GUMBEL h 4; temperature
 * 1; per-document false-positive rate 1e-5 with the Bonferroni-corrected sliding-window detector) and writes a
 * Markdown report. Deterministic for a given seed. Run with {@code aigcmark text evaluate}.
 */
public final class WatermarkEvaluation {
    private final int docs;
    private final long seed;
    private final Path humanDir;
    private final StringBuilder md = new StringBuilder();
    private final Tokenizer tok = Tokenizers.byName(Tokenizers.DEFAULT);
    private final WatermarkKey key;

    public WatermarkEvaluation(int docs, long seed, Path humanDir) {
        this.docs = docs;
        this.seed = seed;
        this.humanDir = humanDir;
        this.key = WatermarkKey.fromPassphrase("aigcmark-evaluation-" + seed);
    }

    private static final WatermarkConfig[] CONFIGS = {WatermarkConfig.KGW_DEFAULT, WatermarkConfig.GUMBEL_DEFAULT};

    /** A model to evaluate: how to make one (per document, for the synthetic model's own RNG) and its prompt. */
    private record Subject(String name, IntFunction<LanguageModel> model, int[] prompt, TextLanguage lang) {}

    public String run() {
        long t0 = System.nanoTime();
        NGramLanguageModel en = NGramLanguageModel.builtIn(NGramLanguageModel.Corpus.ENGLISH);
        NGramLanguageModel zh = NGramLanguageModel.builtIn(NGramLanguageModel.Corpus.CHINESE);
        List<Subject> subjects = List.of(
                new Subject("built-in trigram, English (KJV)", i -> en, en.startContext(), TextLanguage.EN),
                new Subject("built-in trigram, Chinese (Tang/Song poems)", i -> zh, zh.startContext(), TextLanguage.ZH),
                new Subject("synthetic, 2.0 bits/token", i -> new SyntheticLanguageModel(2.0, seed * 1_000_003L + i), new int[]{1}, null));
        HumanText human = HumanText.load(humanDir, tok);

        md.append("# Text watermark evaluation\n\n");
        md.append("Command: `aigcmark text evaluate --docs ").append(docs).append(" --seed ").append(seed)
                .append("`. Operating point: KGW gamma = 0.25, delta = 2.0, context width h = 1; GUMBEL (exponential-minimum) h = 4; ")
                .append("sampling at temperature 1; detector: exact tail p-value, every distinct (context, token) pair scored once, ")
                .append("sliding windows of 100..3200 scored tokens plus the whole document, weighted Bonferroni (half the budget to the whole document, half shared by the windows), ")
                .append("decision at a per-document false-positive rate of 1e-5. Tokenizer o200k_base. ")
                .append(docs).append(" documents per cell, seed ").append(seed).append(".\n\n");

        md.append("## 1. Unattacked, 200 tokens\n\n| model | scheme | mean entropy (bits/token) | TPR | median z | min z |\n|---|---|---|---|---|---|\n");
        for (Subject s : subjects) {
            for (WatermarkConfig c : CONFIGS) {
                Cell cell = cell(s, c, 200, null);
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %.1f |%n", s.name, c.scheme(),
                        s.name.startsWith("synthetic") ? "2.00" : "n/a", pct(cell.tpr()), cell.medianZ(), cell.minZ()));
            }
        }

        md.append("\n## 2. 400 tokens after 20% of words randomly deleted or substituted\n\n")
                .append("Each word (whitespace-separated for English, each Han character for Chinese, each token for the synthetic model) ")
                .append("is, with probability 0.2, deleted or (equal odds) replaced by a random word of the human corpus; then re-tokenized.\n\n")
                .append("| model | scheme | TPR | median z | min z |\n|---|---|---|---|---|\n");
        for (Subject s : subjects) {
            for (WatermarkConfig c : CONFIGS) {
                Cell cell = cell(s, c, 400, human);
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f |%n", s.name, c.scheme(), pct(cell.tpr()), cell.medianZ(), cell.minZ()));
            }
        }

        md.append("\n## 3. A 300-token watermarked passage inside 3,000 tokens of human text\n\n")
                .append("The passage is pasted at a random line break of a random stretch of the shipped human text (same language); ")
                .append("\"whole-document test only\" is what a detector without sliding windows would find at the same FPR.\n\n")
                .append("| model | scheme | TPR (sliding windows) | TPR (whole-document test only) | median window z | window found overlaps passage |\n|---|---|---|---|---|---|\n");
        for (Subject s : subjects) {
            for (WatermarkConfig c : CONFIGS) {
                passage(s, c, human);
            }
        }

        md.append("\n## 4. Entropy vs detectability (synthetic model, 200 tokens)\n\n| entropy (bits/token) | KGW TPR | KGW median z | GUMBEL TPR | GUMBEL median z |\n|---|---|---|---|---|\n");
        for (double h : new double[]{0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0}) {
            Subject s = new Subject("synthetic " + h, i -> new SyntheticLanguageModel(h, seed * 7_000_003L + i), new int[]{1}, null);
            Cell k = cell(s, WatermarkConfig.KGW_DEFAULT, 200, null);
            Cell g = cell(s, WatermarkConfig.GUMBEL_DEFAULT, 200, null);
            md.append(String.format(Locale.ROOT, "| %.2f | %s | %.1f | %s | %.1f |%n", h, pct(k.tpr()), k.medianZ(), pct(g.tpr()), g.medianZ()));
        }

        md.append("\n## 5. Human text: false positives\n\n")
                .append("Every shipped human file (testdata/fixtures/text/human, sources in SOURCES) is cut into documents of 1,000 tokens and also tested whole, ")
                .append("with 5 keys and both schemes. A false positive is any document detected.\n\n")
                .append("| file | bytes | documents x keys x schemes | false positives | max window z | min corrected p |\n|---|---|---|---|---|---|\n");
        humanFalsePositives(human);

        md.append("\n## 6. Null calibration (unwatermarked synthetic text, 200 tokens, KGW key)\n\n");
        nullCalibration();

        md.append(String.format(Locale.ROOT, "%nTotal run time %.0f s on %d threads.%n", (System.nanoTime() - t0) / 1e9,
                Runtime.getRuntime().availableProcessors()));
        return md.toString();
    }

    private record Cell(double tpr, double medianZ, double minZ) {}

    private int[] generate(Subject s, WatermarkConfig c, int doc, int count) {
        WatermarkLogitsProcessor p = new WatermarkLogitsProcessor(key, c);
        return TextGenerator.generate(s.model.apply(doc), p, s.prompt, count, new SplittableRandom(seed ^ (doc * 0x9E3779B97F4A7C15L) ^ c.scheme().ordinal()));
    }

    /** TPR over {@code docs} generations; with {@code human} non-null the text is attacked first. */
    private Cell cell(Subject s, WatermarkConfig c, int tokens, HumanText human) {
        WatermarkDetector d = new WatermarkDetector(key, c);
        double[] z = new double[docs];
        boolean[] hit = new boolean[docs];
        IntStream.range(0, docs).parallel().forEach(i -> {
            int[] ids = generate(s, c, i, tokens);
            WatermarkDetection r;
            if (human == null) {
                r = s.lang == null ? d.detect(ids) : d.detect(tok.decode(ids), tok);
            } else {
                SplittableRandom rng = new SplittableRandom(seed * 31 + i);
                if (s.lang == null) {
                    r = d.detect(Attacks.tokens(ids, 0.2, SyntheticLanguageModel.VOCABULARY, rng));
                } else {
                    r = d.detect(Attacks.words(tok.decode(ids), 0.2, s.lang, human.words(s.lang), rng), tok);
                }
            }
            z[i] = r.z();
            hit[i] = r.detected();
        });
        int hits = 0;
        for (boolean b : hit) {
            hits += b ? 1 : 0;
        }
        double[] sorted = z.clone();
        Arrays.sort(sorted);
        return new Cell((double) hits / docs, sorted[docs / 2], sorted[0]);
    }

    private void passage(Subject s, WatermarkConfig c, HumanText human) {
        WatermarkDetector d = new WatermarkDetector(key, c);
        boolean[] hit = new boolean[docs];
        boolean[] hitDoc = new boolean[docs];
        boolean[] overlap = new boolean[docs];
        double[] z = new double[docs];
        IntStream.range(0, docs).parallel().forEach(i -> {
            int[] mark = generate(s, c, i, 300);
            SplittableRandom rng = new SplittableRandom(seed * 17 + i);
            int[] all;
            int from;
            int to;
            if (s.lang == null) {
                int[] h = human.tokenStretch(TextLanguage.EN, 3000, rng);
                int at = rng.nextInt(h.length + 1);
                all = new int[h.length + mark.length];
                System.arraycopy(h, 0, all, 0, at);
                System.arraycopy(mark, 0, all, at, mark.length);
                System.arraycopy(h, at, all, at + mark.length, h.length - at);
                from = at;
                to = at + mark.length;
            } else {
                String h = human.textStretch(s.lang, 3000, rng);
                int at = h.indexOf('\n', rng.nextInt(Math.max(1, h.length())));
                at = at < 0 ? h.length() : at + 1;
                String before = h.substring(0, at);
                String text = before + tok.decode(mark) + "\n" + h.substring(at);
                all = tok.encode(text);
                from = tok.encode(before).length;
                to = from + mark.length;
            }
            WatermarkDetection r = d.detect(all);
            hit[i] = r.detected();
            hitDoc[i] = r.documentPValue() <= c.falsePositiveRate();
            overlap[i] = r.detected() && r.windowStart() < to && r.windowEnd() > from;
            z[i] = r.z();
        });
        Arrays.sort(z);
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %s |%n", s.name, c.scheme(), pct(frac(hit)), pct(frac(hitDoc)),
                z[docs / 2], pct(frac(overlap))));
    }

    private void humanFalsePositives(HumanText human) {
        long totalBytes = 0;
        int totalDocs = 0;
        int totalFp = 0;
        for (HumanText.File f : human.files) {
            List<int[]> documents = new ArrayList<>();
            for (int a = 0; a < f.tokens.length; a += 1000) {
                documents.add(Arrays.copyOfRange(f.tokens, a, Math.min(f.tokens.length, a + 1000)));
            }
            documents.add(f.tokens);
            int fp = 0;
            double maxZ = Double.NEGATIVE_INFINITY;
            double minP = 1;
            int tests = 0;
            for (int k = 0; k < 5; k++) {
                WatermarkKey kk = WatermarkKey.fromPassphrase("human-fp-" + k);
                for (WatermarkConfig c : CONFIGS) {
                    WatermarkDetector d = new WatermarkDetector(kk, c);
                    for (int[] doc : documents) {
                        WatermarkDetection r = d.detect(doc);
                        tests++;
                        if (r.status() == WatermarkDetection.Status.INSUFFICIENT_TEXT) {
                            continue;
                        }
                        fp += r.detected() ? 1 : 0;
                        maxZ = Math.max(maxZ, r.z());
                        minP = Math.min(minP, r.pValue());
                    }
                }
            }
            totalBytes += f.bytes;
            totalDocs += tests;
            totalFp += fp;
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %.2g |%n", f.name, f.bytes, tests, fp, maxZ, minP));
        }
        md.append(String.format(Locale.ROOT, "| **total** | **%d** | **%d** | **%d** | | |%n", totalBytes, totalDocs, totalFp));
    }

    private void nullCalibration() {
        int n = docs * 10;
        WatermarkDetector d = new WatermarkDetector(key, WatermarkConfig.KGW_DEFAULT);
        double[] p = new double[n];
        boolean[] det = new boolean[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] ids = TextGenerator.generate(new SyntheticLanguageModel(2.0, 99_000L + i), null, new int[]{1}, 200, new SplittableRandom(i));
            WatermarkDetection r = d.detect(ids);
            p[i] = r.documentPValue();
            det[i] = r.detected();
        });
        int below01 = 0;
        int below001 = 0;
        for (double v : p) {
            below01 += v <= 0.1 ? 1 : 0;
            below001 += v <= 0.01 ? 1 : 0;
        }
        md.append(String.format(Locale.ROOT, "%d documents: detected %d; whole-document p <= 0.1: %.3f (expected about 0.1); p <= 0.01: %.4f (expected about 0.01 for a calibrated test; the exact binomial tail never exceeds its nominal level, so the excess is sampling noise).%n",
                n, (int) IntStream.range(0, n).filter(i -> det[i]).count(), (double) below01 / n, (double) below001 / n));
    }

    private static double frac(boolean[] b) {
        int c = 0;
        for (boolean x : b) {
            c += x ? 1 : 0;
        }
        return (double) c / b.length;
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * f);
    }

    /** The shipped human text, tokenized once. */
    static final class HumanText {
        record File(String name, long bytes, String text, int[] tokens, TextLanguage lang) {}

        final List<File> files = new ArrayList<>();
        private final Tokenizer tok;
        private String[] enWords;
        private String[] zhChars;

        private HumanText(Tokenizer tok) {
            this.tok = tok;
        }

        static HumanText load(Path dir, Tokenizer tok) {
            HumanText h = new HumanText(tok);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(x -> x.toString().endsWith(".txt")).sorted().toList()) {
                    String text = TextFiles.readUtf8(p);
                    String name = p.getFileName().toString();
                    h.files.add(new File(name, Files.size(p), text, tok.encode(text), name.startsWith("zh") ? TextLanguage.ZH : TextLanguage.EN));
                }
            } catch (IOException e) {
                throw new org.aigcmark.AigcmarkException(org.aigcmark.AigcmarkException.Reason.INPUT_UNREADABLE,
                        "cannot read the human text folder " + dir + ": " + e.getMessage(), e);
            }
            if (h.files.isEmpty()) {
                throw new org.aigcmark.AigcmarkException(org.aigcmark.AigcmarkException.Reason.INPUT_UNREADABLE,
                        "no .txt files in " + dir + " (expected testdata/fixtures/text/human)");
            }
            return h;
        }

        synchronized String[] words(TextLanguage lang) {
            if (enWords == null) {
                StringBuilder en = new StringBuilder();
                StringBuilder zh = new StringBuilder();
                for (File f : files) {
                    (f.lang == TextLanguage.EN ? en : zh).append(f.text).append('\n');
                }
                enWords = Arrays.stream(en.toString().split("\\s+")).filter(w -> w.matches("[A-Za-z]{2,}")).distinct().toArray(String[]::new);
                zhChars = zh.toString().codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN)
                        .distinct().mapToObj(Character::toString).toArray(String[]::new);
            }
            return lang == TextLanguage.ZH ? zhChars : enWords;
        }

        int[] tokenStretch(TextLanguage lang, int n, SplittableRandom rng) {
            List<File> l = files.stream().filter(f -> f.lang == lang && f.tokens.length > n).toList();
            File f = l.get(rng.nextInt(l.size()));
            int a = rng.nextInt(f.tokens.length - n);
            return Arrays.copyOfRange(f.tokens, a, a + n);
        }

        String textStretch(TextLanguage lang, int n, SplittableRandom rng) {
            return tok.decode(tokenStretch(lang, n, rng));
        }
    }
}
