package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The working image and its whitening are written for speed (2x2 binning in one loop, four rows' running sums side by
 * side, column passes fused with their use on row buffers): they must give the floats of the plain computation, bit for
 * bit, so the detector's scores and decisions do not move.
 */
class WorkingImageTest {
    @Test
    void buildAndWhiteningEqualThePlainComputation() {
        Random rnd = new Random(5);
        // 2x2 binning (1080p), no binning, 3x3 binning; heights that are and are not multiples of 4
        for (int[] size : new int[][] {{1920, 1080}, {700, 515}, {1600, 1538}, {515, 2000}}) {
            int w = size[0];
            int h = size[1];
            float[] luma = new float[w * h];
            for (int i = 0; i < luma.length; i++) {
                // smooth structure plus noise, so the whitening's clipping and its divisions both matter
                luma[i] = (float) (128 + 60 * Math.sin(i % w / 37.0) * Math.cos(i / w / 23.0) + 20 * rnd.nextGaussian());
            }
            WorkingImage wk = WorkingImage.build(w, h, (y, out) -> System.arraycopy(luma, y * w, out, 0, w), new float[w]);
            float[] plain = plainWorking(luma, w, h);
            assertArrayEquals(plain, wk.img, "working image " + w + "x" + h);
            float[] expected = plainWhitened(plain, wk.w, wk.h);
            float[] white = wk.whitened();
            assertEquals(expected.length, white.length);
            for (int i = 0; i < white.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(white[i]), "whitened at " + i + ", " + w + "x" + h);
            }
        }
    }

    /** WorkingImage.build as first written: general binning, then bilinear resampling (long side capped at 1024). */
    private static float[] plainWorking(float[] luma, int W, int H) {
        int shortSide = Math.min(W, H);
        double s = (double) KeyedTile.WORK / shortSide;
        int f = Math.max(1, shortSide / KeyedTile.WORK);
        int bw = W / f;
        int bh = H / f;
        float[] binned = new float[bw * bh];
        float inv = 1f / (f * f);
        for (int by = 0; by < bh; by++) {
            for (int dy = 0; dy < f; dy++) {
                int row = (by * f + dy) * W;
                for (int bx = 0, x = 0; bx < bw; bx++) {
                    float sum = 0;
                    for (int dx = 0; dx < f; dx++, x++) {
                        sum += luma[row + x];
                    }
                    binned[by * bw + bx] += sum;
                }
            }
            for (int bx = 0; bx < bw; bx++) {
                binned[by * bw + bx] *= inv;
            }
        }
        double sb = s * f;
        int fullW = (int) Math.round(W * s);
        int fullH = (int) Math.round(H * s);
        int ww = Math.min(fullW, 1024);
        int wh = Math.min(fullH, 1024);
        int ox = (fullW - ww) / 2;
        int oy = (fullH - wh) / 2;
        float[] out = new float[ww * wh];
        for (int y = 0; y < wh; y++) {
            double byp = (y + oy + 0.5) / sb - 0.5;
            int j = (int) Math.floor(byp);
            float fy = (float) (byp - j);
            if (j < 0) {
                j = 0;
                fy = 0;
            }
            if (j >= bh - 1) {
                j = bh - 2;
                fy = 1;
            }
            for (int x = 0; x < ww; x++) {
                double bxp = (x + ox + 0.5) / sb - 0.5;
                int i = (int) Math.floor(bxp);
                float fx = (float) (bxp - i);
                if (i < 0) {
                    i = 0;
                    fx = 0;
                }
                if (i >= bw - 1) {
                    i = bw - 2;
                    fx = 1;
                }
                float a = binned[j * bw + i] + fx * (binned[j * bw + i + 1] - binned[j * bw + i]);
                float b = binned[(j + 1) * bw + i] + fx * (binned[(j + 1) * bw + i + 1] - binned[(j + 1) * bw + i]);
                out[y * ww + x] = a + fy * (b - a);
            }
        }
        return out;
    }

    /** The whitening as first written: two stored box blurs and element-wise steps. */
    private static float[] plainWhitened(float[] img, int w, int h) {
        float[] mean = boxBlur(img, w, h, 4);
        float[] d = new float[img.length];
        float[] ad = new float[img.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = img[i] - mean[i];
            ad[i] = Math.abs(d[i]);
        }
        float[] act = boxBlur(ad, w, h, 7);
        for (int i = 0; i < d.length; i++) {
            float v = d[i] / (act[i] + 1.0f);
            d[i] = Math.max(-3f, Math.min(3f, v));
        }
        return d;
    }

    private static float[] boxBlur(float[] src, int w, int h, int r) {
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        float inv = 1f / (2 * r + 1);
        for (int y = 0; y < h; y++) {
            int o = y * w;
            float sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += src[o + clamp(k, w)];
            }
            for (int x = 0; x < w; x++) {
                tmp[o + x] = sum * inv;
                sum += src[o + clamp(x + r + 1, w)] - src[o + clamp(x - r, w)];
            }
        }
        float[] col = new float[w];
        for (int k = -r; k <= r; k++) {
            int yy = clamp(k, h) * w;
            for (int x = 0; x < w; x++) {
                col[x] += tmp[yy + x];
            }
        }
        for (int y = 0; y < h; y++) {
            int o = y * w;
            int add = clamp(y + r + 1, h) * w;
            int sub = clamp(y - r, h) * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = col[x] * inv;
                col[x] += tmp[add + x] - tmp[sub + x];
            }
        }
        return out;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
