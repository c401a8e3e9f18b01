package org.aigcmark.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;

/**
 * {@code detect} on any bytes: the whole pipeline (sniff, inspect, pixel decode of a damaged or bomb image, both
 * watermark decoders, the forensic check, text checks), within the budgets and deterministic.
 */
class DetectFuzzTest {
    private static final Detector DETECTOR = Detector.create(Oracles.LABELER,
            List.of(WatermarkKey.fromPassphrase("aigcmark fuzz")), List.of(), List.of());

    @FuzzTest
    void detect(byte[] data) {
        String first = Oracles.bounded("detect", data.length, Oracles.DETECT_HEAP_BASE,
                () -> ReportJson.write(ReportJson.toNode(DETECTOR.detect(data, "fuzz", false))));
        String second = Oracles.bounded("detect again", data.length, Oracles.DETECT_HEAP_BASE,
                () -> ReportJson.write(ReportJson.toNode(DETECTOR.detect(data, "fuzz", false))));
        if (first != null && !first.equals(second)) {
            throw new AssertionError("detect is not deterministic:\n" + first + "\n---\n" + second);
        }
    }
}
