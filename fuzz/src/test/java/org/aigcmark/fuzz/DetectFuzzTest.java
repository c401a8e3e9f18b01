package org.aigcmark.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;

/**
 * {@code detect} on any bytes: the whole pipeline (sniff, inspect, pixel decode of a damaged or bomb image, both
 * watermark decoders, the forensic check, text checks), within the budgets and deterministic.
 *
 * <p>Its CPU budget is calibrated, not fixed: under the campaign's coverage instrumentation an ordinary seed's
 * detection costs 1.1-1.4 s of CPU even repeated (0.15-0.4 s uninstrumented), so the fixed 1 s of the other targets
 * flagged half the seeds. Before fuzzing, each seed is detected twice and its cheaper run kept; an input's budget is
 * {@link #BASELINE_MULTIPLE} times the costliest seed of the format it sniffs as (any seed's when it sniffs as none),
 * at least 1 s, plus 2 s per MB. Only a mutation that costs several times what an ordinary file of its kind costs on
 * the same machine, under the same load, is then a finding.
 */
class DetectFuzzTest {
    private static final Detector DETECTOR = Detector.create(Oracles.LABELER,
            List.of(WatermarkKey.fromPassphrase("aigcmark fuzz")), List.of(), List.of());

    /** How many times the costliest ordinary seed of its format an input may cost. */
    static final int BASELINE_MULTIPLE = 3;

    /** Per sniffed format (and "any"), the costliest seed's detection in ms of CPU; measured only in a campaign. */
    private static final Map<String, Long> BASELINE = Oracles.FUZZING ? calibrate() : Map.of();

    @FuzzTest
    void detect(byte[] data) {
        long cpuBudget = cpuBudget(data);
        String first = Oracles.bounded("detect", data.length, Oracles.DETECT_HEAP_BASE, cpuBudget,
                () -> ReportJson.write(ReportJson.toNode(DETECTOR.detect(data, "fuzz", false))));
        String second = Oracles.bounded("detect again", data.length, Oracles.DETECT_HEAP_BASE, cpuBudget,
                () -> ReportJson.write(ReportJson.toNode(DETECTOR.detect(data, "fuzz", false))));
        if (first != null && !first.equals(second)) {
            throw new AssertionError("detect is not deterministic:\n" + first + "\n---\n" + second);
        }
    }

    static long cpuBudget(byte[] data) {
        long base = BASELINE.getOrDefault(format(data), BASELINE.getOrDefault("any", 0L));
        return Math.max(1000, BASELINE_MULTIPLE * base) + 2000L * data.length / (1 << 20);
    }

    /** The format {@code data} sniffs as (the handler the facade would pick), or "unknown". */
    static String format(byte[] data) {
        try {
            return Oracles.LABELER.handlerFor(data, "fuzz").type().id();
        } catch (RuntimeException e) { // AigcmarkException: no handler takes it
            return "unknown";
        }
    }

    /** Each seed (not a saved finding) detected twice; the cheaper run is its cost (the first runs are cold). */
    private static Map<String, Long> calibrate() {
        Map<String, Long> costliest = new HashMap<>();
        for (Path seed : seeds()) {
            byte[] data;
            try {
                data = Files.readAllBytes(seed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            java.util.function.Supplier<Object> work = () -> DETECTOR.detect(data, "fuzz", false);
            long cost = Math.min(Oracles.cpuMillisOf(work), Oracles.cpuMillisOf(work));
            costliest.merge(format(data), cost, Math::max);
            costliest.merge("any", cost, Math::max);
            System.err.println("detect baseline: " + seed.getFileName() + " (" + format(data) + ", " + data.length
                    + " bytes): " + cost + " ms");
        }
        System.err.println("detect baselines (ms of CPU, costliest seed per format): " + costliest);
        return Map.copyOf(costliest);
    }

    private static List<Path> seeds() {
        try {
            Path dir = Path.of(DetectFuzzTest.class.getResource("DetectFuzzTestInputs/detect").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().matches("(crash|timeout|oom|leak|slow-unit)-.*"))
                        .sorted().toList();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("the detect seeds cannot be listed", e);
        }
    }
}
