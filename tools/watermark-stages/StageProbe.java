package org.aigcmark.bench;

import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import javax.imageio.ImageIO;

/** Two sdk builds in one JVM on the same attacked images (right key only): exact payload and z per side. */
public class StageProbe {
    static final class Side {
        final Object wm; final Method embed; final Method analyzeRgb; final Method detection; final Method score;
        final Method detected; final Method payload; final Method fromLabel; final Object key;
        Side(String cp, String search) throws Exception {
            List<URL> urls = new ArrayList<>();
            for (String p : cp.split(":")) urls.add(new File(p).toURI().toURL());
            ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> keyC = cl.loadClass("org.aigcmark.key.WatermarkKey");
            key = keyC.getMethod("fromPassphrase", String.class).invoke(null, "aigcmark robustness benchmark key");
            Class<?> optC = cl.loadClass("org.aigcmark.watermark.WatermarkOptions");
            Class<?> searchC = cl.loadClass("org.aigcmark.watermark.WatermarkOptions$Search");
            Object opts = optC.getMethod("defaults").invoke(null);
            opts = optC.getMethod("withSearch", searchC).invoke(opts, Enum.valueOf((Class) searchC, search));
            Class<?> wmC = cl.loadClass("org.aigcmark.watermark.ImageWatermarker");
            wm = wmC.getMethod("create", keyC, optC).invoke(null, key, opts);
            Class<?> plC = cl.loadClass("org.aigcmark.watermark.WatermarkPayload");
            embed = wmC.getMethod("embed", BufferedImage.class, plC);
            analyzeRgb = wmC.getMethod("analyzeRgb", int[].class, int.class, int.class);
            detection = cl.loadClass("org.aigcmark.watermark.ImageWatermarker$Analysis").getMethod("detection");
            Class<?> detC = cl.loadClass("org.aigcmark.watermark.WatermarkDetection");
            score = detC.getMethod("score");
            detected = detC.getMethod("detected");
            payload = detC.getMethod("payload");
            fromLabel = plC.getMethod("fromLabel", keyC, String.class, String.class);
        }
        Object payloadFor(String name) throws Exception { return fromLabel.invoke(null, key, "robustness-bench", name); }
        /** "1 z" exact, "0 z" not */
        String read(int[] px, int w, int h, Object pl) throws Exception {
            Object d = detection.invoke(analyzeRgb.invoke(wm, px, w, h));
            boolean ok = (Boolean) detected.invoke(d) && ((Optional<?>) payload.invoke(d)).get().equals(pl);
            return (ok ? "1 " : "0 ") + String.format(Locale.ROOT, "%.3f", (Double) score.invoke(d));
        }
    }

    public static void main(String[] args) throws Exception {
        // args: DIR REGEX SEARCH_A CP_A SEARCH_B CP_B THREADS
        Path dir = Path.of(args[0]);
        String regex = args[1];
        Side a = new Side(args[3], args[2]);
        Side b = args[5].equals("-") ? null : new Side(args[5], args[4]);
        int threads = Integer.parseInt(args[6]);
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png")).sorted().toList();
        }
        BufferedImage host = ImageIO.read(new File("testdata/fixtures/photos/13-sunset-hilltop.jpg"));
        List<WatermarkAttacks.Attack> attacks = new ArrayList<>(WatermarkAttacks.all(false));
        attacks.addAll(WatermarkAttacks.issue17(false, host));
        attacks.removeIf(x -> !x.name().matches(regex));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> jobs = new ArrayList<>();
        for (Path f : files) {
            jobs.add(pool.submit(() -> {
                BufferedImage orig = ImageIO.read(f.toFile());
                BufferedImage marked = WatermarkAttacks.copy(orig);
                String name = f.getFileName().toString();
                a.embed.invoke(a.wm, marked, a.payloadFor(name));
                for (WatermarkAttacks.Attack at : attacks) {
                    BufferedImage att = at.apply().apply(marked);
                    int[] px = WatermarkAttacks.pixels(att);
                    String t = Thread.currentThread().getName();
                    System.err.println("H " + t + " " + name + " | " + at.name() + " | A");
                    String ra = a.read(px, att.getWidth(), att.getHeight(), a.payloadFor(name));
                    String rb = "";
                    if (b != null) {
                        System.err.println("H " + t + " " + name + " | " + at.name() + " | B");
                        rb = b.read(px, att.getWidth(), att.getHeight(), b.payloadFor(name));
                    }
                    synchronized (System.out) {
                        System.out.println("R\t" + name + "\t" + at.name() + "\t" + ra + "\t" + rb);
                        System.out.flush();
                    }
                }
                return null;
            }));
        }
        for (Future<?> j : jobs) j.get();
        pool.shutdown();
    }
}
