package org.aigcmark.watermark;

import java.util.concurrent.ConcurrentHashMap;

/**
 * In-place iterative radix-2 complex FFT on split real/imaginary double arrays. Forward is
 * {@code X[k] = sum x[n] e^{-2 pi i k n / N}}, inverse has the + sign and no 1/N scaling. Kept deliberately
 * simple and scalar: every code path (scalar and Vector API) uses this same class, so results stay bit-identical.
 */
final class Fft {
    private static final ConcurrentHashMap<Integer, Fft> CACHE = new ConcurrentHashMap<>();
    /**
     * Side of the blocks in which a transposed array is walked. Rows of a power-of-two length sit a power of two
     * apart, so the lines of one block column fall into two L1 sets: 2 x 32 of them thrashed the cache (packing a
     * 1024 x 512 real transform's rows took 40 % of it), 2 x 8 fit (1024 x 512: 0.75x of the transform's time).
     */
    private static final int BLOCK = 8;

    private final int n;
    private final int[] bitReverse;
    private final double[] cos;
    private final double[] sin;

    private Fft(int n) {
        if (Integer.bitCount(n) != 1 || n < 2) {
            throw new IllegalArgumentException("FFT size must be a power of two, got " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        bitReverse = new int[n];
        for (int i = 0; i < n; i++) {
            bitReverse[i] = Integer.reverse(i) >>> (32 - bits);
        }
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / n);
            sin[i] = Math.sin(2 * Math.PI * i / n);
        }
    }

    static Fft of(int n) {
        return CACHE.computeIfAbsent(n, Fft::new);
    }

    /**
     * 2-D transform of a rows x cols array (both powers of two), row-major. Both passes run as butterflies between
     * whole rows (the row pass on the transposed array), so the inner loops walk memory in order and the JIT
     * vectorises them; each element sees exactly the operations of a plain 1-D radix-2 transform (bit reversal, then
     * butterflies with these twiddles), in the same order (Java contracts nothing into FMAs), so the result is
     * bit-identical to transforming row by row and column by column (FftTest keeps that 1-D transform as the reference).
     */
    static void transform2d(double[] re, double[] im, int rows, int cols, boolean inverse) {
        double[] tr = new double[re.length];
        double[] ti = new double[im.length];
        transpose(re, tr, rows, cols);
        transpose(im, ti, rows, cols);
        of(cols).acrossRows(tr, ti, rows, rows, inverse);
        transpose(tr, re, cols, rows);
        transpose(ti, im, cols, rows);
        of(rows).acrossRows(re, im, cols, cols, inverse);
    }

    /**
     * {@link #transform2d} of a rows x rows array whose rows {@code band + 1 .. rows - band - 1} are all zero (the
     * keyed correlations: the tile's band ends at {@link KeyedTile#BAND_MAX} cycles): the first pass transforms the
     * other rows only, a zero row's transform being zero. The same values as {@link #transform2d} (a zero may differ
     * in sign), at about 0.8x of its time (issue 17).
     */
    static void transform2dBand(double[] re, double[] im, int rows, boolean inverse, int band) {
        if (2 * band + 1 >= rows) {
            transform2d(re, im, rows, rows, inverse);
            return;
        }
        double[] tr = new double[re.length];
        double[] ti = new double[im.length];
        transpose(re, tr, rows, rows, 0, band + 1);
        transpose(re, tr, rows, rows, rows - band, rows);
        transpose(im, ti, rows, rows, 0, band + 1);
        transpose(im, ti, rows, rows, rows - band, rows);
        Fft f = of(rows);
        f.acrossRows(tr, ti, rows, 0, band + 1, inverse);
        f.acrossRows(tr, ti, rows, rows - band, band, inverse);
        transpose(tr, re, rows, rows);
        transpose(ti, im, rows, rows);
        f.acrossRows(re, im, rows, rows, inverse);
    }

    /**
     * Transforms along the first index of an n x stride array (n = this size) for the first {@code width} entries
     * of each row: element c of every row is one 1-D sequence.
     */
    private void acrossRows(double[] re, double[] im, int stride, int width, boolean inverse) {
        acrossRows(re, im, stride, 0, width, inverse);
    }

