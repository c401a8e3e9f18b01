package org.aigcmark.detection.forensic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class UpsamplingPeaksTest {
    private static final boolean VERBOSE = System.getenv("AIGCMARK_VERBOSE") != null;
    static BufferedImage resize(BufferedImage src, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** The direct read of the JPEG reader's BGR raster gives getRGB's luma exactly, for an off-centre crop too. */
    @Test
    void directRasterLumaEqualsGetRgbLuma() throws IOException {
        BufferedImage img = ImageIO.read(Fixtures.path("photos/02-sky-kite.jpg").toFile());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, img.getType());
        int x0 = 37;
        int y0 = 11;
        int cw = 500;
        int ch = 301;
        int[] rgb = img.getRGB(x0, y0, cw, ch, null, 0, cw);
        float[] want = new float[cw * ch];
        for (int i = 0; i < want.length; i++) {
            int p = rgb[i];
            want[i] = 0.299f * ((p >> 16) & 255) + 0.587f * ((p >> 8) & 255) + 0.114f * (p & 255);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, UpsamplingPeaks.luma(img, x0, y0, cw, ch));
    }

    @Test
    void quietOnTheRealPhotosAndLoudOnUpsampledCropsOfThem() throws IOException {
        List<String> loudReal = new ArrayList<>();
        List<String> quietUpsampled = new ArrayList<>();
        double maxReal = 0;
        double minUpsampled = Double.MAX_VALUE;
        int n = 0;
        for (Path p : Fixtures.list("photos")) {
            BufferedImage photo = ImageIO.read(p.toFile());
            UpsamplingPeaks.Result real = UpsamplingPeaks.measure(photo);
            if (VERBOSE) System.out.println(p.getFileName() + " real " + real);
            maxReal = Math.max(maxReal, real.score());
            if (real.score() >= UpsamplingPeaks.DEFAULT_THRESHOLD) {
                loudReal.add(p.getFileName() + " " + real);
            }
            // A 384-pixel crop upsampled 2x (bilinear) and 1.5x (bicubic), as a generator's decoder or upscaler would.
            BufferedImage crop = photo.getSubimage((photo.getWidth() - 384) / 2, (photo.getHeight() - 384) / 2, 384, 384);
            for (Object[] up : new Object[][] {{2.0, RenderingHints.VALUE_INTERPOLATION_BILINEAR}, {1.5, RenderingHints.VALUE_INTERPOLATION_BICUBIC}}) {
                int side = (int) (384 * (Double) up[0]);
                UpsamplingPeaks.Result r = UpsamplingPeaks.measure(resize(crop, side, side, up[1]));
                minUpsampled = Math.min(minUpsampled, r.score());
                if (VERBOSE) System.out.println("   x" + up[0] + " " + r);
                if (r.score() < UpsamplingPeaks.DEFAULT_THRESHOLD) {
                    quietUpsampled.add(p.getFileName() + " x" + up[0] + " " + r);
                }
            }
            n++;
        }
        System.out.printf(Locale.ROOT, "upsampling peaks over %d real photos: max %.1f; over their upsampled crops: min %.1f; threshold %.1f%n",
                n, maxReal, minUpsampled, UpsamplingPeaks.DEFAULT_THRESHOLD);
        assertEquals(33, n);
        assertTrue(loudReal.isEmpty(), "real photos over the threshold: " + loudReal);
        // Found on at least 85% of the 66 upsampled crops (2x bilinear is the hard case: every pixel is a 3:1 mix).
        assertTrue(quietUpsampled.size() <= 66 * 15 / 100, quietUpsampled.size() + " upsampled crops under the threshold: " + quietUpsampled);
        System.out.println("upsampled crops under the threshold: " + quietUpsampled.size() + " of 66");
    }

    @Test
    void checkIsQuietOnARealPhotoAndWeakOnAnUpscaledOne() throws IOException {
        BufferedImage photo = ImageIO.read(Fixtures.path("photos/19-fig-red-bowl.jpg").toFile());
        ForensicSignalCheck check = ForensicSignalCheck.standard();
        assertTrue(check.check(photo, new ArrayList<>()).isEmpty());
        BufferedImage crop = photo.getSubimage(1000, 600, 300, 300);
        List<org.aigcmark.detection.Evidence> ev = check.check(resize(crop, 450, 450, RenderingHints.VALUE_INTERPOLATION_BICUBIC), new ArrayList<>());
        assertEquals(1, ev.size());
        assertEquals(org.aigcmark.detection.Evidence.Strength.WEAK, ev.get(0).strength());
        assertTrue((Double) ev.get(0).details().get("score") >= UpsamplingPeaks.DEFAULT_THRESHOLD);
        assertTrue(check.check(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), new ArrayList<>()).isEmpty(), "too small to say");
    }
}
