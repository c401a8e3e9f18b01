package org.aigcmark.watermark;

import java.util.List;

/**
 * Blind estimate of the repetition lattice of the mark (scale, rotation, aspect change, for crops at any offset), from
 * the whitened power spectrum of the centre patch of the working image, by two independent means:
 * <ul>
 *   <li><b>Comb search</b> ({@link CombSearch}): a marked image has a spectral line at B^-T k for every bin k of the
 *   tile's annulus, where B is the lattice. Summing the whitened power at those ~1 900 points scores a lattice
 *   hypothesis (about N(0,1) without a mark); a fine grid over the geometric changes of ordinary distribution (crops,
 *   rotations up to 12 degrees, aspect changes, crops with small rotations) finds the lattice even in dense texture,
 *   where few individual lines stand out.</li>
 *   <li><b>Autocorrelation peaks</b> ({@link AutocorrelationPeaks}): the inverse transform of the whitened power has
 *   peaks on the lattice; pairs of peaks forming a near-square cell are lattice candidates for any geometry, found when
 *   the mark is clear.</li>
 * </ul>
 * Both read the {@link Spectrum} made here; their hypotheses meet in one pool ({@link Scored}, {@link #isNew}). The
 * keyed correlation in {@link Decoder} then screens the candidates.
 */
final class LatticeEstimator {
    private static final double NOTCH_BINS = 1.5;

    private LatticeEstimator() {}

    /**
     * Power spectrum of the centre patch (zero-padded to a power of two, at most 1024 per side) divided by its 13x13
     * neighbourhood mean: about Exp(1) per bin where there is no mark, higher on the mark's spectral lines. Bins
     * outside 0.035..0.4 cycles/px and on the JPEG 8x8 grid harmonics are 0 (no information).
     *
     * @param r that ratio, or null when not asked for ({@link AutocorrelationPeaks} reads it, in {@code DEEP} only)
     * @param weights the {@link CombSearch}'s weight table made from the same ratios ({@link CombSearch#weight}):
     *     made here, in the pass that computes them, and not again by every comb on this spectrum (issue 17: a second
     *     pass over 512K doubles was 2 ms of every full search)
     */
    record Spectrum(double[] r, float[] weights, int nx, int ny) {}

    /** {@link #whitenedSpectrum(float[], int, int, double, boolean)} with the ratios kept. */
    static Spectrum whitenedSpectrum(float[] white, int w, int h, double blockPeriod) {
        return whitenedSpectrum(white, w, h, blockPeriod, true);
    }

    /** @param withRatio whether the spectrum keeps the ratios ({@link Spectrum#r}) besides the comb's weights */
    static Spectrum whitenedSpectrum(float[] white, int w, int h, double blockPeriod, boolean withRatio) {
        int nx = Math.min(1024, Integer.highestOneBit(Math.max(w, 2) * 2 - 1));
        int ny = Math.min(1024, Integer.highestOneBit(Math.max(h, 2) * 2 - 1));
        if (nx < 256 || ny < 256) {
            return null;
        }
        // float and cache-blocked (DetectionFft): a search reads this spectrum, nothing is embedded from it
        float[] p = DetectionFft.power(white, w, h, nx, ny);
        double[] r = withRatio ? new double[nx * ny] : null;
        float[] weights = new float[nx * ny];
        int[][] runs = informative(nx, ny, blockPeriod);
        // the 13x13 neighbourhood mean (circular): running sums along each row, then down each column; the ratio is
        // taken as the column sum passes, so no mean array is stored
        final int rad = 6;
        float[] t = new float[p.length];
        rowSums(p, t, nx, ny, rad);
        double norm = 1.0 / ((2 * rad + 1) * (2 * rad + 1));
        double[] col = new double[nx];
        for (int k = -rad; k <= rad; k++) {
            int row = (k & (ny - 1)) * nx;
            for (int x = 0; x < nx; x++) {
                col[x] += t[row + x];
            }
        }
        final float noLine = CombSearch.NO_LINE;
        for (int ky = 0; ky < ny; ky++) {
            int row = ky * nx;
            int[] run = runs[ky];
            int done = 0;
            for (int j = 0; j < run.length; j += 2) {
                java.util.Arrays.fill(weights, row + done, row + run[j], noLine);
                // CombSearch.weight of each ratio, written out in two loops: the JIT vectorises the first (with the
                // test for a ratio of 0 inside, the loop was scalar: 3 ns a bin, 1 ms of every full search); a ratio
                // is 0 exactly where the power is. With the ratios kept, the weights are made from them (the same
                // doubles), not from a second division
                if (r != null) {
                    for (int kx = run[j]; kx < run[j + 1]; kx++) {
                        r[row + kx] = p[row + kx] / (col[kx] * norm + 1e-12);
                    }
                    for (int kx = run[j]; kx < run[j + 1]; kx++) {
                        weights[row + kx] = (float) (Math.min(r[row + kx], 25.0) - 1.0);
                    }
                } else {
                    for (int kx = run[j]; kx < run[j + 1]; kx++) {
                        weights[row + kx] = (float) (Math.min(p[row + kx] / (col[kx] * norm + 1e-12), 25.0) - 1.0);
                    }
                }
                for (int kx = run[j]; kx < run[j + 1]; kx++) {
                    if (p[row + kx] == 0) {
                        weights[row + kx] = noLine;
                    }
                }
                done = run[j + 1];
            }
            java.util.Arrays.fill(weights, row + done, row + nx, noLine);
            int add = ((ky + rad + 1) & (ny - 1)) * nx;
            int sub = ((ky - rad) & (ny - 1)) * nx;
            for (int x = 0; x < nx; x++) {
                col[x] += (double) t[add + x] - t[sub + x];
            }
        }
        return new Spectrum(r, weights, nx, ny);
    }

