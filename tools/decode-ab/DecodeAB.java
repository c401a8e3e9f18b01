import java.awt.image.*;
import java.io.*;
import java.nio.file.*;
import javax.imageio.ImageIO;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
/**
 * A/B of the detector's pixel decode in one JVM (docs/SERVICE.md, "Full image detection: the decode"): before (the
 * codec's decode: ImageIO for JPEG and PNG, TwelveMonkeys for WebP; then the packed RGB the checks read, as
 * DecodedPixels makes it) and now (decodeForChecks: libjpeg-turbo for a plain JPEG, the PNG codec's row reader for
 * an 8-bit true-colour PNG, libwebp for WebP; then the packed RGB), alternately on the same file, CPU time of the
 * calling thread, the two packed arrays compared (an AssertionError if they differ). Args: ROUNDS FILE...
 * Run from the repository root after packaging bench:
 * java --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -cp bench/target/aigcmark-bench.jar tools/decode-ab/DecodeAB.java 20 testdata/fixtures/webp/lossy.webp ...
 */
public class DecodeAB {
    static int[] packed(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            int[] out = new int[w * h];
            for (int i = 0, o = 0; i < out.length; i++, o += 3) out[i] = 0xff000000 | (data[o + 2] & 0xff) << 16 | (data[o + 1] & 0xff) << 8 | (data[o] & 0xff);
            return out;
        }
        if (img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB) {
            boolean opaque = img.getType() == BufferedImage.TYPE_INT_RGB;
            int[] out = ((DataBufferInt) img.getRaster().getDataBuffer()).getData().clone();
            if (opaque) for (int i = 0; i < out.length; i++) out[i] |= 0xff000000;
            return out;
        }
        return img.getRGB(0, 0, w, h, null, 0, w);
    }
    public static void main(String[] a) throws Exception {
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        Labeler l = Labeler.create();
        int n = Integer.parseInt(a[0]);
        for (int i = 1; i < a.length; i++) {
            byte[] b = Files.readAllBytes(Path.of(a[i]));
            var codec = l.handlerFor(b, a[i]).pixels().get();
            long oldT = 0, newT = 0, sink = 0;
            for (int k = 0; k < n + 5; k++) {
                long c0 = tm.getCurrentThreadCpuTime();
                int[] p1 = packed(codec.decode(b, Limits.DEFAULT));
                long c1 = tm.getCurrentThreadCpuTime();
                int[] p2 = packed(codec.decodeForChecks(b, Limits.DEFAULT));
                long c2 = tm.getCurrentThreadCpuTime();
                if (!java.util.Arrays.equals(p1, p2)) throw new AssertionError(a[i]);
                if (k >= 5) { oldT += c1 - c0; newT += c2 - c1; }
            }
            System.out.printf("%-28s before %6.2f now %6.2f ms CPU (now/before %.2f)%n", a[i].replaceAll(".*fixtures/", ""), oldT / 1e6 / n, newT / 1e6 / n, (double) newT / oldT);
        }
    }
}
