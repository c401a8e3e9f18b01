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
     */
    record Spectrum(double[] r, int nx, int ny) {}

    static Spectrum whitenedSpectrum(float[] white, int w, int h, double blockPeriod) {
        int nx = Math.min(1024, Integer.highestOneBit(Math.max(w, 2) * 2 - 1));
        int ny = Math.min(1024, Integer.highestOneBit(Math.max(h, 2) * 2 - 1));
        if (nx < 256 || ny < 256) {
            return null;
        }
        // float and cache-blocked (DetectionFft): a search reads this spectrum, nothing is embedded from it
        float[] p = DetectionFft.power(white, w, h, nx, ny);
        double[] r = new double[nx * ny];
        double[] fx = new double[nx];
        boolean[] outX = new boolean[nx];
        for (int kx = 0; kx < nx; kx++) {
            fx[kx] = (kx < nx / 2 ? kx : kx - nx) / (double) nx;
            outX[kx] = onGrid(fx[kx], blockPeriod, nx);
        }
        // the 13x13 neighbourhood mean (circular): running sums along each row, then down each column; the ratio is
        // taken as the column sum passes, so no mean array is stored
        final int rad = 6;
        float[] t = new float[p.length];
        for (int y = 0; y < ny; y++) {
            int row = y * nx;
            double s = 0;
            for (int k = -rad; k <= rad; k++) {
                s += p[row + (k & (nx - 1))];
            }
            for (int x = 0; x < nx; x++) {
                t[row + x] = (float) s;
                s += p[row + ((x + rad + 1) & (nx - 1))];
                s -= p[row + ((x - rad) & (nx - 1))];
            }
        }
        double norm = 1.0 / ((2 * rad + 1) * (2 * rad + 1));
        double[] col = new double[nx];
        for (int k = -rad; k <= rad; k++) {
            int row = (k & (ny - 1)) * nx;
            for (int x = 0; x < nx; x++) {
                col[x] += t[row + x];
            }
        }
        for (int ky = 0; ky < ny; ky++) {
            double fy = (ky < ny / 2 ? ky : ky - ny) / (double) ny;
            boolean gridY = onGrid(fy, blockPeriod, ny);
            int row = ky * nx;
            if (!gridY && Math.abs(fy) <= 0.4) {
                for (int kx = 0; kx < nx; kx++) {
                    double f2 = fx[kx] * fx[kx] + fy * fy;
                    r[row + kx] = outX[kx] || f2 < 0.035 * 0.035 || f2 > 0.4 * 0.4 ? 0 : p[row + kx] / (col[kx] * norm + 1e-12);
                }
            }
            int add = ((ky + rad + 1) & (ny - 1)) * nx;
            int sub = ((ky - rad) & (ny - 1)) * nx;
            for (int x = 0; x < nx; x++) {
                col[x] += (double) t[add + x] - t[sub + x];
            }
        }
        return new Spectrum(r, nx, ny);
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
