package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The full search (the screening default) on the geometric rows it lost before issue 17's geometry work
 * (docs/WATERMARK.md, "Strips, small crops and keystones in the full search"): a full-width strip of a third of the
 * height and a crop to a tenth of the area, whose period is past the comb's range ({@link LatticeMultiples}), and a
 * keystone of 6 % ({@link PerspectiveHypotheses}); the same attacks on the unmarked photo find nothing.
 */
class FullSearchGeometryTest {
    // the robustness bench's key and payloads (its table lost these in FULL before)
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("aigcmark robustness benchmark key");
    private static final ImageWatermarker FULL = ImageWatermarker.create(KEY);

    private record Photo(BufferedImage orig, BufferedImage marked, WatermarkPayload payload) {}

    private static Photo mark(String name) throws IOException {
        BufferedImage orig = TestImages.rgb(ImageIO.read(Fixtures.path("photos/" + name).toFile()));
        BufferedImage marked = TestImages.copy(orig);
        WatermarkPayload payload = WatermarkPayload.fromLabel(KEY, "robustness-bench", name);
        FULL.embed(marked, payload);
        return new Photo(orig, marked, payload);
    }

    private static void assertFound(BufferedImage attacked, WatermarkPayload payload, String what) {
        WatermarkDetection d = FULL.detect(attacked);
        assertTrue(d.detected(), what + ": not detected, score " + d.score() + ", " + d.note());
        assertEquals(payload, d.payload().orElseThrow(), what);
        assertTrue(d.falsePositiveProbability() < 1e-9, what + ": false-positive probability " + d.falsePositiveProbability());
    }

    @Test
    void aStripOfAThirdOfTheHeightIsFound() throws IOException {
        // 2560 x 568: the period (426 px) is 3.2x the one the strip implies, past the comb's x2.7
        Photo p = mark("16-autumn-hills.jpg");
        int h = p.orig().getHeight() / 3;
        assertFound(TestImages.crop(p.marked(), 0, h, p.marked().getWidth(), h), p.payload(), "strip, a third of the height");
        assertFalse(FULL.detect(TestImages.crop(p.orig(), 0, h, p.orig().getWidth(), h)).detected(), "the unmarked strip");
    }

    @Test
    void aCropOfATenthOfTheAreaAndAKeystoneAreFound() throws IOException {
        Photo p = mark("22-red-flower-garden.jpg");
        int w = (int) (p.orig().getWidth() * Math.sqrt(0.1));
        int h = (int) (p.orig().getHeight() * Math.sqrt(0.1));
        int x = (p.orig().getWidth() - w) / 2;
        int y = (p.orig().getHeight() - h) / 2;
        assertFound(TestImages.crop(p.marked(), x, y, w, h), p.payload(), "crop to 10 % of the area");
        assertFalse(FULL.detect(TestImages.crop(p.orig(), x, y, w, h)).detected(), "the unmarked crop");
        assertFound(keystone(p.marked(), 0.06), p.payload(), "keystone 6 %");
        assertFalse(FULL.detect(keystone(p.orig(), 0.06)).detected(), "the unmarked keystone");
    }

    /**
     * The top edge pulled in by {@code f} of the width on each side (a photo of a print taken from below), the rest of
     * the frame mid-grey, bilinear: the robustness bench's keystone, written out again for the sdk's tests.
     */
    static BufferedImage keystone(BufferedImage img, double f) {
        int w = img.getWidth();
        int h = img.getHeight();
        double[] hm = homography(new double[] {f * w, 0, w - f * w, 0, w, h, 0, h}, new double[] {0, 0, w, 0, w, h, 0, h});
        int[] src = img.getRGB(0, 0, w, h, null, 0, w);
        int[] out = new int[w * h];
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                double d = hm[6] * xx + hm[7] * yy + 1;
                double sx = (hm[0] * xx + hm[1] * yy + hm[2]) / d;
                double sy = (hm[3] * xx + hm[4] * yy + hm[5]) / d;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
                    out[yy * w + xx] = 0xff808080;
                    continue;
                }
                double fx = sx - x0;
                double fy = sy - y0;
                int rgb = 0xff000000;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    int a = src[y0 * w + x0] >> shift & 0xff;
                    int b = src[y0 * w + x0 + 1] >> shift & 0xff;
                    int c = src[(y0 + 1) * w + x0] >> shift & 0xff;
                    int e = src[(y0 + 1) * w + x0 + 1] >> shift & 0xff;
                    double top = a + fx * (b - a);
                    double bot = c + fx * (e - c);
                    rgb |= TestImages.clamp(top + fy * (bot - top)) << shift;
                }
                out[yy * w + xx] = rgb;
            }
        }
        BufferedImage res = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        res.setRGB(0, 0, w, h, out, 0, w);
        return res;
    }

    /** The 3x3 homography (h33 = 1, as 8 values) taking the four points {@code from} to {@code to}. */
    private static double[] homography(double[] from, double[] to) {
        double[][] m = new double[8][];
        for (int i = 0; i < 4; i++) {
            double x = from[2 * i];
            double y = from[2 * i + 1];
            double u = to[2 * i];
            double v = to[2 * i + 1];
            m[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            m[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        for (int c = 0; c < 8; c++) { // Gauss-Jordan, partial pivoting
            int p = c;
            for (int r = c + 1; r < 8; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
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
}
