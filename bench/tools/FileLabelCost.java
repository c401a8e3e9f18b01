import java.nio.file.*;
import java.nio.channels.FileChannel;
import java.lang.management.*;
import org.aigcmark.*;
/**
 * The metadata-only label of FILE from file to file ({@code Labeler.label(Path, Path)}) against an atomic copy
 * ({@code Files.copy} to a temp file beside the target, fsync, rename: what an atomic output costs at least), alternating
 * call by call in one JVM, each by the calling thread's CPU, medians of the last half. BARRIER 1 fsyncs the folder
 * before each (so neither pays for the other's pending metadata), COPY_FIRST 1 swaps the order. Run:
 * {@code java -cp bench/target/aigcmark-bench.jar bench/tools/FileLabelCost.java FILE 1500 0 0}
 */
public class FileLabelCost {
  public static void main(String[] a) throws Exception {
    Labeler l = Labeler.create();
    LabelRequest r = LabelRequest.produced("aigcmark-bench", "id-1");
    Path in = Path.of(a[0]); Path dir = Files.createTempDirectory("split"); Path out = dir.resolve("o.jpg"); Path cp = dir.resolve("c.jpg");
    int n = Integer.parseInt(a[1]); boolean barrier = a[2].equals("1"); boolean copyFirst = a[3].equals("1");
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    long[] L = new long[n], C = new long[n];
    for (int i = 0; i < n; i++) {
      Files.deleteIfExists(out); Files.deleteIfExists(cp);
      for (int k = 0; k < 2; k++) {
        boolean doCopy = (k == 0) == copyFirst;
        if (barrier) try (var d = FileChannel.open(dir, StandardOpenOption.READ)) { d.force(true); }
        long c0 = t.getCurrentThreadCpuTime();
        if (!doCopy) l.label(in, out, r);
        else {
          Path tmp = dir.resolve(".c.tmp");
          Files.copy(in, tmp);
          try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) { ch.force(true); }
          Files.move(tmp, cp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        long c1 = t.getCurrentThreadCpuTime();
        if (doCopy) C[i] = c1 - c0; else L[i] = c1 - c0;
      }
    }
    int h = n / 2;
    double ml = med(L, h), mc = med(C, h);
    System.out.printf("barrier=%s copyFirst=%s: label %.3f atomic copy %.3f ratio %.2f%n", barrier, copyFirst, ml, mc, ml / mc);
  }
  static double med(long[] x, int from) { long[] y = java.util.Arrays.copyOfRange(x, from, x.length); java.util.Arrays.sort(y); return y[y.length/2] / 1e6; }
}
