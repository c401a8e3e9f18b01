import java.nio.file.*;
import java.lang.management.*;
import org.aigcmark.*;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.*;
import org.aigcmark.visible.VisibleLabelOptions;
/**
 * A new JVM's first full label (visible + watermark + Ed25519 signature, in memory) of FILE, then WARM more calls: the
 * first call's calling-thread CPU, the process's CPU meanwhile (JIT and GC threads included), wall time and classes
 * loaded, its stages, and the median of the last half of the warm calls. Run in several new JVMs (docs/BENCHMARKS.md,
 * issue 19 "seventh round"):
 * {@code java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp bench/target/aigcmark-bench.jar bench/tools/FirstLabelCost.java FILE 8}
 */
public class FirstLabelCost {
  public static void main(String[] a) throws Exception {
    byte[] in = Files.readAllBytes(Path.of(a[0]));
    int warm = Integer.parseInt(a[1]);
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var cl = ManagementFactory.getClassLoadingMXBean();
    Labeler l = Labeler.create();
    var pair = LabelKeys.generate(SignatureAlgorithm.ED25519);
    LabelRequest req = LabelRequest.produced("aigcmark-bench", "id-1").withVisible(VisibleLabelOptions.defaults())
        .withWatermark(WatermarkKey.fromPassphrase("bench passphrase"))
        .withSigningKey(new LabelKeys.SigningKey(SignatureAlgorithm.ED25519, pair.getPrivate(), pair.getPublic()));
    long c0 = t.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime(), w0 = System.nanoTime(); long k0 = cl.getTotalLoadedClassCount();
    LabelTimings tm = new LabelTimings(t::getCurrentThreadCpuTime);
    l.label(in, "in.jpg", req, tm);
    long c1 = t.getCurrentThreadCpuTime(), p1 = os.getProcessCpuTime(), w1 = System.nanoTime(); long k1 = cl.getTotalLoadedClassCount();
    long[] ws = new long[warm];
    for (int i = 0; i < warm; i++) { long x = t.getCurrentThreadCpuTime(); l.label(in, "in.jpg", req); ws[i] = t.getCurrentThreadCpuTime() - x; }
    long[] tail = java.util.Arrays.copyOfRange(ws, warm / 2, warm); java.util.Arrays.sort(tail);
    double med = tail[tail.length / 2] / 1e6, first = (c1 - c0) / 1e6;
    System.out.printf("first thread %.0f ms, process %.0f ms, wall %.0f ms, classes %d | warm median (last %d) %.1f ms | first/warm %.2fx | stages %s%n",
        first, (p1 - p0) / 1e6, (w1 - w0) / 1e6, k1 - k0, tail.length, med, first / med, tm.asMillis().entrySet().stream().map(e -> e.getKey() + "=" + Math.round(e.getValue())).toList());
  }
}
