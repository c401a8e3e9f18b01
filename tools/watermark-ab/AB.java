import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.*;
import javax.imageio.ImageIO;

/**
 * A/B of the watermark detection cost in one JVM (docs/WATERMARK.md, "Search cost, same results"): two builds of the
 * sdk, each in its own class loader, called alternately on the same 1920x1080 frames (the JMH synthetic frame and
 * photos centre-cropped to 16:9 and scaled), CPU time of the calling thread per call, medians, and each side's last
 * result (D = detected, then the score) so a change that should not move results can be seen not to.
 * Args: ROUNDS WARMUP CLASSPATH_A CLASSPATH_B|- [FULL|QUICK|OWN_GEOMETRY] (class paths joined by ':'),
 * -Dframes=synthetic,16-autumn-hills,..., -Dsize=WxH (default 1920x1080: small sizes show the cost of the search for
 * marks made before 2026-12, images under 510 px). Run from the repository root:
 * java --add-modules jdk.incubator.vector tools/watermark-ab/AB.java 11 6 OLD_CLASSES:BENCH_JAR NEW_CLASSES:BENCH_JAR FULL
 */
public class AB {
    static final class Side {
        final Object wm; final Method detectRgb; final Method score; final Method detected; final String name;
        Side(String name, String cp, String search) throws Exception {
            this.name = name;
            List<URL> urls = new ArrayList<>();
            for (String p : cp.split(":")) urls.add(new File(p).toURI().toURL());
            ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> keyC = cl.loadClass("org.aigcmark.key.WatermarkKey");
            Object key = keyC.getMethod("fromPassphrase", String.class).invoke(null, "jmh");
            Class<?> optC = cl.loadClass("org.aigcmark.watermark.WatermarkOptions");
            Class<?> searchC = cl.loadClass("org.aigcmark.watermark.WatermarkOptions$Search");
            Class<?> kernC = cl.loadClass("org.aigcmark.watermark.WatermarkOptions$Kernels");
            Object opts = optC.getMethod("defaults").invoke(null);
            opts = optC.getMethod("withKernels", kernC).invoke(opts, Enum.valueOf((Class) kernC, "VECTOR"));
            opts = optC.getMethod("withSearch", searchC).invoke(opts, Enum.valueOf((Class) searchC, search));
            Class<?> wmC = cl.loadClass("org.aigcmark.watermark.ImageWatermarker");
            wm = wmC.getMethod("create", keyC, optC).invoke(null, key, opts);
            detectRgb = wmC.getMethod("detectRgb", int[].class, int.class, int.class);
            Class<?> detC = cl.loadClass("org.aigcmark.watermark.WatermarkDetection");
            score = detC.getMethod("score");
            detected = detC.getMethod("detected");
        }
        String run(int[] px, int w, int h) throws Exception {
            Object d = detectRgb.invoke(wm, px, w, h);
            return (((Boolean) detected.invoke(d)) ? "D " : "- ") + String.format("%.6f", (Double) score.invoke(d));
        }
    }

    static int[] load(String path, int w, int h) throws Exception {
        BufferedImage src = ImageIO.read(new File(path));
        // centre crop to 16:9 then scale to w x h
        int sw = src.getWidth(), sh = src.getHeight();
        int cw = sw, ch = sw * h / w;
        if (ch > sh) { ch = sh; cw = sh * w / h; }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, (sw - cw) / 2, (sh - ch) / 2, (sw - cw) / 2 + cw, (sh - ch) / 2 + ch, null);
        g.dispose();
        return out.getRGB(0, 0, w, h, null, 0, w);
    }

    static int[] synthetic(int w, int h) {
        int[] frame = new int[w * h];
        Random r = new Random(7);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            double v = 50 + 140.0 * y / h + 20 * Math.sin(x * 0.05) * Math.cos(y * 0.031)
                    + (x > w / 2 ? 15 * Math.sin(x * 0.9 + y * 0.4) : 0) + r.nextGaussian() * 3;
            int g = (int) Math.max(0, Math.min(255, v));
            frame[y * w + x] = 0xff000000 | (Math.min(255, g + 10) << 16) | (g << 8) | (int) (g * 0.8);
        }
        return frame;
    }

    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]), warm = Integer.parseInt(a[1]);
        String search = a.length > 4 ? a[4] : "FULL";
        String photos = System.getProperty("photos", "testdata/fixtures/photos") + "/";
        String[] names = System.getProperty("frames", "synthetic,16-autumn-hills,05-dusk-calm-lake,32-moss-one-stands-out").split(",");
        String[] size = System.getProperty("size", "1920x1080").split("x");
        int w = Integer.parseInt(size[0]), h = Integer.parseInt(size[1]);
        List<int[]> frames = new ArrayList<>();
        for (String n : names) frames.add(n.equals("synthetic") ? synthetic(w, h) : load(photos + n + ".jpg", w, h));
        List<Side> sides = new ArrayList<>();
        sides.add(new Side("A", a[2], search));
        if (!a[3].equals("-")) sides.add(new Side("B", a[3], search));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][][] t = new double[sides.size()][frames.size()][rounds];
        String[][] res = new String[sides.size()][frames.size()];
        for (int r = -warm; r < rounds; r++) {
            for (int f = 0; f < frames.size(); f++) {
                for (int si = 0; si < sides.size(); si++) {
                    int s = (r + si) % sides.size(); if (s < 0) s += sides.size();
                    long c0 = mx.getCurrentThreadCpuTime();
                    String out = sides.get(s).run(frames.get(f), w, h);
                    long c1 = mx.getCurrentThreadCpuTime();
                    if (r >= 0) t[s][f][r] = (c1 - c0) / 1e6;
                    res[s][f] = out;
                }
            }
        }
        System.out.printf("search %s, %dx%d, %d rounds after %d warm-up, CPU ms medians, load %s%n", search, w, h, rounds, warm,
                new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
        for (int f = 0; f < frames.size(); f++) {
            StringBuilder sb = new StringBuilder(String.format("%-28s", names[f]));
            double[] med = new double[sides.size()];
            for (int s = 0; s < sides.size(); s++) {
                double[] x = t[s][f].clone(); Arrays.sort(x); med[s] = x[x.length / 2];
                sb.append(String.format("  %s %8.2f ms [%s]", sides.get(s).name, med[s], res[s][f]));
            }
            if (sides.size() == 2) sb.append(String.format("  B/A %.3f", med[1] / med[0]));
            System.out.println(sb);
        }
    }
}
