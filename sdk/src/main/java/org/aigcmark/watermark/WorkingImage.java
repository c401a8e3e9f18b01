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
        // write row buffers at one index (the JIT vectorises only such loops: it cannot tell the big arrays apart).
        // Both passes run in one sweep down the image (Whitening): each pass's row means are made when its column
        // pass first needs them and kept in a ring of rows that stays in the cache, not in a whole-image array
        // (1.8 MB at 1080p, written and read back by each pass); every value is the same operations as pass by pass
        return new Whitening(img, w, h).run();
    }

    /** The state of {@link #whitened()}'s sweep: how far each step has got, and its rings of row means. */
    private static final class Whitening {
        /** rows in each ring: a power of two above the window plus a group of four rows made ahead */
        private static final int RING_MEAN = 16;
        private static final int RING_ACTIVITY = 32;
        private static final int R_MEAN = 4;
        private static final int R_ACTIVITY = 7;

        private final float[] img;
        private final int w;
        private final int h;
        /** d = img - mean, then overwritten row by row with the result (rows below the sweep still hold d) */
        private final float[] d;
        private final float[] meanRing;
        private final float[] activityRing;
        private final float[] add;
        private final float[] sub;
        private final float[] in;
        private final float[] out;
        /** rows of the means, of d and of the activity row means made so far */
        private int means;
        private int dRows;
        private int activities;
        private float[] meanCol;

        Whitening(float[] img, int w, int h) {
            this.img = img;
            this.w = w;
            this.h = h;
            d = new float[img.length];
            meanRing = new float[RING_MEAN * w];
            activityRing = new float[RING_ACTIVITY * w];
            add = new float[w];
            sub = new float[w];
            in = new float[w];
            out = new float[w];
        }

        float[] run() {
            meanCol = columnStart(meanRing, RING_MEAN, R_MEAN, this::meansTo);
            float inv = 1f / 15;
            float[] col = columnStart(activityRing, RING_ACTIVITY, R_ACTIVITY, this::activitiesTo);
            for (int y = 0; y < h; y++) {
                int addRow = clamp(y + R_ACTIVITY + 1, h);
                activitiesTo(addRow); // d's rows to there too: nothing below writes the row buffers
                System.arraycopy(activityRing, (addRow & (RING_ACTIVITY - 1)) * w, add, 0, w);
                System.arraycopy(activityRing, (clamp(y - R_ACTIVITY, h) & (RING_ACTIVITY - 1)) * w, sub, 0, w);
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

        /** The mean removal of rows up to {@code row}: d's rows. */
        private void dTo(int row) {
            float inv = 1f / 9;
            for (; dRows <= row; dRows++) {
                int y = dRows;
                int addRow = clamp(y + R_MEAN + 1, h);
                meansTo(addRow);
                System.arraycopy(meanRing, (addRow & (RING_MEAN - 1)) * w, add, 0, w);
                System.arraycopy(meanRing, (clamp(y - R_MEAN, h) & (RING_MEAN - 1)) * w, sub, 0, w);
                System.arraycopy(img, y * w, in, 0, w);
                float[] col = meanCol;
                for (int x = 0; x < w; x++) {
                    float mean = col[x] * inv;
                    col[x] += add[x] - sub[x];
                    out[x] = in[x] - mean;
                }
                System.arraycopy(out, 0, d, y * w, w);
            }
        }

        /** The row means of img up to row {@code row} (four rows at a time where four are left), into their ring. */
        private void meansTo(int row) {
            while (means <= row) {
                int n = means + 4 <= h ? 4 : 1;
                boxRows(img, means * w, meanRing, (means & (RING_MEAN - 1)) * w, w, n, R_MEAN, false);
                means += n;
            }
        }

        /** The row means of |d| up to row {@code row}, into their ring (d made first where it is not yet). */
        private void activitiesTo(int row) {
            while (activities <= row) {
                int n = activities + 4 <= h ? 4 : 1;
                dTo(activities + n - 1);
                boxRows(d, activities * w, activityRing, (activities & (RING_ACTIVITY - 1)) * w, w, n, R_ACTIVITY, true);
                activities += n;
            }
        }

        /** The column pass's running sums for row 0 (rows -r..r, edges clamped), their row means made first. */
        private float[] columnStart(float[] ring, int ringRows, int r, java.util.function.IntConsumer makeTo) {
            makeTo.accept(clamp(r, h));
            float[] col = new float[w];
            for (int k = -r; k <= r; k++) {
                int yy = (clamp(k, h) & (ringRows - 1)) * w;
                for (int x = 0; x < w; x++) {
                    col[x] += ring[yy + x];
                }
            }
            return col;
        }

        private int clamp(int i, int n) {
            return WorkingImage.clamp(i, n);
        }
    }

    /**
     * The horizontal pass of a box blur of radius r (window 2r+1), edges clamped, on {@code rows} (1 or 4) rows of w from
     * offset {@code so} of src: row means into out from offset {@code oo}; of the absolute values when asked.
     */
    private static void boxRows(float[] src, int so, float[] out, int oo, int w, int rows, int r, boolean abs) {
        float inv = 1f / (2 * r + 1);
        if (rows == 4) {
            // a running sum is one long chain of dependent additions: four rows side by side keep the core busy (each
            // row's sums are the same operations in the same order as one row at a time)
            int o0 = so;
            int o1 = o0 + w;
            int o2 = o1 + w;
            int o3 = o2 + w;
            int q0 = oo;
            int q1 = q0 + w;
            int q2 = q1 + w;
            int q3 = q2 + w;
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
                out[q0 + x] = s0 * inv;
                out[q1 + x] = s1 * inv;
                out[q2 + x] = s2 * inv;
                out[q3 + x] = s3 * inv;
                int add = clamp(x + r + 1, w);
                int sub = clamp(x - r, w);
                s0 += at(src, o0 + add, abs) - at(src, o0 + sub, abs);
                s1 += at(src, o1 + add, abs) - at(src, o1 + sub, abs);
                s2 += at(src, o2 + add, abs) - at(src, o2 + sub, abs);
                s3 += at(src, o3 + add, abs) - at(src, o3 + sub, abs);
            }
            return;
        }
        float sum = 0;
        for (int k = -r; k <= r; k++) {
            sum += at(src, so + clamp(k, w), abs);
        }
        for (int x = 0; x < w; x++) {
            out[oo + x] = sum * inv;
            sum += at(src, so + clamp(x + r + 1, w), abs) - at(src, so + clamp(x - r, w), abs);
        }
    }

    private static float at(float[] v, int i, boolean abs) {
        return abs ? Math.abs(v[i]) : v[i];
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
