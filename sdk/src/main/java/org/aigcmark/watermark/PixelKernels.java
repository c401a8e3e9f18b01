package org.aigcmark.watermark;

import java.lang.System.Logger.Level;

/**
 * The per-pixel loops of the watermark, in a scalar and a Vector API flavour. Both use exactly the same float
 * operations in the same order (no FMA, no reassociation), so their results are bit-identical.
 */
abstract class PixelKernels {
    private static final System.Logger LOG = System.getLogger(PixelKernels.class.getName());
    private static volatile boolean fallbackLogged;
    private static final PixelKernels SCALAR = new ScalarPixelKernels();
    private static final PixelKernels VECTOR = loadVector();
    private static volatile boolean nativeFallbackLogged;

    abstract String name();

    /**
     * Adds {@code gain[x] * pattern[patternRow + ((x + phase) % period)]} to R, G and B of {@code px[off + x]},
     * {@code x} in {@code [0, width)}, rounding and clamping to [0, 255]; alpha is kept.
     */
    abstract void embedRowRgb(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period);

    /** Luma (BT.601 weights) of {@code width} packed pixels into {@code out[0..width)}. */
    abstract void lumaRow(int[] px, int off, int width, float[] out);

    /** Same as {@link #embedRowRgb} for an 8-bit luma plane. */
    void embedRowLuma(byte[] y, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        int x = 0;
        while (x < width) {
            int p = x % period;
            int n = Math.min(period - p, width - x);
            int pr = patternRow + p;
            for (int i = 0; i < n; i++) {
                float d = gain[x + i] * pattern[pr + i];
                float v = (y[off + x + i] & 0xff) + d;
                v = Math.max(0f, Math.min(255f, v));
                y[off + x + i] = (byte) (int) (v + 0.5f);
            }
            x += n;
        }
    }

    /**
     * One row of the bilinear gain map from the gains {@code colA[0..blocks)} at the block centres
     * ({@code x = b * BLOCK + BLOCK / 2}): {@code out[x] = a + fx[x] * (c - a)} with {@code a}, {@code c} the gains
     * of the centres left and right of {@code x}; left of the first and right of the last centre, {@code out[x]} is
     * the edge gain (there {@code fx[x] == 0}, and the gains are positive, so that is exactly {@code a}).
     */
    void interpolateGainRow(float[] colA, int blocks, float[] fx, float[] out, int width) {
        int half = WatermarkEmbedder.BLOCK / 2;
        java.util.Arrays.fill(out, 0, Math.min(width, half), colA[0]);
        int x = half;
        for (int b = 0; b + 1 < blocks && x < width; b++) {
            float a = colA[b];
            float d = colA[b + 1] - a;
            int end = Math.min(width, x + WatermarkEmbedder.BLOCK);
            for (; x < end; x++) {
                out[x] = a + fx[x] * d;
            }
        }
        if (x < width) {
            java.util.Arrays.fill(out, x, width, colA[blocks - 1]);
        }
    }

    /**
     * 8-bit integer luma ({@code (77 R + 150 G + 29 B) >> 8}, the texture mask's weights) of {@code width} packed
     * pixels from {@code px[off]} into {@code out[outOff..]}.
     */
    void luma8Row(int[] px, int off, int width, byte[] out, int outOff) {
        for (int x = 0; x < width; x++) {
            int c = px[off + x];
            out[outOff + x] = (byte) ((77 * ((c >>> 16) & 0xff) + 150 * ((c >>> 8) & 0xff) + 29 * (c & 0xff)) >> 8);
        }
    }

    /**
     * {@link #embedRowRgb} on a row of 3-byte B, G, R pixels from {@code data[off]} (a JPEG's decoded image), in place:
     * the same values as packing the row, embedding and unpacking it, without the two passes through a packed row.
     */
    void embedRowBgr(byte[] data, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        int p = 0; // x % period
        for (int x = 0, q = off; x < width; x++, q += 3) {
            float d = gain[x] * pattern[patternRow + p];
            data[q] = (byte) bgrChannel(data[q] & 0xff, d);
            data[q + 1] = (byte) bgrChannel(data[q + 1] & 0xff, d);
            data[q + 2] = (byte) bgrChannel(data[q + 2] & 0xff, d);
            if (++p == period) {
                p = 0;
            }
        }
    }

    static int bgrChannel(int c, float d) {
        float v = c + d;
        v = Math.max(0f, Math.min(255f, v));
        return (int) (v + 0.5f);
    }

    /** {@link #luma8Row} of a row of 3-byte B, G, R pixels from {@code data[off]}. */
    void luma8RowBgr(byte[] data, int off, int width, byte[] out, int outOff) {
        for (int x = 0, q = off; x < width; x++, q += 3) {
            out[outOff + x] = (byte) ((77 * (data[q + 2] & 0xff) + 150 * (data[q + 1] & 0xff) + 29 * (data[q] & 0xff)) >> 8);
        }
    }