    /**
     * Circular running sums of radius {@code rad} along each row of p into t. A running sum is one chain of dependent
     * additions: four rows side by side keep the core busy (each row's sums are the same operations in the same order
     * as one row at a time; one row at a time was about 1 ms of the 1024 x 512 spectrum).
     */
    private static void rowSums(float[] p, float[] t, int nx, int ny, int rad) {
        int m = nx - 1;
        int y = 0;
        for (; y + 4 <= ny; y += 4) {
            int r0 = y * nx;
            int r1 = r0 + nx;
            int r2 = r1 + nx;
            int r3 = r2 + nx;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int k = -rad; k <= rad; k++) {
                int c = k & m;
                s0 += p[r0 + c];
                s1 += p[r1 + c];
                s2 += p[r2 + c];
                s3 += p[r3 + c];
            }
            for (int x = 0; x < nx; x++) {
                t[r0 + x] = (float) s0;
                t[r1 + x] = (float) s1;
                t[r2 + x] = (float) s2;
                t[r3 + x] = (float) s3;
                int a = (x + rad + 1) & m;
                int b = (x - rad) & m;
                s0 += p[r0 + a];
                s0 -= p[r0 + b];
                s1 += p[r1 + a];
                s1 -= p[r1 + b];
                s2 += p[r2 + a];
                s2 -= p[r2 + b];
                s3 += p[r3 + a];
                s3 -= p[r3 + b];
            }
        }
        for (; y < ny; y++) {
            int row = y * nx;
            double s = 0;
            for (int k = -rad; k <= rad; k++) {
                s += p[row + (k & m)];
            }
            for (int x = 0; x < nx; x++) {
                t[row + x] = (float) s;
                s += p[row + ((x + rad + 1) & m)];
                s -= p[row + ((x - rad) & m)];
            }
        }
    }

    /** The informative bins of the last spectrum size ({@link #informative}): immutable, so shared between threads. */
    private record Informative(int nx, int ny, double blockPeriod, int[][] runs) {}

    private static volatile Informative lastInformative;

    /**
     * The bins that carry information, per row ky: runs {from, to, from, to, ...} of kx (0.035..0.4 cycles/px, off the
     * JPEG grid harmonics). The same for every image of one size, so made once per size (the last size is kept): the
     * ratio loop then runs over whole runs without a test per bin (issue 17).
     */
    static int[][] informative(int nx, int ny, double blockPeriod) {
        Informative last = lastInformative;
        if (last != null && last.nx() == nx && last.ny() == ny && last.blockPeriod() == blockPeriod) {
            return last.runs();
        }
        double[] fx = new double[nx];
        boolean[] outX = new boolean[nx];
        for (int kx = 0; kx < nx; kx++) {
            fx[kx] = (kx < nx / 2 ? kx : kx - nx) / (double) nx;
            outX[kx] = onGrid(fx[kx], blockPeriod, nx);
        }
        int[][] runs = new int[ny][];
        int[] buf = new int[nx + 2];
        for (int ky = 0; ky < ny; ky++) {
            double fy = (ky < ny / 2 ? ky : ky - ny) / (double) ny;
            int n = 0;
            if (!onGrid(fy, blockPeriod, ny) && Math.abs(fy) <= 0.4) {
                boolean in = false;
                for (int kx = 0; kx < nx; kx++) {
                    double f2 = fx[kx] * fx[kx] + fy * fy;
                    boolean info = !(outX[kx] || f2 < 0.035 * 0.035 || f2 > 0.4 * 0.4);
                    if (info != in) {
                        buf[n++] = kx;
                        in = info;
                    }
                }
                if (in) {
                    buf[n++] = nx;
                }
            }
            runs[ky] = java.util.Arrays.copyOf(buf, n);
        }
        lastInformative = new Informative(nx, ny, blockPeriod, runs);
        return runs;
    }

    /** True when frequency f (cycles/px) is within 1.5 bins of a non-zero harmonic of 1/period. */
    private static boolean onGrid(double f, double period, int n) {
        double h = Math.abs(f) * period;
        double m = Math.rint(h);
        return m >= 1 && Math.abs(h - m) < NOTCH_BINS * period / n;
    }

    /** A lattice hypothesis {v1x, v1y, v2x, v2y} and its comb score (about N(0,1) where there is no mark). */
    record Scored(double[] lattice, double z) {}

    static boolean isNew(List<Scored> out, double[] lat) {
        for (Scored o : out) {
            if (close(o.lattice(), lat, 0.01)) {
                return false;
            }
        }
        return true;
    }

    private static boolean close(double[] a, double[] b, double rel) {
        double len = Math.hypot(a[0], a[1]);
        return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) + Math.abs(a[3] - b[3]) < rel * len * 2;
    }
}
