package org.aigcmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.aigcmark.detect.DetectorSettings;
import org.junit.jupiter.api.Test;

/**
 * An executor's detector gives each OCR session of ONNX Runtime its task's share of the cores, as serve and scan do
 * (the Spark-bound case, local[2], is {@code AigcScanTest.theExecutorsDetectorSizesItsOnnxSessionsToTheTaskSlots}).
 */
class ExecutorDetectorTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void taskSlotsComeFromTheMasterOrTheExecutorsCores() {
        assertEquals(1, ExecutorDetector.taskSlots(Map.of()), "no Spark: one detection at a time");
        assertEquals(1, ExecutorDetector.taskSlots(Map.of("spark.master", "local")));
        assertEquals(3, ExecutorDetector.taskSlots(Map.of("spark.master", "local[3]")));
        assertEquals(4, ExecutorDetector.taskSlots(Map.of("spark.master", "local[4,2]")), "local[N,F]: F is the retries");
        assertEquals(CORES, ExecutorDetector.taskSlots(Map.of("spark.master", "local[*]")));
        assertEquals(8, ExecutorDetector.taskSlots(Map.of("spark.master", "spark://h:7077", "spark.executor.cores", "8")));
        assertEquals(4, ExecutorDetector.taskSlots(Map.of("spark.master", "yarn", "spark.executor.cores", "8", "spark.task.cpus", "2")));
        assertEquals(CORES, ExecutorDetector.taskSlots(Map.of("spark.master", "spark://h:7077")), "standalone: every core");
    }

    @Test
    void theOcrSessionsGetTheCoresOverTheSlotsAndAThreadCountGivenIsKept() {
        DetectorSettings s = DetectorSettings.defaults().withOcrSearch("bands", 1280);
        assertEquals(4, ExecutorDetector.sized(s, 16, 4).onnxThreads());
        assertEquals(1, ExecutorDetector.sized(s, 2, 2).onnxThreads());
        assertEquals(1, ExecutorDetector.sized(s, 2, 8).onnxThreads());
        assertSame(s, ExecutorDetector.sized(s, 8, 1), "one task at a time: ONNX Runtime's own choice");
        assertEquals(3, ExecutorDetector.sized(s.withOnnxThreads(3), 16, 4).onnxThreads(), "a count the settings name is kept");
        assertEquals("bands", ExecutorDetector.sized(s, 16, 4).ocrRegion(), "the other settings kept");
        assertSame(s, ExecutorDetector.effective(s), "outside a Spark JVM nothing changes");
    }
}
