import java.nio.file.*;
import java.util.*;
import org.aigcmark.Labeler;
import org.aigcmark.detection.*;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.watermark.WatermarkOptions;

/**
 * CPU ms a file by stage of Detector.detect (DetectionTimings) with bench serve's detector settings (the bench key, quick
 * watermark search, no OCR or models), for any files: N detections each after one to warm up (docs/SERVICE.md, "Full
 * image detection: the decode", the 1080p numbers). Args: N FILE... Run from the repository root after packaging bench:
 * java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp bench/target/aigcmark-bench.jar tools/decode-ab/DetectStages.java 8 a.jpg b.jpg
 */
public class DetectStages {
    public static void main(String[] a) throws Exception {
        WatermarkKey key = WatermarkKey.fromPassphrase("bench");
        DetectionTimings timings = new DetectionTimings();
        Detector d = Detector.create(Labeler.create(), List.of(key), List.of(), List.of())
                .withWatermarkSearch(WatermarkOptions.Search.QUICK);
        int n = Integer.parseInt(a[0]);
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 1; i < a.length; i++) {
            byte[] b = Files.readAllBytes(Path.of(a[i]));
            d.detect(b, a[i], false);
            long c0 = tm.getCurrentThreadCpuTime();
            Detector dt = d.withTimings(timings);
            for (int k = 0; k < n; k++) dt.detect(b, a[i], false);
            StringBuilder sb = new StringBuilder();
            for (DetectionTimings.Stage st : DetectionTimings.Stage.values()) if (timings.nanos(st) > 0) sb.append(String.format(" %s %.1f", st.name().toLowerCase(), timings.nanos(st) / 1e6 / n));
            timings.reset();
            System.out.printf("%-40s %.1f ms cpu:%s%n", a[i].replaceAll(".*fixtures/", ""), (tm.getCurrentThreadCpuTime() - c0) / 1e6 / n, sb);
        }
        
    }
}
