package org.aigcmark.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkPayload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The averaging (collusion / estimation) attack on the image watermark, measured: an attacker holding many marked
 * images of one size from one key averages their high-pass residuals, which cancels the image content and the
 * per-image payloads but keeps whatever pattern all marks share; the estimate is then subtracted from a marked image it
 * has not seen (removal) or added to an unmarked one (forgery). Leave-one-out over the photo set.
 */
@Command(name = "collusion", mixinStandardHelpOptions = true,
        description = "Measures the averaging attack on the image watermark (removal and forgery with a pattern"
                + " estimated from many marked images) and writes a markdown table.")
final class WatermarkCollusionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", defaultValue = "testdata/fixtures/photos", paramLabel = "DIR",
            description = "The folder of photos (*.jpg, *.png; default ${DEFAULT-VALUE}).")
    Path images;

    @Option(names = "--out", defaultValue = "docs/WATERMARK-COLLUSION.md", paramLabel = "FILE",
            description = "The Markdown output (default ${DEFAULT-VALUE}).")
    Path outFile;

    @Option(names = "--size", defaultValue = "1024x768", paramLabel = "WxH", converter = FrameSize.Converter.class,
            description = "Every photo is scaled and centre-cropped to this size (default ${DEFAULT-VALUE}).")
    FrameSize size;

    private static final double[] GAINS = {0.5, 1, 2, 4};

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        int w = size.width();
        int h = size.height();
        if (w < 256 || h < 256 || size.pixels() > 16_000_000L) {
            throw AigcmarkException.invalid("--size must be between 256x256 and 16 megapixels");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)")).sorted().toList();
        }
        if (files.size() < 4) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "need at least 4 photos in " + images);
        }
        int n = files.size();
        WatermarkKey key = WatermarkKey.fromPassphrase("aigcmark collusion benchmark key");
        ImageWatermarker wm = ImageWatermarker.create(key);
        float[][] origLuma = new float[n][];
        int[][] orig = new int[n][];
        int[][] marked = new int[n][];
        WatermarkPayload[] payloads = new WatermarkPayload[n];
        // what the attacker averages: high-pass residuals of the marked images (no originals needed), and, as an upper
        // bound, the exact marks (marked - original)
        float[] sumResidual = new float[w * h];
        float[] sumExact = new float[w * h];
        float[][] residual = new float[n][];
        float[][] exact = new float[n][];
        for (int i = 0; i < n; i++) {
            BufferedImage img = fill(WatermarkAttacks.toRgb(read(files.get(i))), w, h);
            orig[i] = WatermarkAttacks.pixels(img);
            payloads[i] = WatermarkPayload.fromLabel(key, "collusion-bench", files.get(i).getFileName().toString());
            marked[i] = orig[i].clone();
            wm.embedRgb(marked[i], w, h, payloads[i]);
            origLuma[i] = luma(orig[i]);
            float[] ml = luma(marked[i]);
            residual[i] = new float[w * h];
            exact[i] = new float[w * h];
            float[] smooth = blur(ml, w, h, 2);
            for (int p = 0; p < w * h; p++) {
                residual[i][p] = ml[p] - smooth[p];
                exact[i][p] = ml[p] - origLuma[i][p];
                sumResidual[p] += residual[i][p];
                sumExact[p] += exact[i][p];
            }
            out.printf("[%d/%d] %s%n", i + 1, n, files.get(i).getFileName());
            out.flush();
        }
        // per estimate kind and gain: removal successes (mark no longer found), forgeries (payload reported), mean z
        String[] kinds = {"high-pass residuals (no originals)", "exact marks (attacker also has the originals)"};
        StringBuilder rows = new StringBuilder();
        double[] markRms = new double[n];
        for (int i = 0; i < n; i++) {
            markRms[i] = rms(exact[i]);
        }
        for (int kind = 0; kind < 2; kind++) {
            float[] sum = kind == 0 ? sumResidual : sumExact;
            for (double gain : GAINS) {
                int removed = 0;
                int forged = 0;
                double zRemoved = 0;
                double zForged = 0;
                double psnrSum = 0;
                double corrSum = 0;
                for (int i = 0; i < n; i++) {
                    // leave-one-out estimate, scaled to the mark's own RMS times the gain
                    float[] est = new float[w * h];
                    float[] own = kind == 0 ? residual[i] : exact[i];
                    for (int p = 0; p < w * h; p++) {
                        est[p] = (sum[p] - own[p]) / (n - 1);
                    }
                    double scale = gain * markRms[i] / Math.max(1e-9, rms(est));
                    corrSum += correlation(est, exact[i]);
                    int[] attacked = addLuma(marked[i], est, -scale);
                    psnrSum += WatermarkAttacks.psnr(WatermarkAttacks.fromPixels(marked[i], w, h),
                            WatermarkAttacks.fromPixels(attacked, w, h));
                    WatermarkDetection d = wm.detectRgb(attacked, w, h);
                    zRemoved += d.score();
                    if (!(d.detected() && d.payload().get().equals(payloads[i]))) {
                        removed++;
                    }
                    WatermarkDetection f = wm.detectRgb(addLuma(orig[i], est, scale), w, h);
                    zForged += f.score();
                    if (f.detected()) {
                        forged++;
                    }
                }
                rows.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %d/%d | %.1f | %d/%d | %.1f |%n", kinds[kind],
                        gain, corrSum / n, psnrSum / n, removed, n, zRemoved / n, forged, n, zForged / n));
            }
        }
        String md = "# Image watermark: averaging attack (generated)\n\n"
                + "Generated by `aigcmark bench collusion` (see docs/WATERMARK.md, \"Collusion\"). " + n + " photos from `"
                + images.toString().replace(java.io.File.separatorChar, '/') + "`, each scaled and centre-cropped to " + w
                + "x" + h + " and marked with its own payload under one key. For each photo the attacker averages the other "
                + (n - 1) + " marked photos' high-pass residuals (luma minus a 5x5 box blur; or, as an upper bound, their"
                + " exact marks), scales the estimate to gain x the mark's own RMS, subtracts it from this marked photo"
                + " (removal) and adds it to this photo unmarked (forgery), then reads both with the key. Correlation ="
                + " mean correlation of the estimate with this photo's true mark; PSNR = attacked vs marked.\n\n"
                + "| estimate from | gain | correlation with the true mark | PSNR dB | removed | mean z after removal"
                + " | forged payloads | mean z of forgery |\n|---|---|---|---|---|---|---|---|\n" + rows;
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        AtomicFiles.write(outFile, md.getBytes(StandardCharsets.UTF_8));
        out.println(md);
        out.println("wrote " + outFile);
        return 0;
    }

    private static BufferedImage read(Path f) throws IOException {
        BufferedImage img = ImageIO.read(f.toFile());
        if (img == null) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, f + " is not a readable image");
        }
        return img;
    }

    /** Scales to cover w x h, then crops the centre. */
    private static BufferedImage fill(BufferedImage img, int w, int h) {
        double f = Math.max((double) w / img.getWidth(), (double) h / img.getHeight());
        BufferedImage r = WatermarkAttacks.resize(img, f, f);
        return WatermarkAttacks.crop(r, (r.getWidth() - w) / 2, (r.getHeight() - h) / 2, w, h);
    }

    private static float[] luma(int[] px) {
        float[] l = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            l[i] = 0.299f * ((p >> 16) & 255) + 0.587f * ((p >> 8) & 255) + 0.114f * (p & 255);
        }
        return l;
    }

    /** Adds {@code scale * d} to R, G and B (the mark lives in luma), rounded and clamped. */
    private static int[] addLuma(int[] px, float[] d, double scale) {
        int[] out = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            double v = scale * d[i];
            int r = clamp(((p >> 16) & 255) + v);
            int g = clamp(((p >> 8) & 255) + v);
            int b = clamp((p & 255) + v);
            out[i] = (p & 0xff000000) | (r << 16) | (g << 8) | b;
        }
        return out;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static double rms(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v * v;
        }
        return Math.sqrt(s / a.length);
    }

    private static double correlation(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(Math.max(1e-12, aa * bb));
    }

    /** Box blur of radius r (separable, edges clamped). */
    private static float[] blur(float[] src, int w, int h, int r) {
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = -r; k <= r; k++) {
                    s += src[y * w + Math.max(0, Math.min(w - 1, x + k))];
                }
                tmp[y * w + x] = s / (2 * r + 1);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = -r; k <= r; k++) {
                    s += tmp[Math.max(0, Math.min(h - 1, y + k)) * w + x];
                }
                out[y * w + x] = s / (2 * r + 1);
            }
        }
        return out;
    }
}
