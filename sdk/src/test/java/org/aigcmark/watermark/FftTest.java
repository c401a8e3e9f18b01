package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FftTest {
    @Test
    void realForwardMatchesTheComplexTransform() {
        Random rnd = new Random(7);
        for (int[] size : new int[][] {{2, 2}, {8, 4}, {16, 64}, {256, 128}}) {
            int rows = size[0];
            int cols = size[1];
            double[] in = new double[rows * cols];
            for (int i = 0; i < in.length; i++) {
                in[i] = rnd.nextGaussian();
            }
            double[] re = in.clone();
            double[] im = new double[in.length];
            Fft.transform2d(re, im, rows, cols, false);
            double[] fr = new double[in.length];
            double[] fi = new double[in.length];
            Fft.realForward2d(in, fr, fi, rows, cols);
            for (int i = 0; i < in.length; i++) {
                assertEquals(re[i], fr[i], 1e-9 * Math.sqrt(in.length), "re at " + i + " for " + rows + "x" + cols);
                assertEquals(im[i], fi[i], 1e-9 * Math.sqrt(in.length), "im at " + i + " for " + rows + "x" + cols);
            }
        }
    }

    @Test
    void inverseOfAnEvenRealArrayIsItsForwardTransform() {
        // the autocorrelation relies on this: a power spectrum is real and even
        int rows = 32;
        int cols = 16;
        double[] g = new double[rows * cols];
        Random rnd = new Random(3);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                double v = rnd.nextDouble();
                g[y * cols + x] = v;
                g[((rows - y) % rows) * cols + (cols - x) % cols] = v;
            }
        }
        double[] re = g.clone();
        double[] im = new double[g.length];
        Fft.transform2d(re, im, rows, cols, true);
        double[] fr = new double[g.length];
        Fft.realForward2d(g, fr, new double[g.length], rows, cols);
        for (int i = 0; i < g.length; i++) {
            assertEquals(re[i], fr[i], 1e-9, "at " + i);
            assertEquals(0, im[i], 1e-9, "imaginary part at " + i);
        }
    }

    /**
     * The 2-D passes run as butterflies across whole rows for speed; they must give exactly the numbers of the plain
     * row-by-row and column-by-column 1-D transforms (the embedded tile comes from this FFT: marked files stay the
     * same bytes).
     */
    /**
     * The keyed correlations' transform skips the rows outside the tile's band (all zero there): the same values as
     * the full transform, a zero's sign aside (assertEquals with delta 0 takes -0.0 for 0.0), forward and inverse.
     */
    @Test
    void bandTransformEqualsTheFullTransformOfABandLimitedArray() {
        Random r = new Random(5);
        int n = 128;
        int band = KeyedTile.BAND_MAX;
        for (boolean inverse : new boolean[] {false, true}) {
            double[] re = new double[n * n];
            double[] im = new double[n * n];
            for (int y = 0; y < n; y++) {
                if (y > band && y < n - band) {
                    continue;
                }
                for (int x = 0; x < n; x++) {
                    re[y * n + x] = r.nextGaussian();
                    im[y * n + x] = r.nextGaussian();
                }
            }
            double[] fr = re.clone();
            double[] fi = im.clone();
            Fft.transform2d(fr, fi, n, n, inverse);
            Fft.transform2dBand(re, im, n, inverse, band);
            for (int i = 0; i < re.length; i++) {
                assertEquals(fr[i], re[i], 0.0, "re " + i);
                assertEquals(fi[i], im[i], 0.0, "im " + i);
            }
        }
    }

    /** The folds' forward transform for the band's columns only: those columns bit for bit as the full one's. */
    @Test
    void bandRealForwardEqualsTheFullOneInTheBand() {
        Random r = new Random(6);
        int n = 128;
        int band = KeyedTile.BAND_MAX;
        double[] in = new double[n * n];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextGaussian();
        }
        double[] fr = new double[n * n];
        double[] fi = new double[n * n];
        double[] br = new double[n * n];
        double[] bi = new double[n * n];
        Fft.realForward2d(in, fr, fi, n, n);
        Fft.realForward2d(in, br, bi, n, n, band);
        for (int i = 0; i < in.length; i++) {
            int kx = i % n > n / 2 ? i % n - n : i % n;
            if (Math.abs(kx) <= band) {
                assertEquals(Double.doubleToLongBits(fr[i]), Double.doubleToLongBits(br[i]), "re " + i);
                assertEquals(Double.doubleToLongBits(fi[i]), Double.doubleToLongBits(bi[i]), "im " + i);
            }
        }
    }

    @Test
    void twoDimensionalTransformsAreBitIdenticalToOneDimensionalPasses() {
        Random rnd = new Random(11);
        for (int[] size : new int[][] {{128, 128}, {512, 1024}, {4, 16}, {64, 8}}) {
            int rows = size[0];
            int cols = size[1];
            double[] in = new double[rows * cols];
            double[] inIm = new double[rows * cols];
            for (int i = 0; i < in.length; i++) {
                in[i] = rnd.nextGaussian();
                inIm[i] = rnd.nextGaussian();
            }
            for (boolean inverse : new boolean[] {false, true}) {
                double[] re = in.clone();
                double[] im = inIm.clone();
                Fft.transform2d(re, im, rows, cols, inverse);
                double[] rr = in.clone();
                double[] ri = inIm.clone();
                byPasses(rr, ri, rows, cols, inverse);
                for (int i = 0; i < in.length; i++) {
                    assertEquals(Double.doubleToLongBits(rr[i]), Double.doubleToLongBits(re[i]), "re at " + i);
                    assertEquals(Double.doubleToLongBits(ri[i]), Double.doubleToLongBits(im[i]), "im at " + i);
                }
            }
            double[] fr = new double[in.length];
            double[] fi = new double[in.length];
            Fft.realForward2d(in, fr, fi, rows, cols);
            double[] rr = new double[in.length];
            double[] ri = new double[in.length];
            realByPasses(in, rr, ri, rows, cols);
            for (int i = 0; i < in.length; i++) {
                assertEquals(Double.doubleToLongBits(rr[i]), Double.doubleToLongBits(fr[i]), "real re at " + i);
                assertEquals(Double.doubleToLongBits(ri[i]), Double.doubleToLongBits(fi[i]), "real im at " + i);
            }
        }
    }

    /** The former transform2d: 1-D transforms of every row, then of every column. */
    private static void byPasses(double[] re, double[] im, int rows, int cols, boolean inverse) {
        for (int r = 0; r < rows; r++) {
            oneDimensional(re, im, r * cols, 1, cols, inverse);
        }
        for (int c = 0; c < cols; c++) {
            oneDimensional(re, im, c, cols, rows, inverse);
        }
    }

    /** The former realForward2d: rows in pairs through one complex transform, then the non-redundant columns. */
    private static void realByPasses(double[] in, double[] re, double[] im, int rows, int cols) {
        int halfCols = cols / 2;
        double[] zr = new double[cols];
        double[] zi = new double[cols];
        for (int r = 0; r < rows; r += 2) {
            int oa = r * cols;
            int ob = oa + cols;
            System.arraycopy(in, oa, zr, 0, cols);
            System.arraycopy(in, ob, zi, 0, cols);
            oneDimensional(zr, zi, 0, 1, cols, false);
            for (int k = 0; k <= halfCols; k++) {
                int nk = (cols - k) & (cols - 1);
                re[oa + k] = 0.5 * (zr[k] + zr[nk]);
                im[oa + k] = 0.5 * (zi[k] - zi[nk]);
                re[ob + k] = 0.5 * (zi[k] + zi[nk]);
                im[ob + k] = -0.5 * (zr[k] - zr[nk]);
            }
        }
        for (int c = 0; c <= halfCols; c++) {
            oneDimensional(re, im, c, cols, rows, false);
        }
        for (int r = 0; r < rows; r++) {
            int mr = ((rows - r) & (rows - 1)) * cols;
            for (int c = halfCols + 1; c < cols; c++) {
                re[r * cols + c] = re[mr + cols - c];
                im[r * cols + c] = -im[mr + cols - c];
            }
        }
    }

    /**
     * The reference: an in-place radix-2 transform of {@code n} elements from {@code off} with a stride (bit reversal,
     * then butterflies, twiddles cos/sin(2 pi i / n)); the product's 2-D passes must give exactly its numbers.
     */
    static void oneDimensional(double[] re, double[] im, int off, int stride, int n, boolean inverse) {
        int bits = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) {
            int j = Integer.reverse(i) >>> (32 - bits);
            if (j > i) {
                int a = off + i * stride;
                int b = off + j * stride;
                double t = re[a];
                re[a] = re[b];
                re[b] = t;
                t = im[a];
                im[a] = im[b];
                im[b] = t;
            }
        }
        double sign = inverse ? 1.0 : -1.0;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = Math.cos(2 * Math.PI * (k * step) / n);
                    double wi = sign * Math.sin(2 * Math.PI * (k * step) / n);
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
}