    /** {@link #lumaRow} of a row of 3-byte B, G, R pixels from {@code data[off]}. */
    void lumaRowBgr(byte[] data, int off, int width, float[] out) {
        lumaSegmentBgr(data, off, out, 0, width);
    }

    static void lumaSegmentBgr(byte[] data, int off, float[] out, int from, int to) {
        for (int x = from, q = off + 3 * from; x < to; x++, q += 3) {
            float r = data[q + 2] & 0xff;
            float g = data[q + 1] & 0xff;
            float b = data[q] & 0xff;
            out[x] = 0.299f * r + 0.587f * g + 0.114f * b;
        }
    }

    /**
     * Texture sums of {@code blocks} whole 8-pixel blocks of one sampled luma row: for block {@code b},
     * {@code act[at + b] += sum of |l - r| + |l - d|} and {@code mean[at + b] += sum of l} over the block's pixels
     * {@code l = y[row + 8b + k]}, {@code k = 0, 2, 4, 6}, with {@code r} the pixel right of {@code l} and {@code d}
     * the one below it (row offset {@code rowBelow}).
     */
    void blockSumsLuma(byte[] y, int row, int rowBelow, int blocks, int[] act, int[] mean, int at) {
        for (int b = 0; b < blocks; b++) {
            int p = row + b * WatermarkEmbedder.BLOCK;
            int q = rowBelow + b * WatermarkEmbedder.BLOCK;
            int a = 0;
            int m = 0;
            for (int k = 0; k < WatermarkEmbedder.BLOCK; k += 2) {
                int l = y[p + k] & 0xff;
                a += Math.abs(l - (y[p + k + 1] & 0xff)) + Math.abs(l - (y[q + k] & 0xff));
                m += l;
            }
            act[at + b] += a;
            mean[at + b] += m;
        }
    }

    /**
     * Texture gain of blocks {@code [from, to)} from their sums: more where the block is busy (up to
     * {@link WatermarkEmbedder#GAIN_MAX}), less near black or white where the mark would clip;
     * {@link WatermarkEmbedder#GAIN_MIN} for blocks with no samples.
     */
    void blockGains(int[] act, int[] mean, int[] cnt, float[] g, int from, int to) {
        for (int i = from; i < to; i++) {
            if (cnt[i] == 0) {
                g[i] = WatermarkEmbedder.GAIN_MIN;
                continue;
            }
            float a = (float) act[i] / cnt[i];
            float m = (float) mean[i] / cnt[i];
            float v = WatermarkEmbedder.GAIN_MIN + a / WatermarkEmbedder.ACT_REF;
            v = Math.min(WatermarkEmbedder.GAIN_MAX, v);
            float lum = Math.min(1f, Math.min(0.35f + m / 40f, 0.35f + (255f - m) / 40f));
            g[i] = v * lum;
        }
    }

    /**
     * 3x3 smoothing of the block gains {@code g} (rows of {@code bw}) for blocks {@code [from, to)}, which must all
     * have 8 neighbours: {@code out = (float) (halfAlpha * (sum / 9 + min))} of the 9 values, summed row by row,
     * left to right (the order of WatermarkEmbedder's general loop, so the bits are equal).
     */
    void smoothInterior(float[] g, int bw, int from, int to, double halfAlpha, float[] out) {
        for (int i = from; i < to; i++) {
            float sum = g[i - bw - 1] + g[i - bw] + g[i - bw + 1] + g[i - 1] + g[i] + g[i + 1]
                    + g[i + bw - 1] + g[i + bw] + g[i + bw + 1];
            float mn = Math.min(Math.min(Math.min(g[i - bw - 1], g[i - bw]), Math.min(g[i - bw + 1], g[i - 1])),
                    Math.min(Math.min(g[i], g[i + 1]), Math.min(Math.min(g[i + bw - 1], g[i + bw]), g[i + bw + 1])));
            out[i] = (float) (halfAlpha * (sum / 9 + mn));
        }
    }

    /**
     * One row of the flat-floor search's smoothed gains ({@code WatermarkEmbedder.meanSquare}): {@code raised[i] =
     * max(g[row + i], floor)}, then {@code out[i] = ((a + l + r) / 3 + min(a, min(l, r))) / 2} of each block {@code a}
     * and its left and right neighbours {@code l}, {@code r} in the row (the block itself past the row's ends), for
     * {@code i} in {@code [0, bw)}. Gains are positive and finite and the floor is not negative, so the comparisons
     * here give what {@code Math.max}/{@code Math.min} give (whose NaN and signed-zero rules cost ~3x in this loop).
     */
    void smoothRaisedRow(float[] g, int row, int bw, float floor, float[] raised, float[] out) {
        for (int i = 0; i < bw; i++) {
            float v = g[row + i];
            raised[i] = v > floor ? v : floor;
        }
        smoothRow(raised, bw, 0, bw, out);
    }

