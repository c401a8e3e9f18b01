package org.aigcmark.bench;

import org.aigcmark.testdata.ImageAttacks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Image attacks for the watermark robustness benchmark. Everything works on TYPE_INT_RGB images; geometric
 * resampling uses an antialiased triangle filter (like PIL's BILINEAR) so downscales do not alias.
 */
final class WatermarkAttacks {
    private WatermarkAttacks() {}

    /** One attack: a name, its tier (1, 2 or 0 for reference rows) and the transformation. */
    record Attack(String name, int tier, java.util.function.UnaryOperator<BufferedImage> apply) {}

    static List<Attack> all(boolean external) {
        List<Attack> a = new ArrayList<>();
        a.add(new Attack("none (PNG)", 1, img -> img));
        a.add(new Attack("JPEG Q90 (ImageIO 4:2:0)", 1, img -> jpeg(img, 90)));
        a.add(new Attack("JPEG Q75 (ImageIO 4:2:0)", 1, img -> jpeg(img, 75)));
        a.add(new Attack("JPEG Q50 (ImageIO 4:2:0)", 1, img -> jpeg(img, 50)));
        if (external) {
            a.add(new Attack("JPEG Q75 (ImageMagick convert)", 1, img -> external(img, "magick75")));
            a.add(new Attack("JPEG q:v 5 (ffmpeg mjpeg 4:2:0)", 1, img -> external(img, "ffmpeg")));
        }
        a.add(new Attack("resize 0.5x (kept small)", 1, img -> resize(img, 0.5, 0.5)));
        a.add(new Attack("resize 2x", 1, img -> resize(img, 2, 2)));
        a.add(new Attack("centre crop 80% of each side", 1, img -> cropCentre(img, 0.8, 0.8)));
        a.add(new Attack("crop 25% off one side", 1, img -> crop(img, (int) (img.getWidth() * 0.25), 0,
                img.getWidth() - (int) (img.getWidth() * 0.25), img.getHeight())));
        a.add(new Attack("rotate +2 deg", 1, img -> rotate(img, 2)));
        a.add(new Attack("rotate -2 deg", 1, img -> rotate(img, -2)));
        a.add(new Attack("gaussian noise sigma 5", 1, img -> noise(img, 5, 1234)));
        a.add(new Attack("brightness x0.8", 1, img -> linear(img, 0.8, 0)));
        a.add(new Attack("brightness x1.2", 1, img -> linear(img, 1.2, 0)));
        a.add(new Attack("contrast +20%", 1, img -> linear(img, 1.2, -0.2 * 128)));
        a.add(new Attack("contrast -20%", 1, img -> linear(img, 0.8, 0.2 * 128)));
        a.add(new Attack("gaussian blur sigma 1", 1, img -> blur(img, 1.0)));
        a.add(new Attack("screenshot-like (resize 0.75 + JPEG 80)", 1, img -> jpeg(resize(img, 0.75, 0.75), 80)));
        a.add(new Attack("crop 10% + resize 0.7 + JPEG 75", 1, img -> jpeg(resize(cropCentre(img, 0.9, 0.9), 0.7, 0.7), 75)));
        a.add(new Attack("rotate +5 deg", 2, img -> rotate(img, 5)));
        a.add(new Attack("rotate -5 deg", 2, img -> rotate(img, -5)));
        a.add(new Attack("rotate +10 deg", 2, img -> rotate(img, 10)));
        a.add(new Attack("rotate -10 deg", 2, img -> rotate(img, -10)));
        a.add(new Attack("crop to 50% of the area", 2, img -> cropCentre(img, Math.sqrt(0.5), Math.sqrt(0.5))));
        a.add(new Attack("resize 0.33x", 2, img -> resize(img, 0.33, 0.33)));
        a.add(new Attack("aspect change (height x0.8)", 2, img -> resize(img, 1.0, 0.8)));
        a.add(new Attack("JPEG Q30 (ImageIO 4:2:0)", 2, img -> jpeg(img, 30)));
        a.add(new Attack("blur sigma 2 + resize 0.4", 2, img -> resize(blur(img, 2.0), 0.4, 0.4)));
        a.add(new Attack("crop 70% + rotate 1 + resize 0.5 + JPEG 60", 2,
                img -> jpeg(resize(rotate(cropCentre(img, 0.7, 0.7), 1), 0.5, 0.5), 60)));
        // what a platform does to an upload besides re-encoding (issue 17: the quick search lost these)
        a.add(new Attack("mirror image", 2, WatermarkAttacks::mirror));
        a.add(new Attack("40 px grey border", 2, img -> border(img, 40)));
        // beyond the targets (tier 0): where the blind re-synchronisation stops
        for (int deg : new int[] {15, 20, 30, 45}) {
            a.add(new Attack("beyond: rotate " + deg + " deg", 0, img -> rotate(img, deg)));
        }
        for (int pct : new int[] {60, 50, 40}) {
            a.add(new Attack("beyond: centre crop " + pct + "% of each side", 0, img -> cropCentre(img, pct / 100.0, pct / 100.0)));
        }
        return a;
    }

    /**
     * Issue 17's attacks on small and flat images, the single-image estimation attack and the geometric changes a
     * simple comparator survives. {@code host} is another photo for the paste attack (null: a mid-grey canvas).
     */
    static List<Attack> issue17(boolean external, BufferedImage host) {
        List<Attack> a = new ArrayList<>();
        a.add(new Attack("downscale 0.25x", 2, img -> resize(img, 0.25, 0.25)));
        a.add(new Attack("social chain (long side 1080 + JPEG 85, reshare 0.9x + JPEG 75)", 2, img -> {
            double s = Math.min(1.0, 1080.0 / Math.max(img.getWidth(), img.getHeight()));
            BufferedImage first = jpeg(s < 1 ? resize(img, s, s) : img, 85);
            return jpeg(resize(first, 0.9, 0.9), 75);
        }));
        if (external) {
            a.add(new Attack("WebP q50 (cwebp)", 2, img -> external(img, "webp50")));
            a.add(new Attack("H.264 CRF 28 (ffmpeg libx264, one frame)", 2, img -> external(img, "h264crf28")));
        }
        a.add(new Attack("strip: full width, 33% of the height", 0,
                img -> crop(img, 0, (int) (img.getHeight() * 0.33), img.getWidth(), (int) Math.round(img.getHeight() * 0.33))));
        a.add(new Attack("crop to 10% of the area (centre)", 0, img -> cropCentre(img, Math.sqrt(0.1), Math.sqrt(0.1))));
        a.add(new Attack("pasted at 0.5x into another photo", 0, img -> paste(img, host, 0.5)));
        a.add(new Attack("perspective 6% (keystone)", 0, img -> perspective(img, 0.06)));
        a.add(new Attack("estimation attack: fold at the documented period, subtract (gain 1)", 0,
                img -> estimationAttack(img, 1.0, Double.NaN)));
        for (int db : new int[] {45, 42, 40, 38, 35}) {
            a.add(new Attack("estimation attack: subtract the fold estimate to " + db + " dB", 0,
                    img -> estimationAttack(img, 0, db)));
        }
        return a;
    }

    /** The image scaled by {@code scale} and pasted at an off-centre position into a copy of {@code host}. */
    static BufferedImage paste(BufferedImage img, BufferedImage host, double scale) {
        BufferedImage small = resize(img, scale, scale);
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        if (host != null) {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(host, 0, 0, w, h, null);
        } else {
            g.setColor(new java.awt.Color(128, 128, 128));
            g.fillRect(0, 0, w, h);
        }
        g.drawImage(small, (int) (w * 0.3), (int) (h * 0.2), null);
        g.dispose();
        return out;
    }

    /**
     * Keystone perspective: the top edge pulled in by {@code f} of the width on each side, the rest of the frame
     * mid-grey (a photo of a screen or a print taken from below). Bilinear, same canvas size.
     */
    static BufferedImage perspective(BufferedImage img, double f) {
        int w = img.getWidth();
        int h = img.getHeight();
        // destination corners of the source corners (0,0) (w,0) (w,h) (0,h)
        double[] dst = {f * w, 0, w - f * w, 0, w, h, 0, h};
        double[] src = {0, 0, w, 0, w, h, 0, h};
        double[] hm = homography(dst, src); // maps output pixels to source pixels
        float[][] ch = planes(img);
        float[][] out = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = hm[6] * x + hm[7] * y + 1;
                double sx = (hm[0] * x + hm[1] * y + hm[2]) / d;
                double sy = (hm[3] * x + hm[4] * y + hm[5]) / d;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
                    for (int c = 0; c < 3; c++) {
                        out[c][y * w + x] = 128;
                    }
                    continue;
                }
                double fx = sx - x0;
                double fy = sy - y0;
                for (int c = 0; c < 3; c++) {
                    float[] p = ch[c];
                    double top = p[y0 * w + x0] + fx * (p[y0 * w + x0 + 1] - p[y0 * w + x0]);
                    double bot = p[(y0 + 1) * w + x0] + fx * (p[(y0 + 1) * w + x0 + 1] - p[(y0 + 1) * w + x0]);
                    out[c][y * w + x] = (float) (top + fy * (bot - top));
                }
            }
        }
        return fromPlanes(out, w, h);
    }

    /** The 3x3 homography (h33 = 1, as 8 values) taking the four points {@code from} to {@code to}. */
    private static double[] homography(double[] from, double[] to) {
        double[][] m = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double x = from[2 * i];
            double y = from[2 * i + 1];
            double u = to[2 * i];
            double v = to[2 * i + 1];
            m[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            m[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        for (int c = 0; c < 8; c++) { // Gauss-Jordan with partial pivoting
            int p = c;
            for (int r = c + 1; r < 8; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c]; m[c] = m[p]; m[p] = t;
            for (int r = 0; r < 8; r++) {
                if (r != c) {
                    double k = m[r][c] / m[c][c];
                    for (int j = c; j < 9; j++) {
                        m[r][j] -= k * m[c][j];
                    }
                }
            }
        }
        double[] hm = new double[8];
        for (int i = 0; i < 8; i++) {
            hm[i] = m[i][8] / m[i][i];
        }
        return hm;
    }

    /**
     * The single-image estimation attack (issue 17), as someone who has read docs/WATERMARK.md would run it: fold the
     * luma modulo the documented period {@code max(128, round(shorter side / 4))}, average, keep the documented band
     * (8 to 36 cycles per period, by a DFT of the folded tile) and subtract that estimate from every period of all
     * three channels. {@code gain} scales the subtraction; with {@code targetPsnr} given instead, the gain is chosen
     * so the attacked image is that many dB from the marked one (before rounding and clipping).
     */
    static BufferedImage estimationAttack(BufferedImage img, double gain, double targetPsnr) {
        int w = img.getWidth();
        int h = img.getHeight();
        int period = Math.max(128, Math.round(Math.min(w, h) * 128f / 512));
        int[] px = pixels(img);
        double[] sum = new double[period * period];
        int[] cnt = new int[period * period];
        for (int y = 0; y < h; y++) {
            int row = (y % period) * period;
            for (int x = 0; x < w; x++) {
                int c = px[y * w + x];
                double luma = 0.299 * ((c >> 16) & 0xff) + 0.587 * ((c >> 8) & 0xff) + 0.114 * (c & 0xff);
                sum[row + x % period] += luma;
                cnt[row + x % period]++;
            }
        }
        double[] re = new double[period * period];
        for (int i = 0; i < re.length; i++) {
            re[i] = cnt[i] == 0 ? 0 : sum[i] / cnt[i];
        }
        double[] est = bandPass(re, period, 8, 36);
        double ss = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double e = est[(y % period) * period + x % period];
                ss += e * e;
            }
        }
        double rms = Math.sqrt(ss / ((double) w * h));
        double g = Double.isNaN(targetPsnr) ? gain : rms == 0 ? 0 : 255 / Math.pow(10, targetPsnr / 20) / rms;
        int[] out = new int[px.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = -g * est[(y % period) * period + x % period];
                int c = px[y * w + x];
                out[y * w + x] = (clamp(((c >> 16) & 0xff) + d) << 16) | (clamp(((c >> 8) & 0xff) + d) << 8)
                        | clamp((c & 0xff) + d);
            }
        }
        return fromPixels(out, w, h);
    }

    /** Keeps the frequencies of radius [lo, hi] cycles per {@code n} of an n x n real array (direct separable DFT). */
    private static double[] bandPass(double[] a, int n, int lo, int hi) {
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int k = 0; k < n; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / n);
            sin[k] = Math.sin(2 * Math.PI * k / n);
        }
        double[] re = a.clone();
        double[] im = new double[n * n];
        dft(re, im, n, cos, sin, -1);
        for (int v = 0; v < n; v++) {
            int fy = v <= n / 2 ? v : v - n;
            for (int u = 0; u < n; u++) {
                int fx = u <= n / 2 ? u : u - n;
                double r = Math.sqrt(fx * fx + fy * fy);
                if (r < lo || r > hi) {
                    re[v * n + u] = 0;
                    im[v * n + u] = 0;
                }
            }
        }
        dft(re, im, n, cos, sin, 1);
        double[] out = new double[n * n];
        for (int i = 0; i < out.length; i++) {
            out[i] = re[i] / ((double) n * n);
        }
        return out;
    }

    /** In-place 2-D DFT by rows then columns, {@code sign} -1 forward, +1 inverse (unnormalised). */
    private static void dft(double[] re, double[] im, int n, double[] cos, double[] sin, int sign) {
        double[] tr = new double[n];
        double[] ti = new double[n];
        for (int pass = 0; pass < 2; pass++) {
            for (int line = 0; line < n; line++) {
                for (int k = 0; k < n; k++) {
                    double sr = 0;
                    double si = 0;
                    for (int j = 0, idx = 0; j < n; j++, idx += k) {
                        if (idx >= n) {
                            idx -= n;
                        }
                        int p = pass == 0 ? line * n + j : j * n + line;
                        double c = cos[idx];
                        double s = sign * sin[idx];
                        sr += re[p] * c - im[p] * s;
                        si += re[p] * s + im[p] * c;
                    }
                    tr[k] = sr;
                    ti[k] = si;
                }
                for (int k = 0; k < n; k++) {
                    int p = pass == 0 ? line * n + k : k * n + line;
                    re[p] = tr[k];
                    im[p] = ti[k];
                }
            }
        }
    }

    static BufferedImage mirror(BufferedImage img) {
        int w = img.getWidth();
        BufferedImage out = new BufferedImage(w, img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(w - 1 - x, y, img.getRGB(x, y));
            }
        }
        return out;
    }

    /** The image inside a mid-grey frame of {@code px} on every side (letterboxing, a poster or a screenshot's margin). */
    static BufferedImage border(BufferedImage img, int px) {
        BufferedImage out = new BufferedImage(img.getWidth() + 2 * px, img.getHeight() + 2 * px, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(new java.awt.Color(128, 128, 128));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(img, px, px, null);
        g.dispose();
        return out;
    }

    static BufferedImage toRgb(BufferedImage src) {
        return ImageAttacks.toRgb(src);
    }

    static BufferedImage copy(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        out.setRGB(0, 0, img.getWidth(), img.getHeight(), px, 0, img.getWidth());
        return out;
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    static BufferedImage fromPixels(int[] px, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, px, 0, w);
        return out;
    }

    /** ImageIO baseline JPEG; for 3-channel images its default sampling is 4:2:0 (the same attack the sdk's tests use). */
    static BufferedImage jpeg(BufferedImage img, int quality) {
        return ImageAttacks.jpeg(img, quality);
    }

    /** JPEG through a real external encoder: "magick75" (ImageMagick convert -quality 75) or "ffmpeg" (mjpeg q:v 5). */
    static BufferedImage external(BufferedImage img, String tool) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("aigcmark-attack");
            Path in = dir.resolve("in.png");
            Path out = dir.resolve("out.jpg");
            ImageIO.write(img, "png", in.toFile());
            Path decoded = out;
            List<String> cmd;
            List<String> back = null;
            switch (tool) {
                case "ffmpeg" -> cmd = List.of("ffmpeg", "-v", "error", "-y", "-i", in.toString(), "-pix_fmt", "yuvj420p",
                        "-q:v", "5", out.toString());
                case "webp50" -> {
                    Path webp = dir.resolve("out.webp");
                    decoded = dir.resolve("back.png");
                    cmd = List.of("cwebp", "-quiet", "-q", "50", in.toString(), "-o", webp.toString());
                    back = List.of("dwebp", "-quiet", webp.toString(), "-o", decoded.toString());
                }
                case "h264crf28" -> {
                    // one frame through libx264 (even dimensions for 4:2:0), decoded back to PNG
                    Path mp4 = dir.resolve("out.mp4");
                    decoded = dir.resolve("back.png");
                    cmd = List.of("ffmpeg", "-v", "error", "-y", "-i", in.toString(), "-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2",
                            "-c:v", "libx264", "-preset", "medium", "-crf", "28", "-pix_fmt", "yuv420p", mp4.toString());
                    back = List.of("ffmpeg", "-v", "error", "-y", "-i", mp4.toString(), "-frames:v", "1", decoded.toString());
                }
                default -> cmd = List.of("convert", in.toString(), "-quality", "75", "-sampling-factor", "4:2:0", out.toString());
            }
            run(cmd, tool);
            if (back != null) {
                run(back, tool);
            }
            return toRgb(ImageIO.read(decoded.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (dir != null) {
                try (var s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // temp files only
                }
            }
        }
    }

    private static void run(List<String> cmd, String tool) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        pr.getInputStream().readAllBytes();
        if (!pr.waitFor(120, TimeUnit.SECONDS) || pr.exitValue() != 0) {
            throw new IllegalStateException(tool + " failed");
        }
    }

    static boolean externalToolsAvailable() {
        for (String t : new String[] {"convert", "ffmpeg", "cwebp", "dwebp"}) {
            try {
                Process p = new ProcessBuilder(t, "-version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static BufferedImage crop(BufferedImage img, int x, int y, int w, int h) {
        return copy(img.getSubimage(x, y, w, h));
    }

    static BufferedImage cropCentre(BufferedImage img, double fx, double fy) {
        int w = (int) Math.round(img.getWidth() * fx);
        int h = (int) Math.round(img.getHeight() * fy);
        return crop(img, (img.getWidth() - w) / 2, (img.getHeight() - h) / 2, w, h);
    }

    /** Separable resize with a triangle filter widened by the downscale factor (antialiased). */
    static BufferedImage resize(BufferedImage img, double sx, double sy) {
        int w = img.getWidth();
        int h = img.getHeight();
        int nw = Math.max(1, (int) Math.round(w * sx));
        int nh = Math.max(1, (int) Math.round(h * sy));
        float[][] ch = planes(img);
        float[][] out = new float[3][];
        for (int c = 0; c < 3; c++) {
            float[] t = resample1d(ch[c], w, h, nw, true);
            out[c] = resample1d(t, nw, h, nh, false);
        }
        return fromPlanes(out, nw, nh);
    }

    private static float[] resample1d(float[] src, int w, int h, int n, boolean horizontal) {
        int len = horizontal ? w : h;
        int lines = horizontal ? h : w;
        double scale = (double) n / len;
        double support = scale < 1 ? 1 / scale : 1;
        float[] dst = new float[horizontal ? n * h : w * n];
        for (int i = 0; i < n; i++) {
            double centre = (i + 0.5) / scale - 0.5;
            int lo = (int) Math.floor(centre - support);
            int hi = (int) Math.ceil(centre + support);
            double[] wt = new double[hi - lo + 1];
            double sum = 0;
            for (int k = lo; k <= hi; k++) {
                double d = Math.abs(k - centre) / support;
                double v = d < 1 ? 1 - d : 0;
                wt[k - lo] = v;
                sum += v;
            }
            for (int l = 0; l < lines; l++) {
                double acc = 0;
                for (int k = lo; k <= hi; k++) {
                    double v = wt[k - lo];
                    if (v == 0) {
                        continue;
                    }
                    int kk = Math.max(0, Math.min(len - 1, k));
                    acc += v * (horizontal ? src[l * w + kk] : src[kk * w + l]);
                }
                float r = (float) (acc / sum);
                if (horizontal) {
                    dst[l * n + i] = r;
                } else {
                    dst[i * w + l] = r;
                }
            }
        }
        return dst;
    }

    /** Rotation about the centre, same canvas size, bilinear, reflected border (as in the peer measurements). */
    static BufferedImage rotate(BufferedImage img, double degrees) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[][] ch = planes(img);
        float[][] out = new float[3][w * h];
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - cx;
                double dy = y - cy;
                double sxp = cos * dx + sin * dy + cx;
                double syp = -sin * dx + cos * dy + cy;
                int x0 = (int) Math.floor(sxp);
                int y0 = (int) Math.floor(syp);
                double fx = sxp - x0;
                double fy = syp - y0;
                int xa = reflect(x0, w);
                int xb = reflect(x0 + 1, w);
                int ya = reflect(y0, h);
                int yb = reflect(y0 + 1, h);
                for (int c = 0; c < 3; c++) {
                    float[] p = ch[c];
                    double top = p[ya * w + xa] + fx * (p[ya * w + xb] - p[ya * w + xa]);
                    double bot = p[yb * w + xa] + fx * (p[yb * w + xb] - p[yb * w + xa]);
                    out[c][y * w + x] = (float) (top + fy * (bot - top));
                }
            }
        }
        return fromPlanes(out, w, h);
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * n - 2;
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }

    static BufferedImage noise(BufferedImage img, double sigma, long seed) {
        Random r = new Random(seed);
        int[] px = pixels(img);
        for (int i = 0; i < px.length; i++) {
            int c = px[i];
            int rr = clamp(((c >> 16) & 0xff) + r.nextGaussian() * sigma);
            int gg = clamp(((c >> 8) & 0xff) + r.nextGaussian() * sigma);
            int bb = clamp((c & 0xff) + r.nextGaussian() * sigma);
            px[i] = (rr << 16) | (gg << 8) | bb;
        }
        return fromPixels(px, img.getWidth(), img.getHeight());
    }

    /** v' = gain * v + offset, per channel, clipped. */
    static BufferedImage linear(BufferedImage img, double gain, double offset) {
        int[] px = pixels(img);
        for (int i = 0; i < px.length; i++) {
            int c = px[i];
            int rr = clamp(((c >> 16) & 0xff) * gain + offset);
            int gg = clamp(((c >> 8) & 0xff) * gain + offset);
            int bb = clamp((c & 0xff) * gain + offset);
            px[i] = (rr << 16) | (gg << 8) | bb;
        }
        return fromPixels(px, img.getWidth(), img.getHeight());
    }

    static BufferedImage blur(BufferedImage img, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double s = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            s += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= s;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        float[][] ch = planes(img);
        for (int c = 0; c < 3; c++) {
            float[] src = ch[c];
            float[] t = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * src[y * w + reflect(x + i, w)];
                    }
                    t[y * w + x] = (float) acc;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * t[reflect(y + i, h) * w + x];
                    }
                    src[y * w + x] = (float) acc;
                }
            }
        }
        return fromPlanes(ch, w, h);
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        return ImageAttacks.psnr(a, b);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static float[][] planes(BufferedImage img) {
        int[] px = pixels(img);
        float[][] p = new float[3][px.length];
        for (int i = 0; i < px.length; i++) {
            p[0][i] = (px[i] >> 16) & 0xff;
            p[1][i] = (px[i] >> 8) & 0xff;
            p[2][i] = px[i] & 0xff;
        }
        return p;
    }

    private static BufferedImage fromPlanes(float[][] p, int w, int h) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (clamp(p[0][i]) << 16) | (clamp(p[1][i]) << 8) | clamp(p[2][i]);
        }
        return fromPixels(px, w, h);
    }
}
