package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.aigcmark.testdata.Fixtures;

/** Images and simple attacks for the watermark tests. */
final class TestImages {
    private TestImages() {}

    /** Real photos from testdata/fixtures/photos (skips the test when the corpus is not there). */
    static List<Path> photos() {
        String prop = System.getProperty("aigcmark.testdata");
        assumeTrue(prop != null && Files.isDirectory(Path.of(prop, "fixtures", "photos")), "testdata/fixtures/photos not present");
        Path dir = Fixtures.root().resolve("fixtures").resolve("photos");
        assumeTrue(Files.isDirectory(dir), "testdata/fixtures/photos not present");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            assumeTrue(l.size() >= 2, "fewer than 2 photos in testdata/fixtures/photos");
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A photo downscaled to about 1280 px wide (keeps unit tests fast on 2 cores). */
    static BufferedImage photo(Path p) {
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            double f = 1280.0 / img.getWidth();
            return f < 1 ? resize(img, (int) Math.round(img.getWidth() * f), (int) Math.round(img.getHeight() * f)) : rgb(img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deterministic photo-like image: smooth gradients, soft blobs, a textured region and fine noise. */
    static BufferedImage synthetic(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double[][] blobs = new double[12][];
        for (int i = 0; i < blobs.length; i++) {
            blobs[i] = new double[] {r.nextDouble() * w, r.nextDouble() * h, 20 + r.nextDouble() * w / 4,
                    r.nextDouble() * 120 - 60};
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 60 + 110.0 * y / h + 30.0 * x / w;
                for (double[] b : blobs) {
                    double dx = x - b[0];
                    double dy = y - b[1];
                    v += b[3] * Math.exp(-(dx * dx + dy * dy) / (2 * b[2] * b[2]));
                }
                if (x > w / 2 && y > h / 2) {
                    v += 18 * Math.sin(x * 0.7 + Math.sin(y * 0.3) * 3) * Math.cos(y * 0.45);
                }
                v += r.nextGaussian() * 2;
                int g = clamp(v);
                int rr = clamp(v * 1.05 + 8);
                int bb = clamp(v * 0.9);
                img.setRGB(x, y, (rr << 16) | (g << 8) | bb);
            }
        }
        return img;
    }

    static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** A TYPE_INT_RGB copy; grey images by their samples (see {@link org.aigcmark.testdata.ImageAttacks#copyRgb}). */
    static BufferedImage rgb(BufferedImage src) {
        return org.aigcmark.testdata.ImageAttacks.copyRgb(src);
    }

    static BufferedImage copy(BufferedImage src) {
        return rgb(src);
    }

    static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage cur = rgb(src);
        // halve in steps first so bilinear does not alias on big downscales
        while (cur.getWidth() / 2 >= w && cur.getHeight() / 2 >= h) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return draw(cur, w, h);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Rotation about the centre by {@code degrees} (Java2D, bilinear), same size; the uncovered corners stay black. */
    static BufferedImage rotate(BufferedImage src, double degrees) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.rotate(Math.toRadians(degrees), src.getWidth() / 2.0, src.getHeight() / 2.0);
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    static BufferedImage crop(BufferedImage src, int x, int y, int w, int h) {
        return rgb(src.getSubimage(x, y, w, h));
    }

    static BufferedImage jpeg(BufferedImage img, int quality) {
        return org.aigcmark.testdata.ImageAttacks.jpeg(img, quality);
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        return org.aigcmark.testdata.ImageAttacks.psnr(a, b);
    }
}