    /** {@link #acrossRows(double[], double[], int, int, boolean)} for entries {@code off .. off + width - 1}. */
    private void acrossRows(double[] re, double[] im, int stride, int off, int width, boolean inverse) {
        double[] t = new double[width];
        for (int i = 0; i < n; i++) {
            int j = bitReverse[i];
            if (j > i) {
                swapRows(re, i * stride + off, j * stride + off, width, t);
                swapRows(im, i * stride + off, j * stride + off, width, t);
            }
        }
        double sign = inverse ? 1.0 : -1.0;
        // the stages in pairs: stage len and stage 2 len on four rows at a time, so each pass over the array (4-8 MB
        // at 1024 x 512, beyond the caches) does two stages' work; each element sees the butterflies of both stages
        // in their order, so the result is the same to the bit
        int len = 2;
        for (; 2 * len <= n; len <<= 2) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += 2 * len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sign * sin[k * step];
                    double ur = cos[k * step / 2];
                    double ui = sign * sin[k * step / 2];
                    double vr = cos[(k + half) * step / 2];
                    double vi = sign * sin[(k + half) * step / 2];
                    int r0 = (start + k) * stride + off;
                    int r1 = r0 + half * stride;
                    int r2 = r0 + len * stride;
                    int r3 = r2 + half * stride;
                    for (int c = 0; c < width; c++) {
                        // stage len: (r0, r1) and (r2, r3), twiddle w
                        double br = re[r1 + c];
                        double bi = im[r1 + c];
                        double xr = br * wr - bi * wi;
                        double xi = br * wi + bi * wr;
                        double ar = re[r0 + c];
                        double ai = im[r0 + c];
                        double a1r = ar - xr;
                        double a1i = ai - xi;
                        double a0r = ar + xr;
                        double a0i = ai + xi;
                        double dr = re[r3 + c];
                        double di = im[r3 + c];
                        double yr = dr * wr - di * wi;
                        double yi = dr * wi + di * wr;
                        double cr = re[r2 + c];
                        double ci = im[r2 + c];
                        double a3r = cr - yr;
                        double a3i = ci - yi;
                        double a2r = cr + yr;
                        double a2i = ci + yi;
                        // stage 2 len: (r0, r2) with twiddle u, (r1, r3) with twiddle v
                        double pr = a2r * ur - a2i * ui;
                        double pi = a2r * ui + a2i * ur;
                        re[r2 + c] = a0r - pr;
                        im[r2 + c] = a0i - pi;
                        re[r0 + c] = a0r + pr;
                        im[r0 + c] = a0i + pi;
                        double qr = a3r * vr - a3i * vi;
                        double qi = a3r * vi + a3i * vr;
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
                    double wr = cos[k * step];
                    double wi = sign * sin[k * step];
                    int a = (start + k) * stride + off;
                    int b = a + half * stride;
                    for (int c = 0; c < width; c++) {
                        double br = re[b + c];
                        double bi = im[b + c];
                        double xr = br * wr - bi * wi;
                        double xi = br * wi + bi * wr;
                        double ar = re[a + c];
                        double ai = im[a + c];
                        re[b + c] = ar - xr;
                        im[b + c] = ai - xi;
                        re[a + c] = ar + xr;
                        im[a + c] = ai + xi;
                    }
                }
            }
        }
    }

    private static void swapRows(double[] v, int a, int b, int width, double[] t) {
        System.arraycopy(v, a, t, 0, width);
        System.arraycopy(v, b, v, a, width);
        System.arraycopy(t, 0, v, b, width);
    }

    /** out (cols x rows) = transpose of in (rows x cols), in 32 x 32 blocks to stay in the cache. */
    private static void transpose(double[] in, double[] out, int rows, int cols) {
        transpose(in, out, rows, cols, 0, rows);
    }

    /** {@link #transpose(double[], double[], int, int)} of rows {@code from .. to - 1} only. */
    private static void transpose(double[] in, double[] out, int rows, int cols, int from, int to) {
        final int blk = BLOCK;
        for (int r0 = from; r0 < to; r0 += blk) {
            int r1 = Math.min(to, r0 + blk);
            for (int c0 = 0; c0 < cols; c0 += blk) {
                int c1 = Math.min(cols, c0 + blk);
                for (int r = r0; r < r1; r++) {
                    int o = r * cols;
                    for (int c = c0; c < c1; c++) {
                        out[c * rows + r] = in[o + c];
                    }
                }
            }
        }
    }

    /**
     * Forward 2-D transform of a real rows x cols array into full re/im spectra, about twice as fast as
     * {@link #transform2d}: two real rows share one complex row transform, and only the non-redundant half of the
     * columns is transformed (a real input's spectrum is conjugate-symmetric, X(-k) = conj X(k)).
     */
    static void realForward2d(double[] in, double[] re, double[] im, int rows, int cols) {
        realForward2d(in, re, im, rows, cols, cols / 2);
    }

    /**
     * {@link #realForward2d(double[], double[], double[], int, int)} for columns {@code -band .. band} only (the keyed
     * folds: the tile's band ends at {@link KeyedTile#BAND_MAX} cycles): those columns get the same values to the bit,
     * the others stay as they were; the column pass and the unpacking do {@code band + 1} columns instead of
     * {@code cols / 2 + 1} (issue 17).
     */
    static void realForward2d(double[] in, double[] re, double[] im, int rows, int cols, int band) {
        int halfCols = Math.min(cols / 2, band);
        int pairs = (rows + 1) / 2;
        // pair p packs rows 2p (real part) and 2p+1 (imaginary part), stored transposed: cols x pairs
        double[] zr = new double[cols * pairs];
        double[] zi = new double[cols * pairs];
        // both the packing and the unpacking walk a transposed array: in 32 x 32 blocks, to stay in the cache
        final int blk = BLOCK;
        for (int p0 = 0; p0 < pairs; p0 += blk) {
            int p1 = Math.min(pairs, p0 + blk);
            for (int c0 = 0; c0 < cols; c0 += blk) {
                int c1 = Math.min(cols, c0 + blk);
                for (int p = p0; p < p1; p++) {
                    int oa = 2 * p * cols;
                    boolean pair = 2 * p + 1 < rows;
                    for (int c = c0; c < c1; c++) {
                        zr[c * pairs + p] = in[oa + c];
                        zi[c * pairs + p] = pair ? in[oa + cols + c] : 0;
                    }
                }
            }
        }
        of(cols).acrossRows(zr, zi, pairs, pairs, false);
        for (int p0 = 0; p0 < pairs; p0 += blk) {
            int p1 = Math.min(pairs, p0 + blk);
            for (int k0 = 0; k0 <= halfCols; k0 += blk) {
                int k1 = Math.min(halfCols + 1, k0 + blk);
                for (int p = p0; p < p1; p++) {
                    int oa = 2 * p * cols;
                    int ob = oa + cols;
                    boolean pair = 2 * p + 1 < rows;
                    for (int k = k0; k < k1; k++) {
                        int nk = (cols - k) & (cols - 1);
                        double zrk = zr[k * pairs + p];
                        double zrn = zr[nk * pairs + p];
                        double zik = zi[k * pairs + p];
                        double zin = zi[nk * pairs + p];
                        // A = (Z[k] + conj Z[-k]) / 2, B = (Z[k] - conj Z[-k]) / 2i
                        re[oa + k] = 0.5 * (zrk + zrn);
                        im[oa + k] = 0.5 * (zik - zin);
                        if (pair) {
                            re[ob + k] = 0.5 * (zik + zin);
                            im[ob + k] = -0.5 * (zrk - zrn);
                        }
                    }
                }
            }
        }
        of(rows).acrossRows(re, im, cols, halfCols + 1, false);
        for (int r = 0; r < rows; r++) {
            int mr = ((rows - r) & (rows - 1)) * cols;
            int o = r * cols;
            for (int c = Math.max(halfCols + 1, cols - halfCols); c < cols; c++) {
                re[o + c] = re[mr + cols - c];
                im[o + c] = -im[mr + cols - c];
            }
        }
    }
}
