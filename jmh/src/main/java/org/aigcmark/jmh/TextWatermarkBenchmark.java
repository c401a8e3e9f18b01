package org.aigcmark.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.text.watermark.WatermarkConfig;
import org.aigcmark.text.watermark.WatermarkDetection;
import org.aigcmark.text.watermark.WatermarkDetector;
import org.aigcmark.text.watermark.WatermarkLogitsProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-step cost of the text watermark and detector throughput, single thread.
 * Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar TextWatermarkBenchmark}
 * (add {@code -jvmArgsAppend -Daigcmark.noVector=true} for the plain-loop kernel).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TextWatermarkBenchmark {
    @Param({"150000"})
    int vocabulary;

    @Param({"1000"})
    int topK;

    /** Tokens per detection call; throughput in tokens/s is detectTokens / (time per call). */
    static final int DETECT_TOKENS = 100_000;

    WatermarkLogitsProcessor kgw;
    WatermarkLogitsProcessor gumbel;
    WatermarkDetector kgwDetector;
    WatermarkDetector gumbelDetector;
    float[] logits;
    float[] logitsPristine;
    float[] topLogits;
    float[] topScratch;
    int[] topIds;
    int[] prev = new int[64];
    int step;
    int[] detectTokens;
    /** A precomputed bias vector (issue 19's comparator: the cheapest way to shift 150k logits is one add per token). */
    float[] bias;
    /** One streamed answer's chunks, a token each, for the streaming labeller's per-token cost. */
    String[] answerChunks;

    @Setup
    public void setup() {
        WatermarkKey key = WatermarkKey.fromPassphrase("bench");
        kgw = new WatermarkLogitsProcessor(key, WatermarkConfig.KGW_DEFAULT);
        gumbel = new WatermarkLogitsProcessor(key, WatermarkConfig.GUMBEL_DEFAULT);
        kgwDetector = new WatermarkDetector(key, WatermarkConfig.KGW_DEFAULT);
        gumbelDetector = new WatermarkDetector(key, WatermarkConfig.GUMBEL_DEFAULT);
        SplittableRandom r = new SplittableRandom(1);
        logits = new float[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            logits[i] = (float) r.nextGaussian();
        }
        logitsPristine = logits.clone();
        topIds = r.ints(topK * 2L, 0, vocabulary).distinct().limit(topK).toArray();
        topLogits = new float[topIds.length];
        for (int i = 0; i < topLogits.length; i++) {
            topLogits[i] = (float) r.nextGaussian();
        }
        topScratch = topLogits.clone();
        for (int i = 0; i < prev.length; i++) {
            prev[i] = r.nextInt(vocabulary);
        }
        detectTokens = r.ints(DETECT_TOKENS, 0, vocabulary).toArray();
        bias = new float[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            bias[i] = r.nextInt(4) == 0 ? 2f : 0f;
        }
        answerChunks = new String[ANSWER_TOKENS];
        String[] pieces = {"人工", "智能", "生成", "的", " content", " is", ",", " labelled", "。", "内容"};
        for (int i = 0; i < ANSWER_TOKENS; i++) {
            answerChunks[i] = pieces[i % pieces.length];
        }
    }

    /** Chunks (one token each) per streamed answer in {@link #streamingLabelerPerToken}. */
    static final int ANSWER_TOKENS = 1000;

    private int nextContext() {
        prev[prev.length - 1] = step++ & 0xFFFF; // a new context (and so a new green list) every step
        return prev.length;
    }

    /** KGW over all 150k logits (delta is added in place; logits drift by delta per call, harmless here). */
    @Benchmark
    public float kgwFullVocabularyStep() {
        kgw.process(logits, prev, nextContext());
        return logits[7];
    }

    /** GUMBEL over all 150k logits: one keyed uniform and two logarithms per token (not vectorised). */
    @Benchmark
    public float gumbelFullVocabularyStep() {
        System.arraycopy(logitsPristine, 0, logits, 0, logits.length);
        gumbel.process(logits, prev, nextContext());
        return logits[7];
    }

    /**
     * The comparator for {@link #kgwFullVocabularyStep}: adding a precomputed bias vector to all 150k logits (what a
     * watermark with a fixed green list would cost; C2 vectorises the loop). Issue 19: the KGW step ≤ 2x this.
     */
    @Benchmark
    public float addPrecomputedBias() {
        float[] l = logits;
        float[] b = bias;
        for (int i = 0; i < l.length; i++) {
            l[i] += b[i];
        }
        return l[7];
    }

    /**
     * The streaming labeller's cost per token: one answer of {@link #ANSWER_TOKENS} one-token chunks through a new
     * {@code StreamingLabeler} (start and end label), reported per chunk. Issue 19: ≤ 1 µs per token.
     */
    @Benchmark
    @OperationsPerInvocation(ANSWER_TOKENS)
    public int streamingLabelerPerToken() {
        org.aigcmark.text.StreamingLabeler l = new org.aigcmark.text.StreamingLabeler(
                org.aigcmark.text.ExplicitTextLabel.defaults(org.aigcmark.text.TextLanguage.ZH),
                org.aigcmark.text.LabelPosition.BOTH);
        int n = 0;
        for (String c : answerChunks) {
            n += l.onChunk(c).length();
        }
        return n + l.finish().length();
    }

    /** The comparator for {@link #streamingLabelerPerToken}: the same chunks passed on unchanged (a copy each). */
    @Benchmark
    @OperationsPerInvocation(ANSWER_TOKENS)
    public int passThroughPerToken() {
        int n = 0;
        for (String c : answerChunks) {
            n += new StringBuilder(c.length() + 32).append(c).toString().length();
        }
        return n;
    }

    @Benchmark
    public float kgwTopKStep() {
        System.arraycopy(topLogits, 0, topScratch, 0, topScratch.length);
        kgw.processTopK(topIds, topScratch, topScratch.length, prev, nextContext());
        return topScratch[3];
    }

    @Benchmark
    public float gumbelTopKStep() {
        System.arraycopy(topLogits, 0, topScratch, 0, topScratch.length);
        gumbel.processTopK(topIds, topScratch, topScratch.length, prev, nextContext());
        return topScratch[3];
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public WatermarkDetection kgwDetect100kTokens() {
        return kgwDetector.detect(detectTokens);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public WatermarkDetection gumbelDetect100kTokens() {
        return gumbelDetector.detect(detectTokens);
    }
}
