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
        return build(W, H, rows, rowBuf, WORK, MAX_WORK_LONG);
    }

    /**
     * As {@link #build(int, int, WatermarkExtractor.LumaRows, float[])} with another shorter side and long-side cap
     * ({@link GeometricSearch} reads small crops at a third of the resolution).
     */
    static WorkingImage build(int W, int H, WatermarkExtractor.LumaRows rows, float[] rowBuf, int work, int maxLong) {
        int shortSide = Math.min(W, H);
        double s = (double) work / shortSide;
        int f = Math.max(1, shortSide / work);
        int bw = W / f;
        int bh = H / f;
        float inv = 1f / (f * f);
        float[] sums = f == 2 ? null : new float[bw];
        // the binned image is never stored: each binned row is made when the resampling first needs it (rows come in
        // order, each once) and interpolated across at once (a 2 MB array written and read again at 1080p)
        float[] binned = new float[bw];
        // bilinear from binned to working (working px -> binned px: divide by s*f)
        double sb = s * f;
        int fullW = (int) Math.round(W * s);
        int fullH = (int) Math.round(H * s);
        int ww = Math.min(fullW, maxLong);
        int wh = Math.min(fullH, maxLong);
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
        // each binned row is interpolated across once into a row buffer and kept while the next output row needs it
        // (s * f is near 1, so each is read by about two output rows): the same floats as interpolating both rows for
        // every output row, and the vertical step becomes a loop the JIT vectorises
        float[] top = new float[ww];
        float[] bottom = new float[ww];
        int topRow = -1;
        int bottomRow = -1;
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
            if (topRow != j) {
                if (bottomRow == j) {
                    float[] t = top;
                    top = bottom;
                    bottom = t;
                    bottomRow = topRow;
                } else {
                    binRow(j, f, rows, rowBuf, sums, inv, binned);
                    across(binned, 0, x0, fx, top, ww);
                }
                topRow = j;
            }
            if (bottomRow != j + 1) {
                binRow(j + 1, f, rows, rowBuf, sums, inv, binned);
                across(binned, 0, x0, fx, bottom, ww);
                bottomRow = j + 1;
            }
            int o = y * ww;
            for (int x = 0; x < ww; x++) {
                float a = top[x];
                out[o + x] = a + fy * (bottom[x] - a);
            }
        }
        return new WorkingImage(out, ww, wh, s);
    }

    /** Binned row {@code by} (the mean of each f x f block of luma rows by * f ..) into {@code binned}. */
    private static void binRow(int by, int f, WatermarkExtractor.LumaRows rows, float[] rowBuf, float[] sums, float inv,
            float[] binned) {
        int bw = binned.length;
        java.util.Arrays.fill(binned, 0f);
        for (int dy = 0; dy < f; dy++) {
            rows.row(by * f + dy, rowBuf);
            if (f == 2) {
                // the usual case (1080p to 1440p): the general loop's sums, (0 + a) + b = a + b, in a loop the JIT
                // vectorises
                for (int bx = 0; bx < bw; bx++) {
                    binned[bx] += rowBuf[2 * bx] + rowBuf[2 * bx + 1];
                }
                continue;
            }
            // each bin's sum over its f pixels, ((0 + p0) + p1) + ..., built a pixel column at a time across the
            // row: the same additions in the same order as one bin at a time, but the bins' chains run side by side
            // (one bin's chain of f dependent additions at a time was most of a 4K image's working image)
            java.util.Arrays.fill(sums, 0f);
            for (int dx = 0; dx < f; dx++) {
                for (int bx = 0, x = dx; bx < bw; bx++, x += f) {
                    sums[bx] += rowBuf[x];
                }
            }
            for (int bx = 0; bx < bw; bx++) {
                binned[bx] += sums[bx];
            }
        }
        for (int bx = 0; bx < bw; bx++) {
            binned[bx] *= inv;
        }
    }

    /** Binned row starting at {@code r}, interpolated across to the working image's {@code ww} columns. */
    private static void across(float[] binned, int r, int[] x0, float[] fx, float[] out, int ww) {
        for (int x = 0; x < ww; x++) {
            int i = r + x0[x];
            out[x] = binned[i] + fx[x] * (binned[i + 1] - binned[i]);
        }
    }

    /** Local-mean removal (9x9) and local-activity normalisation (15x15), clipped: weights for correlation. */
    float[] whitened() {
        // two separable box blurs (edge clamping), each column pass fused with the step that uses the blur, so no blurred
        // image is stored: d = img - mean9x9, then d / (mean15x15(|d|) + 1) clipped to +-3. The fused loops read and
        // write row buffers at one index (the JIT vectorises only such loops: it cannot tell the big arrays apart)
        float[] rowMeans = new float[img.length];
        float[] d = new float[img.length];
        float[] add = new float[w];
        float[] sub = new float[w];
        float[] in = new float[w];
        float[] out = new float[w];
        boxRows(img, rowMeans, w, h, 4, false);
        float inv = 1f / 9;
        float[] col = columnStart(rowMeans, w, h, 4);
        for (int y = 0; y < h; y++) {
            System.arraycopy(rowMeans, clamp(y + 5, h) * w, add, 0, w);
            System.arraycopy(rowMeans, clamp(y - 4, h) * w, sub, 0, w);
            System.arraycopy(img, y * w, in, 0, w);
            for (int x = 0; x < w; x++) {
                float mean = col[x] * inv;
                col[x] += add[x] - sub[x];
                out[x] = in[x] - mean;
            }
            System.arraycopy(out, 0, d, y * w, w);
        }
        boxRows(d, rowMeans, w, h, 7, true);
        inv = 1f / 15;
        col = columnStart(rowMeans, w, h, 7);
        for (int y = 0; y < h; y++) {
            System.arraycopy(rowMeans, clamp(y + 8, h) * w, add, 0, w);
            System.arraycopy(rowMeans, clamp(y - 7, h) * w, sub, 0, w);
            System.arraycopy(d, y * w, in, 0, w);
            for (int x = 0; x < w; x++) {
                float act = col[x] * inv;
                col[x] += add[x] - sub[x];
                float v = in[x] / (act + 1.0f);
                out[x] = Math.max(-3f, Math.min(3f, v));
            }
            System.arraycopy(out, 0, d, y * w, w);
        }
        return d;
    }

    /**
     * The horizontal pass of a box blur of radius r (window 2r+1), edges clamped: row means into {@code out}; of the
     * absolute values when asked.
     */
    private static void boxRows(float[] src, float[] out, int w, int h, int r, boolean abs) {
        float inv = 1f / (2 * r + 1);
        int y = 0;
        // a running sum is one long chain of dependent additions: four rows side by side keep the core busy (each
        // row's sums are the same operations in the same order as one row at a time)
        for (; y + 4 <= h; y += 4) {
            int o0 = y * w;
            int o1 = o0 + w;
            int o2 = o1 + w;
            int o3 = o2 + w;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int k = -r; k <= r; k++) {
                int c = clamp(k, w);
                s0 += at(src, o0 + c, abs);
                s1 += at(src, o1 + c, abs);
                s2 += at(src, o2 + c, abs);
                s3 += at(src, o3 + c, abs);
            }
            for (int x = 0; x < w; x++) {
                out[o0 + x] = s0 * inv;
                out[o1 + x] = s1 * inv;
                out[o2 + x] = s2 * inv;
                out[o3 + x] = s3 * inv;
                int add = clamp(x + r + 1, w);
                int sub = clamp(x - r, w);
                s0 += at(src, o0 + add, abs) - at(src, o0 + sub, abs);
                s1 += at(src, o1 + add, abs) - at(src, o1 + sub, abs);
                s2 += at(src, o2 + add, abs) - at(src, o2 + sub, abs);
                s3 += at(src, o3 + add, abs) - at(src, o3 + sub, abs);
            }
        }
        for (; y < h; y++) {
            int o = y * w;
            float sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += at(src, o + clamp(k, w), abs);
            }
            for (int x = 0; x < w; x++) {
                out[o + x] = sum * inv;
                sum += at(src, o + clamp(x + r + 1, w), abs) - at(src, o + clamp(x - r, w), abs);
            }
        }
    }

    private static float at(float[] v, int i, boolean abs) {
        return abs ? Math.abs(v[i]) : v[i];
    }

    /** The vertical pass's running column sums for row 0 (rows -r..r, edges clamped). */
    private static float[] columnStart(float[] rowMeans, int w, int h, int r) {
        float[] col = new float[w];
        for (int k = -r; k <= r; k++) {
            int yy = clamp(k, h) * w;
            for (int x = 0; x < w; x++) {
                col[x] += rowMeans[yy + x];
            }
        }
        return col;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
