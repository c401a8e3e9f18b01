package org.aigcmark.watermark;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Power spectrum of a real image patch for the lattice search only (docs/WATERMARK.md, "Detection spectrum"): float,
 * not double, and every 1-D pass done on a strip of {@value #STRIP} sequences that stays in the L2 cache through all
 * its butterfly stages, where {@link Fft} walks the whole 4-8 MB array once per pair of stages. Nothing here is
 * embedded or decoded (the tile and the keyed folds keep {@link Fft}, bit for bit), so it need not match {@link Fft}
 * to the bit, only to float rounding (DetectionFftTest). Hand-written because it is the hot kernel of every search
 * beyond the image's own geometry and no light dependency offers a float 2-D real FFT.
 */
final class DetectionFft {
    private static final ConcurrentHashMap<Integer, DetectionFft> CACHE = new ConcurrentHashMap<>();
    /**
     * Sequences transformed side by side: the inner loops run over them (the JIT vectorises these), and a strip of
     * 1024 x 64 complex floats (512 KB) stays in L2 through all ten stages.
     */
    static final int STRIP = 64;

    final int n;
    private final int[] bitReverse;
    final float[] cos;
    /** minus the sine: forward transform only */
    final float[] sin;

    /** The butterfly passes over a strip: {@link #butterflies}, or the Vector API's ({@code VectorButterflies}). */
    interface Butterflies {
        void run(DetectionFft f, float[] re, float[] im, int off, int stride, int width);
    }

    static final Butterflies SCALAR = (f, re, im, off, stride, width) -> f.butterflies(re, im, off, stride, width);

    /**
     * The Vector API passes when {@code jdk.incubator.vector} is present (the JIT did not vectorise the scalar loop:
     * about 2 cycles per element and stage), else the scalar ones; the same float operations in the same order, so
     * the same bits (DetectionFftTest).
     */
    static final Butterflies BUTTERFLIES = vectorButterflies();

    private static Butterflies vectorButterflies() {
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return SCALAR;
            }
            return (Butterflies) Class.forName("org.aigcmark.watermark.VectorButterflies").getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return SCALAR;
        }
    }

    private DetectionFft(int n) {
        if (Integer.bitCount(n) != 1 || n < 4) {
            throw new IllegalArgumentException("FFT size must be a power of two >= 4, got " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        bitReverse = new int[n];
        for (int i = 0; i < n; i++) {
            bitReverse[i] = Integer.reverse(i) >>> (32 - bits);
        }
        cos = new float[n / 2];
        sin = new float[n / 2];
        for (int i = 0; i < n / 2; i++) {
            cos[i] = (float) Math.cos(2 * Math.PI * i / n);
            sin[i] = (float) -Math.sin(2 * Math.PI * i / n); // forward transform only
        }
    }

    private static DetectionFft of(int n) {
        return CACHE.computeIfAbsent(n, DetectionFft::new);
    }

    /**
     * |X|^2 of the forward 2-D transform of the centre ny x nx patch of image (w x h, row-major), zero-padded to
     * ny x nx (both powers of two), row-major ny x nx. Rows are transformed two at a time as one complex sequence
     * (real part, imaginary part), only the non-redundant half of the columns (0 .. nx/2) is transformed, and the
     * other half of the power is mirrored (a real input's power is even: P(-k) = P(k)).
     */
    static float[] power(float[] image, int w, int h, int nx, int ny) {
        return power(image, w, h, nx, ny, BUTTERFLIES);
    }

    /** {@link #power} with the given butterfly passes (DetectionFftTest compares the scalar and vector ones) */
    static float[] power(float[] image, int w, int h, int nx, int ny, Butterflies butterflies) {
        int pw = Math.min(nx, w);
        int ph = Math.min(ny, h);
        int ox = (w - pw) / 2;
        int oy = (h - ph) / 2;
        int half = nx / 2;
        // the half spectrum, rows in bit-reversed order for the column pass; a row stride that is not a power of two,
        // so a strip's rows fall into different cache sets
        int stride = (half + 1 + 15) / 16 * 16;
        if (Integer.bitCount(stride) == 1) {
            stride += 16;
        }
        float[] cr = new float[ny * stride];
        float[] ci = new float[ny * stride];
        DetectionFft fx = of(nx);
        DetectionFft fy = of(ny);
        int pairs = ny / 2;
        float[] zr = new float[nx * STRIP];
        float[] zi = new float[nx * STRIP];
        int[] brx = fx.bitReverse;
        float[] swap = new float[STRIP];
        int[] bry = fy.bitReverse;
        for (int p0 = 0; p0 < pairs; p0 += STRIP) {
            int b = Math.min(STRIP, pairs - p0);
            Arrays.fill(zr, 0f);
            Arrays.fill(zi, 0f);
            // sequence j of the strip: rows 2p (real part) and 2p + 1 (imaginary part); read in blocks of 16 columns,
            // so each block touches every row once (row by row, the strided writes were slow; column by column, the
            // 128 rows' pages thrashed the TLB). Written in natural order, then the rows swapped into bit-reversed
            // order: written straight into bit-reversed rows, a block's 16 rows lay 16 KB apart, all in one set of
            // the L1 cache, and every write missed it (1.9 ms of the 1024 x 512 transform, now about a fifth)
            for (int x0 = 0; x0 < pw; x0 += 16) {
                int x1 = Math.min(pw, x0 + 16);
                for (int j = 0; j < b; j++) {
                    int ya = 2 * (p0 + j);
                    if (ya < ph) {
                        int sa = (oy + ya) * w + ox;
                        for (int x = x0; x < x1; x++) {
                            zr[x * STRIP + j] = image[sa + x];
                        }
                    }
                    if (ya + 1 < ph) {
                        int sb = (oy + ya + 1) * w + ox;
                        for (int x = x0; x < x1; x++) {
                            zi[x * STRIP + j] = image[sb + x];
                        }
                    }
                }
            }
            for (int x = 0; x < nx; x++) {
                int r = brx[x];
                if (r > x) {
                    swapRows(zr, x * STRIP, r * STRIP, swap);
                    swapRows(zi, x * STRIP, r * STRIP, swap);
                }
            }
            butterflies.run(fx, zr, zi, 0, STRIP, b);
            // A = (Z[k] + conj Z[-k]) / 2 (row 2p), B = (Z[k] - conj Z[-k]) / 2i (row 2p + 1)
            // in blocks of 16 k, so the rows a block reads stay in the L1 cache for every sequence j (k by k over the
            // whole strip, 512 KB, each j read it from L2 again: about 1 ms)
            for (int k0 = 0; k0 <= half; k0 += 16) {
                int k1 = Math.min(half + 1, k0 + 16);
                for (int j = 0; j < b; j++) {
                    int ya = 2 * (p0 + j);
                    int oa = bry[ya] * stride;
                    int ob = bry[ya + 1] * stride;
                    for (int k = k0; k < k1; k++) {
                        int nk = (nx - k) & (nx - 1);
                        float zrk = zr[k * STRIP + j];
                        float zrn = zr[nk * STRIP + j];
                        float zik = zi[k * STRIP + j];
                        float zin = zi[nk * STRIP + j];
                        cr[oa + k] = 0.5f * (zrk + zrn);
                        ci[oa + k] = 0.5f * (zik - zin);
                        cr[ob + k] = 0.5f * (zik + zin);
                        ci[ob + k] = -0.5f * (zrk - zrn);
                    }
                }
            }
        }
        for (int c0 = 0; c0 <= half; c0 += STRIP) {
            butterflies.run(fy, cr, ci, c0, stride, Math.min(STRIP, half + 1 - c0));
        }
        float[] pw2 = new float[ny * nx];
        for (int y = 0; y < ny; y++) {
            int s = y * stride;
            // in place, then copied: a loop that reads and writes at one index is one the JIT vectorises (written
            // straight into pw2 at another offset, it stayed scalar)
            for (int k = s; k <= s + half; k++) {
                float a = cr[k];
                float bq = ci[k];
                cr[k] = a * a + bq * bq;
            }
            System.arraycopy(cr, s, pw2, y * nx, half + 1);
        }
        for (int y = 0; y < ny; y++) {
            int o = y * nx;
            int m = ((ny - y) & (ny - 1)) * nx + nx;
            for (int x = half + 1; x < nx; x++) {
                pw2[o + x] = pw2[m - x];
            }
        }
        return pw2;
    }

    private static void swapRows(float[] v, int a, int b, float[] t) {
        System.arraycopy(v, a, t, 0, STRIP);
        System.arraycopy(v, b, v, a, STRIP);
        System.arraycopy(t, 0, v, b, STRIP);
    }

    /**
     * The butterfly stages (input already in bit-reversed order) along the first index of an n x stride array, for
     * the {@code width} entries from {@code off} of each row: element off + c of every row is one sequence. Stages
     * go in pairs (radix-4 passes: four rows at a time, two stages' work per pass over the strip).
     */
    void butterflies(float[] re, float[] im, int off, int stride, int width) {
        int len = 2;
        for (; 2 * len <= n; len <<= 2) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += 2 * len) {
                for (int k = 0; k < half; k++) {
                    float wr = cos[k * step];
                    float wi = sin[k * step];
                    float ur = cos[k * step / 2];
                    float ui = sin[k * step / 2];
                    float vr = cos[(k + half) * step / 2];
                    float vi = sin[(k + half) * step / 2];
                    int r0 = (start + k) * stride + off;
                    int r1 = r0 + half * stride;
                    int r2 = r0 + len * stride;
                    int r3 = r2 + half * stride;
                    for (int c = 0; c < width; c++) {
                        float br = re[r1 + c];
                        float bi = im[r1 + c];
                        float xr = br * wr - bi * wi;
                        float xi = br * wi + bi * wr;
                        float ar = re[r0 + c];
                        float ai = im[r0 + c];
                        float a1r = ar - xr;
                        float a1i = ai - xi;
                        float a0r = ar + xr;
                        float a0i = ai + xi;
                        float dr = re[r3 + c];
                        float di = im[r3 + c];
                        float yr = dr * wr - di * wi;
                        float yi = dr * wi + di * wr;
                        float cr = re[r2 + c];
                        float ci = im[r2 + c];
                        float a3r = cr - yr;
                        float a3i = ci - yi;
                        float a2r = cr + yr;
                        float a2i = ci + yi;
                        float pr = a2r * ur - a2i * ui;
                        float pi = a2r * ui + a2i * ur;
                        re[r2 + c] = a0r - pr;
                        im[r2 + c] = a0i - pi;
                        re[r0 + c] = a0r + pr;
                        im[r0 + c] = a0i + pi;
                        float qr = a3r * vr - a3i * vi;
                        float qi = a3r * vi + a3i * vr;
                        re[r3 + c] = a1r - qr;
                        im[r3 + c] = a1i - qi;
                        re[r1 + c] = a1r + qr;
                        im[r1 + c] = a1i + qi;
                    }
                }
            }
        }
        for (; len <= n; len <<= 1) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    float wr = cos[k * step];
                    float wi = sin[k * step];
                    int a = (start + k) * stride + off;
                    int b = a + half * stride;
                    for (int c = 0; c < width; c++) {
                        float br = re[b + c];
                        float bi = im[b + c];
                        float xr = br * wr - bi * wi;
                        float xi = br * wi + bi * wr;
                        float ar = re[a + c];
                        float ai = im[a + c];
                        re[b + c] = ar - xr;
                        im[b + c] = ai - xi;
                        re[a + c] = ar + xr;
                        im[a + c] = ai + xi;
                    }
                }
            }
        }
    }
}
