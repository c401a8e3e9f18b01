package org.aigcmark.watermark;

import static org.aigcmark.watermark.KeyedTile.WORK;

/**
 * The detector's working image: luma binned and bilinearly resampled so the shorter side is {@value KeyedTile#WORK} px
 * (long side capped at {@value #MAX_WORK_LONG}, centred), where one repetition period of an untouched image is one
 * tile.
 */
final class WorkingImage {
    private static final int MAX_WORK_LONG = 1024;

    final float[] img;
    final int w;
    final int h;
    /** working px per original px */
    final double scale;

    private WorkingImage(float[] img, int w, int h, double scale) {
        this.img = img;
        this.w = w;
        this.h = h;
        this.scale = scale;
    }

    static WorkingImage build(int W, int H, WatermarkExtractor.LumaRows rows, float[] rowBuf) {
        int shortSide = Math.min(W, H);
        double s = (double) WORK / shortSide;
        int f = Math.max(1, shortSide / WORK);
        int bw = W / f;
        int bh = H / f;
        float[] binned = new float[bw * bh];
        float inv = 1f / (f * f);
        for (int by = 0; by < bh; by++) {
            int o = by * bw;
            for (int dy = 0; dy < f; dy++) {
                rows.row(by * f + dy, rowBuf);
                for (int bx = 0, x = 0; bx < bw; bx++) {
                    float sum = 0;
                    for (int dx = 0; dx < f; dx++, x++) {
                        sum += rowBuf[x];
                    }
                    binned[o + bx] += sum;
                }
            }
            for (int bx = 0; bx < bw; bx++) {
                binned[o + bx] *= inv;
            }
        }
        // bilinear from binned to working (working px -> binned px: divide by s*f)
        double sb = s * f;
        int fullW = (int) Math.round(W * s);
        int fullH = (int) Math.round(H * s);
        int ww = Math.min(fullW, MAX_WORK_LONG);
        int wh = Math.min(fullH, MAX_WORK_LONG);
        int ox = (fullW - ww) / 2;
        int oy = (fullH - wh) / 2;
        float[] out = new float[ww * wh];
        int[] x0 = new int[ww];
        float[] fx = new float[ww];
        for (int x = 0; x < ww; x++) {
            double bxp = (x + ox + 0.5) / sb - 0.5;
            int i = (int) Math.floor(bxp);
            double fr = bxp - i;
            if (i < 0) {
                i = 0;
                fr = 0;
            }
            if (i >= bw - 1) {
                i = bw - 2;
                fr = 1;
            }
            x0[x] = i;
            fx[x] = (float) fr;
        }
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
            int r0 = j * bw;
            int r1 = r0 + bw;
            int o = y * ww;
            for (int x = 0; x < ww; x++) {
                int i = x0[x];
                float a = binned[r0 + i] + fx[x] * (binned[r0 + i + 1] - binned[r0 + i]);
                float b = binned[r1 + i] + fx[x] * (binned[r1 + i + 1] - binned[r1 + i]);
                out[o + x] = a + fy * (b - a);
            }
        }
        return new WorkingImage(out, ww, wh, s);
    }

    /** Local-mean removal (9x9) and local-activity normalisation (15x15), clipped: weights for correlation. */
    float[] whitened() {
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

    /** Separable box blur with edge clamping, radius r (window 2r+1). */
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
