import java.io.File;
import java.lang.reflect.Method;
import java.net.*;
import java.util.*;

/** Args: ROUNDS WARMUP CP_A CP_B FRAME... (photos scaled to 1080p via AB.load-like code); -Dstages=QuickStageTimes for QUICK. */
public class Stages {
    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]), warm = Integer.parseInt(a[1]);
        Object[] st = new Object[2]; Method[] run = new Method[2];
        for (int s = 0; s < 2; s++) {
            List<URL> urls = new ArrayList<>();
            for (String p : a[2 + s].split(":")) urls.add(new File(p).toURI().toURL());
            ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> c = cl.loadClass("org.aigcmark.watermark." + System.getProperty("stages", "StageTimes"));
            var ctor = c.getDeclaredConstructor(); ctor.setAccessible(true);
            st[s] = ctor.newInstance(); run[s] = c.getMethod("run", int[].class, int.class, int.class);
        }
        for (int f = 4; f < a.length; f++) {
            int[] px = load(a[f], 1920, 1080);
            List<Map<String, List<Double>>> acc = List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
            for (int r = -warm; r < rounds; r++) {
                for (int s0 = 0; s0 < 2; s0++) {
                    int s = (r + s0 + 100) % 2;
                    @SuppressWarnings("unchecked") Map<String, Double> t = (Map<String, Double>) run[s].invoke(st[s], px, 1920, 1080);
                    if (r >= 0) for (var e : t.entrySet()) acc.get(s).computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(e.getValue());
                }
            }
            System.out.println(a[f] + "  load " + new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
            for (int s = 0; s < 2; s++) {
                StringBuilder sb = new StringBuilder(s == 0 ? "  A:" : "  B:");
                for (var e : acc.get(s).entrySet()) { List<Double> v = new ArrayList<>(e.getValue()); Collections.sort(v); sb.append(String.format(Locale.ROOT, " %s %.2f |", e.getKey(), v.get(v.size() / 2))); }
                System.out.println(sb);
            }
        }
    }

    static int[] load(String path, int w, int h) throws Exception {
        var src = javax.imageio.ImageIO.read(new File(path));
        int sw = src.getWidth(), sh = src.getHeight();
        int cw = sw, ch = sw * h / w;
        if (ch > sh) { ch = sh; cw = sh * w / h; }
        var out = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, (sw - cw) / 2, (sh - ch) / 2, (sw - cw) / 2 + cw, (sh - ch) / 2 + ch, null);
        g.dispose();
        return out.getRGB(0, 0, w, h, null, 0, w);
    }
}