    /** The smoothing of {@link #smoothRaisedRow} for blocks {@code [from, to)} of a raised row of {@code bw}. */
    static void smoothRow(float[] raised, int bw, int from, int to, float[] out) {
        int last = bw - 1;
        for (int i = from; i < to; i++) {
            float a = raised[i];
            float l = raised[i == 0 ? 0 : i - 1];
            float r = raised[i == last ? i : i + 1];
            float m = l < r ? l : r;
            out[i] = ((a + l + r) / 3 + (a < m ? a : m)) / 2;
        }
    }

    static PixelKernels scalar() {
        return SCALAR;
    }

    /** The Vector API kernels, or the scalar ones (logged once) when {@code jdk.incubator.vector} is absent. */
    static PixelKernels vector() {
        if (VECTOR == null) {
            if (!fallbackLogged) {
                fallbackLogged = true;
                LOG.log(Level.INFO, "jdk.incubator.vector is not available (run with --add-modules jdk.incubator.vector);"
                        + " the image watermark uses its scalar kernels");
            }
            return SCALAR;
        }
        return VECTOR;
    }

    /**
     * The {@link RowKernels} that another jar provides (aigcmark-native's C kernels), or the Vector API / scalar ones
     * (logged once) when no provider is present and available. Not the default: JMH decides (docs/BENCHMARKS.md).
     */
    static PixelKernels nativeKernels() {
        if (NativeHolder.NATIVE == null) {
            if (!nativeFallbackLogged) {
                nativeFallbackLogged = true;
                LOG.log(Level.INFO, "native watermark kernels are not available (aigcmark-native jar or its library"
                        + " missing); using the Java kernels");
            }
            return vector();
        }
        return NativeHolder.NATIVE;
    }

    static boolean nativeAvailable() {
        return NativeHolder.NATIVE != null;
    }

    /** Looked up on first use: a provider's library is loaded only by a call that asks for it. */
    private static final class NativeHolder {
        static final PixelKernels NATIVE = provided();
    }

    /**
     * The first available {@link RowKernels} provider, the sdk's own loader first (a flat class path, the shaded
     * CLI, the module path), then the thread's (containers that load the sdk in a parent loader).
     */
    private static PixelKernels provided() {
        for (RowKernels k : org.aigcmark.internal.Plugins.load(RowKernels.class)) {
            try {
                if (k.available()) {
                    return new Provided(k);
                }
            } catch (RuntimeException | LinkageError e) {
                // a broken provider: the Java kernels, as with none
            }
        }
        return null;
    }

    /**
     * A provider's row loops; the loops it does not provide stay the scalar ones (the BGR rows of a JPEG's image
     * included: the provider's kernels take packed rows).
     */
    private static final class Provided extends PixelKernels {
        private final RowKernels rows;

        Provided(RowKernels rows) {
            this.rows = rows;
        }

        @Override
        String name() {
            return "native";
        }

        @Override
        void embedRowRgb(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
            rows.embedRowRgb(px, off, width, gain, pattern, patternRow, period);
        }

        @Override
        void lumaRow(int[] px, int off, int width, float[] out) {
            rows.lumaRow(px, off, width, out);
        }
    }

    private static PixelKernels load(String className) {
        try {
            Class<?> c = Class.forName(className);
            return (PixelKernels) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    static boolean vectorAvailable() {
        return VECTOR != null;
    }

    private static PixelKernels loadVector() {
        try {
            if (!org.aigcmark.internal.VectorApi.present()) {
                return null;
            }
            return load("org.aigcmark.watermark.VectorPixelKernels");
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    static final class ScalarPixelKernels extends PixelKernels {
        @Override
        String name() {
            return "scalar";
        }

        @Override
        void embedRowRgb(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
            int x = 0;
            while (x < width) {
                int p = x % period;
                int n = Math.min(period - p, width - x);
                embedSegment(px, off + x, gain, x, pattern, patternRow + p, n);
                x += n;
            }
        }

        static void embedSegment(int[] px, int pOff, float[] gain, int gOff, float[] pattern, int patOff, int n) {
            for (int i = 0; i < n; i++) {
                int c = px[pOff + i];
                float d = gain[gOff + i] * pattern[patOff + i];
                px[pOff + i] = (c & 0xff000000) | (channel((c >>> 16) & 0xff, d) << 16)
                        | (channel((c >>> 8) & 0xff, d) << 8) | channel(c & 0xff, d);
            }
        }

        private static int channel(int c, float d) {
            float v = c + d;
            v = Math.max(0f, Math.min(255f, v));
            return (int) (v + 0.5f);
        }

        @Override
        void lumaRow(int[] px, int off, int width, float[] out) {
            lumaSegment(px, off, out, 0, width);
        }

        static void lumaSegment(int[] px, int off, float[] out, int from, int to) {
            for (int x = from; x < to; x++) {
                int c = px[off + x];
                float r = (c >>> 16) & 0xff;
                float g = (c >>> 8) & 0xff;
                float b = c & 0xff;
                out[x] = 0.299f * r + 0.587f * g + 0.114f * b;
            }
        }
    }
}
