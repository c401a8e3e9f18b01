import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
/**
 * WebP decode A/B in one JVM (docs/SERVICE.md, "WebP through the system's libwebp"): aigcmark-codec-webp's bundled
 * libwebp (webp-imageio's JNI) against codec-system's call of the system's libwebp (FFM), alternately on the same file,
 * thread CPU time, getRGB compared (an AssertionError if they differ). Args: ROUNDS FILE...
 * java --enable-native-access=ALL-UNNAMED -XX:+UseG1GC -cp bench/target/aigcmark-bench.jar tools/decode-ab/WebpAB.java 15 1080p/*.webp
 */
public class WebpAB {
    public static void main(String[] a) throws Exception {
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        var sys = new org.aigcmark.codec.system.SystemWebpDecoder();
        var jni = new org.aigcmark.codec.webp.LibwebpDecoder();
        System.out.println(sys.name() + " vs " + jni.name());
        int n = Integer.parseInt(a[0]);
        for (int i = 1; i < a.length; i++) {
            byte[] b = Files.readAllBytes(Path.of(a[i]));
            long tj = 0, ts = 0;
            for (int k = 0; k < n + 5; k++) {
                long c0 = tm.getCurrentThreadCpuTime();
                BufferedImage x = jni.decode(b);
                long c1 = tm.getCurrentThreadCpuTime();
                BufferedImage y = sys.decode(b);
                long c2 = tm.getCurrentThreadCpuTime();
                int w = x.getWidth(), h = x.getHeight();
                if (k == 0 && !java.util.Arrays.equals(x.getRGB(0, 0, w, h, null, 0, w), y.getRGB(0, 0, w, h, null, 0, w))) {
                    throw new AssertionError(a[i] + ": the two decoders' pixels differ");
                }
                if (k >= 5) {
                    tj += c1 - c0;
                    ts += c2 - c1;
                }
            }
            System.out.printf("%-30s webp-imageio %6.2f system %6.2f ms CPU (system/webp-imageio %.2f)%n",
                    Path.of(a[i]).getFileName(), tj / 1e6 / n, ts / 1e6 / n, (double) ts / tj);
        }
    }
}
