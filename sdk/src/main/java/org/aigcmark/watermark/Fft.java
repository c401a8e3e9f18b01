package org.aigcmark.watermark;

import java.util.concurrent.ConcurrentHashMap;

/**
 * In-place iterative radix-2 complex FFT on split real/imaginary double arrays. Forward is
 * {@code X[k] = sum x[n] e^{-2 pi i k n / N}}, inverse has the + sign and no 1/N scaling. Kept deliberately
 * simple and scalar: every code path (scalar and Vector API) uses this same class, so results stay bit-identical.
 */
final class Fft {
    private static final ConcurrentHashMap<Integer, Fft> CACHE = new ConcurrentHashMap<>();

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

    int size() {
        return n;
    }

    /** Transforms {@code n} elements starting at {@code off} with the given stride. */
    void transform(double[] re, double[] im, int off, int stride, boolean inverse) {
        for (int i = 0; i < n; i++) {
            int j = bitReverse[i];
            if (j > i) {
                int a = off + i * stride;
                int b = off + j * stride;
                double t = re[a]; re[a] = re[b]; re[b] = t;
                t = im[a]; im[a] = im[b]; im[b] = t;
            }
        }
        double sign = inverse ? 1.0 : -1.0;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sign * sin[k * step];
                    int a = off + (start + k) * stride;
                    int b = a + half * stride;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    /** 2-D transform of a rows x cols array (both powers of two), row-major. */
    static void transform2d(double[] re, double[] im, int rows, int cols, boolean inverse) {
        Fft fr = of(cols);
        for (int r = 0; r < rows; r++) {
            fr.transform(re, im, r * cols, 1, inverse);
        }
        Fft fc = of(rows);
        double[] tr = new double[rows];
        double[] ti = new double[rows];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                tr[r] = re[r * cols + c];
                ti[r] = im[r * cols + c];
            }
            fc.transform(tr, ti, 0, 1, inverse);
            for (int r = 0; r < rows; r++) {
                re[r * cols + c] = tr[r];
                im[r * cols + c] = ti[r];
            }
        }
    }

    /**
     * Forward 2-D transform of a real rows x cols array into full re/im spectra, about twice as fast as
     * {@link #transform2d}: two real rows share one complex row transform, and only the non-redundant half of the
     * columns is transformed (a real input's spectrum is conjugate-symmetric, X(-k) = conj X(k)).
     */
    static void realForward2d(double[] in, double[] re, double[] im, int rows, int cols) {
        Fft fr = of(cols);
        int halfCols = cols / 2;
        double[] zr = new double[cols];
        double[] zi = new double[cols];
        for (int r = 0; r < rows; r += 2) {
            int oa = r * cols;
            int ob = oa + cols;
            boolean pair = r + 1 < rows;
            for (int c = 0; c < cols; c++) {
                zr[c] = in[oa + c];
                zi[c] = pair ? in[ob + c] : 0;
            }
            fr.transform(zr, zi, 0, 1, false);
            for (int k = 0; k <= halfCols; k++) {
                int nk = (cols - k) & (cols - 1);
                // A = (Z[k] + conj Z[-k]) / 2, B = (Z[k] - conj Z[-k]) / 2i
                re[oa + k] = 0.5 * (zr[k] + zr[nk]);
                im[oa + k] = 0.5 * (zi[k] - zi[nk]);
                if (pair) {
                    re[ob + k] = 0.5 * (zi[k] + zi[nk]);
                    im[ob + k] = -0.5 * (zr[k] - zr[nk]);
                }
            }
        }
        Fft fc = of(rows);
        double[] tr = new double[rows];
        double[] ti = new double[rows];
        for (int c = 0; c <= halfCols; c++) {
            for (int r = 0; r < rows; r++) {
                tr[r] = re[r * cols + c];
                ti[r] = im[r * cols + c];
            }
            fc.transform(tr, ti, 0, 1, false);
            for (int r = 0; r < rows; r++) {
                re[r * cols + c] = tr[r];
                im[r * cols + c] = ti[r];
            }
        }
        for (int r = 0; r < rows; r++) {
            int mr = ((rows - r) & (rows - 1)) * cols;
            int o = r * cols;
            for (int c = halfCols + 1; c < cols; c++) {
                re[o + c] = re[mr + cols - c];
                im[o + c] = -im[mr + cols - c];
            }
        }
    }
}
