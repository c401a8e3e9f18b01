package org.aigcmark.watermark;

import java.util.ArrayList;
import java.util.List;

/**
 * Blind estimate of the repetition lattice of the mark (scale, rotation, aspect change, for crops at any offset), from
 * the whitened power spectrum of the centre patch of the working image, by two independent means:
 * <ul>
 *   <li><b>Comb search</b>: a marked image has a spectral line at B^-T k for every bin k of the tile's annulus, where B
 *   is the lattice. Summing the whitened power at those ~1 900 points scores a lattice hypothesis (about N(0,1) without
 *   a mark); a fine grid over the geometric changes of ordinary distribution (crops, rotations up to 12 degrees, aspect
 *   changes, crops with small rotations) finds the lattice even in dense texture, where few individual lines stand
 *   out.</li>
 *   <li><b>Autocorrelation peaks</b>: the inverse transform of the whitened power has peaks on the lattice; pairs of
 *   peaks forming a near-square cell are lattice candidates for any geometry, found when the mark is clear.</li>
 * </ul>
 * The keyed correlation in {@link Decoder} then screens the candidates.
 */
final class LatticeEstimator {
    private static final double MIN_LAG = 72;
    private static final double NOTCH_BINS = 1.5;
    private static final double MAX_LAG = 252;

    private LatticeEstimator() {}

    /** Autocorrelation of the spectrally whitened, band-limited spectrum: peaks on the mark's repetition lattice. */
    static Map autocorrelation(Spectrum sp) {
        double[] g = new double[sp.r.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = sp.r[i] == 0 ? 0 : Math.max(0, Math.min(sp.r[i], 25.0) - 1.0);
        }
        // g is real and even (a power spectrum), so its forward and inverse transforms are the same real map
        double[] re = new double[g.length];
        Fft.realForward2d(g, re, new double[g.length], sp.ny, sp.nx);
        return new Map(re, sp.nx, sp.ny);
    }

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
        int pw = Math.min(nx, w);
        int ph = Math.min(ny, h);
        int ox = (w - pw) / 2;
        int oy = (h - ph) / 2;
        double[] patch = new double[nx * ny];
        for (int y = 0; y < ph; y++) {
            int so = (oy + y) * w + ox;
            int o = y * nx;
            for (int x = 0; x < pw; x++) {
                patch[o + x] = white[so + x];
            }
        }
        double[] re = new double[nx * ny];
        double[] im = new double[nx * ny];
        Fft.realForward2d(patch, re, im, ny, nx);
        double[] p = new double[nx * ny];
        for (int i = 0; i < p.length; i++) {
            p[i] = re[i] * re[i] + im[i] * im[i];
        }
        double[] s = circularBox(p, nx, ny, 6);
        double[] r = re; // reuse
        double[] fx = new double[nx];
        boolean[] gridX = new boolean[nx];
        for (int kx = 0; kx < nx; kx++) {
            fx[kx] = (kx < nx / 2 ? kx : kx - nx) / (double) nx;
            gridX[kx] = onGrid(fx[kx], blockPeriod, nx);
        }
        for (int ky = 0; ky < ny; ky++) {
            double fy = (ky < ny / 2 ? ky : ky - ny) / (double) ny;
            boolean gridY = onGrid(fy, blockPeriod, ny);
            for (int kx = 0; kx < nx; kx++) {
                int i = ky * nx + kx;
                double f2 = fx[kx] * fx[kx] + fy * fy;
                r[i] = gridY || gridX[kx] || f2 < 0.035 * 0.035 || f2 > 0.4 * 0.4 ? 0 : p[i] / (s[i] + 1e-12);
            }
        }
        return new Spectrum(r, nx, ny);
    }

    // ------------------------------------------------------------------------------------------- comb search

    /**
     * Half-plane bins of the mark's annulus in tile frequency units: where the tile has energy. A lattice B (columns
     * v1, v2 in working px) puts bin k at frequency B^-T k cycles/px, so the spectrum of a marked image has a line at
     * every such point. All bins have unit magnitude whatever the key and payload, so this search needs no key.
     */
    private static final float[] ANNULUS_KX;
    private static final float[] ANNULUS_KY;

    static {
        List<float[]> ks = new ArrayList<>();
        for (int y = 0; y <= KeyedTile.BAND_MAX; y++) {
            for (int x = -KeyedTile.BAND_MAX; x <= KeyedTile.BAND_MAX; x++) {
                double r = Math.sqrt(x * x + y * y);
                if ((y > 0 || x > 0) && r >= KeyedTile.BAND_MIN && r <= KeyedTile.BAND_MAX) {
                    ks.add(new float[] {x, y});
                }
            }
        }
        ANNULUS_KX = new float[ks.size()];
        ANNULUS_KY = new float[ks.size()];
        for (int i = 0; i < ks.size(); i++) {
            ANNULUS_KX[i] = ks.get(i)[0];
            ANNULUS_KY[i] = ks.get(i)[1];
        }
    }

    /** A lattice hypothesis {v1x, v1y, v2x, v2y} and its comb score (about N(0,1) where there is no mark). */
    record Scored(double[] lattice, double z) {}

    /**
     * The whitened spectrum turned into comb weights: min(r, 25) - 1 where the bin carries information (mean about 0,
     * variance about 1 without a mark), 0 elsewhere.
     */
    static final class Comb {
        private final float[] q;
        private final boolean[] valid;
        private final int nx;
        private final int ny;
        private int evaluations;

        Comb(Spectrum sp) {
            nx = sp.nx;
            ny = sp.ny;
            q = new float[sp.r.length];
            valid = new boolean[sp.r.length];
            for (int i = 0; i < q.length; i++) {
                if (sp.r[i] != 0) {
                    q[i] = (float) (Math.min(sp.r[i], 25.0) - 1.0);
                    valid[i] = true;
                }
            }
        }

        int evaluations() {
            return evaluations;
        }

        /**
         * Sum of the weights at the mark's spectral lines for lattice {v1x, v1y, v2x, v2y}, normalised by the number of
         * informative lines: incoherent (power only), so it is blind to translation and key, and weaker than the
         * keyed correlation; it ranks lattice hypotheses cheaply before the keyed screening.
         */
        double z(double[] lat) {
            evaluations++;
            double det = lat[0] * lat[3] - lat[1] * lat[2];
            if (Math.abs(det) < 1) {
                return 0;
            }
            // bin position u = diag(nx, ny) B^-T k, offset by a multiple of the size so truncation rounds and the mask wraps
            float axx = (float) (lat[3] / det * nx);
            float axy = (float) (-lat[1] / det * nx);
            float ayx = (float) (-lat[2] / det * ny);
            float ayy = (float) (lat[0] / det * ny);
            float offX = nx * 64 + 0.5f;
            float offY = ny * 64 + 0.5f;
            int mx = nx - 1;
            int my = ny - 1;
            double sum = 0;
            int n = 0;
            float[] kxs = ANNULUS_KX;
            float[] kys = ANNULUS_KY;
            for (int i = 0; i < kxs.length; i++) {
                float kx = kxs[i];
                float ky = kys[i];
                int ix = (int) (axx * kx + axy * ky + offX) & mx;
                int iy = (int) (ayx * kx + ayy * ky + offY) & my;
                int b = iy * nx + ix;
                if (valid[b]) {
                    sum += q[b];
                    n++;
                }
            }
            return n < 64 ? 0 : sum / Math.sqrt(n);
        }

        /** Coordinate search on the four lattice coordinates, steps relative to the lattice size. */
        Scored refine(double[] lat, double z) {
            double[] cur = lat.clone();
            double curZ = z;
            double len = Math.sqrt(Math.abs(lat[0] * lat[3] - lat[1] * lat[2]));
            for (double step : new double[] {0.003, 0.0015, 0.0007}) {
                boolean improved = true;
                for (int round = 0; improved && round < 4; round++) {
                    improved = false;
                    for (int k = 0; k < 4; k++) {
                        for (int sgn = -1; sgn <= 1; sgn += 2) {
                            double[] cand = cur.clone();
                            cand[k] += sgn * step * len;
                            double cz = z(cand);
                            if (cz > curZ) {
                                curZ = cz;
                                cur = cand;
                                improved = true;
                            }
                        }
                    }
                }
            }
            return new Scored(cur, curZ);
        }
    }

    /** Lattice of period p rotated by theta (radians) with axis scales ax, ay: {v1x, v1y, v2x, v2y}. */
    static double[] lattice(double p, double theta, double ax, double ay) {
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        return new double[] {p * ax * c, p * ax * s, -p * ay * s, p * ay * c};
    }

    /**
     * Comb search over the geometric changes that ordinary distribution makes: crops (the period grows relative to the
     * shorter side), rotations, aspect changes, and crops combined with a small rotation. Steps are fine enough that
     * the true lattice is always within a fraction of a spectral bin of a grid point at the top of the band. Returns
     * the best hypotheses (locally refined, distinct), best first.
     */
    static List<Scored> combSearch(Comb comb, double basePeriod, int max) {
        List<Scored> all = new ArrayList<>();
        // at the band's top a lattice error of e (relative) moves a line by e * 36 / period * n bins; the grid keeps that
        // under about half a bin. Larger periods put the lines closer to the origin, so the steps grow with the scale.
        double step = 0.0025;
        double small = Math.toRadians(1.5);
        // crop (+ small rotation): the period grows relative to the shorter side, here by 0.97 .. 2.7
        for (double s = 0.97; s <= 2.7; s *= 1 + step * s) {
            double dt = step * s;
            for (double t = -small; t <= small + 1e-9; t += dt) {
                add(all, comb, lattice(basePeriod * s, t, 1, 1));
            }
        }
        // rotation (the image keeps its size): up to +-12 degrees
        for (double t = small + step; t <= Math.toRadians(12.0); t += step) {
            add(all, comb, lattice(basePeriod, t, 1, 1));
            add(all, comb, lattice(basePeriod, -t, 1, 1));
        }
        // aspect change of either axis
        for (double a = 0.7; a <= 1.43; a *= 1 + step) {
            add(all, comb, lattice(basePeriod, 0, a, 1));
            add(all, comb, lattice(basePeriod, 0, 1, a));
        }
        all.sort((x, y) -> Double.compare(y.z(), x.z()));
        List<Scored> out = new ArrayList<>();
        for (Scored c : all) {
            if (out.size() >= max) {
                break;
            }
            if (isNew(out, c.lattice())) {
                Scored r = comb.refine(c.lattice(), c.z());
                if (isNew(out, r.lattice())) {
                    out.add(r);
                }
            }
        }
        out.sort((x, y) -> Double.compare(y.z(), x.z()));
        return out;
    }

    private static void add(List<Scored> all, Comb comb, double[] lat) {
        all.add(new Scored(lat, comb.z(lat)));
    }

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

    private static void addUnique(List<double[]> out, double[] lat) {
        for (double[] o : out) {
            if (Math.abs(o[0] - lat[0]) + Math.abs(o[1] - lat[1]) + Math.abs(o[2] - lat[2]) + Math.abs(o[3] - lat[3]) < 4) {
                return;
            }
        }
        out.add(lat);
    }

    private static boolean nearGrid(double x, double y, double period) {
        if (period < 5) {
            return false;
        }
        double gx = x / period;
        double gy = y / period;
        return Math.abs(gx - Math.rint(gx)) * period < 1.0 && Math.abs(gy - Math.rint(gy)) * period < 1.0;
    }

    /** True when frequency f (cycles/px) is within 1.5 bins of a non-zero harmonic of 1/period. */
    private static boolean onGrid(double f, double period, int n) {
        double h = Math.abs(f) * period;
        double m = Math.rint(h);
        return m >= 1 && Math.abs(h - m) < NOTCH_BINS * period / n;
    }

    /** Autocorrelation-like map with cyclic indexing. */
    record Map(double[] v, int nx, int ny) {
        double at(int x, int y) {
            return v[(y & (ny - 1)) * nx + (x & (nx - 1))];
        }
    }

    static List<double[]> fromMap(Map map, int maxCandidates, double blockPeriod) {
        double maxLag = Math.min(MAX_LAG, Math.min(map.nx, map.ny) / 2.0 - 4);
        // local maxima in the half plane
        List<double[]> peaks = new ArrayList<>();
        int lim = (int) Math.ceil(maxLag);
        for (int ly = 0; ly <= lim; ly++) {
            for (int lx = -lim; lx <= lim; lx++) {
                if (ly == 0 && lx <= 0) {
                    continue;
                }
                double len = Math.sqrt(lx * lx + ly * ly);
                if (len < MIN_LAG || len > maxLag) {
                    continue;
                }
                double v = map.at(lx, ly);
                boolean max = true;
                for (int dy = -1; dy <= 1 && max; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if ((dx != 0 || dy != 0) && map.at(lx + dx, ly + dy) > v) {
                            max = false;
                            break;
                        }
                    }
                }
                // JPEG's 8x8 blocks leave autocorrelation peaks on their own grid; a mark lattice vector sits that
                // close to the grid in both coordinates only rarely
                if (max && !nearGrid(lx, ly, blockPeriod)) {
                    peaks.add(new double[] {lx, ly, v});
                }
            }
        }
        peaks.sort((a, b) -> Double.compare(b[2], a[2]));
        if (WatermarkExtractor.DEBUG) {
            StringBuilder sb = new StringBuilder("peaks:");
            for (int i = 0; i < Math.min(24, peaks.size()); i++) {
                sb.append(String.format(" (%.0f,%.0f)=%.3g", peaks.get(i)[0], peaks.get(i)[1], peaks.get(i)[2]));
            }
            System.err.println(sb);
        }
        if (peaks.size() > 16) {
            peaks = new ArrayList<>(peaks.subList(0, 16));
        }
        // the mark's lattice is square (or, after an aspect change, rectangular): for each strong peak also look for
        // the best partner along its perpendicular, which may be too weak to be among the top peaks itself
        int top = peaks.size();
        List<double[]> partnerPairs = new ArrayList<>(); // {score, i, j}
        for (int i = 0; i < Math.min(top, 12); i++) {
            double[] a = peaks.get(i);
            double la = Math.hypot(a[0], a[1]);
            double px = -a[1] / la;
            double py = a[0] / la;
            double bestV = Double.NEGATIVE_INFINITY;
            int bx = 0;
            int by = 0;
            for (double len = 0.6 * la; len <= Math.min(maxLag, la / 0.6); len += 1.0) {
                for (int side = -1; side <= 1; side += 2) {
                    int x = (int) Math.round(side * px * len);
                    int y = (int) Math.round(side * py * len);
                    if (y < 0 || (y == 0 && x <= 0)) {
                        continue;
                    }
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            double v = map.at(x + dx, y + dy);
                            if (v > bestV && !nearGrid(x + dx, y + dy, blockPeriod)) {
                                bestV = v;
                                bx = x + dx;
                                by = y + dy;
                            }
                        }
                    }
                }
            }
            if (bestV > 0 && !(bx == 0 && by == 0)) {
                peaks.add(new double[] {bx, by, bestV});
                double[] b = peaks.get(peaks.size() - 1);
                partnerPairs.add(new double[] {a[2] + b[2]
                        + 0.5 * (interp(map, a[0] + b[0], a[1] + b[1]) + interp(map, a[0] - b[0], a[1] - b[1])), i, peaks.size() - 1});
            }
        }
        List<double[]> pairs = new ArrayList<>(); // {score, i, j}
        for (int i = 0; i < peaks.size(); i++) {
            for (int j = i + 1; j < peaks.size(); j++) {
                double[] a = peaks.get(i);
                double[] b = peaks.get(j);
                if (a[0] == b[0] && a[1] == b[1]) {
                    continue;
                }
                double la = Math.hypot(a[0], a[1]);
                double lb = Math.hypot(b[0], b[1]);
                double ratio = la / lb;
                if (ratio < 0.6 || ratio > 1 / 0.6) {
                    continue;
                }
                double cos = (a[0] * b[0] + a[1] * b[1]) / (la * lb);
                if (Math.abs(cos) > 0.5) {
                    continue;
                }
                double score = a[2] + b[2]
                        + 0.5 * (interp(map, a[0] + b[0], a[1] + b[1]) + interp(map, a[0] - b[0], a[1] - b[1]));
                pairs.add(new double[] {score, i, j});
            }
        }
        pairs.addAll(partnerPairs);
        pairs.sort((x, y) -> Double.compare(y[0], x[0]));
        List<double[]> out = new ArrayList<>();
        for (double[] pr : pairs) {
            if (out.size() >= maxCandidates) {
                break;
            }
            // both the pair as found and its reduction to a finer lattice; screening decides
            addUnique(out, lattice(map, peaks.get((int) pr[1]), peaks.get((int) pr[2]), false));
            addUnique(out, lattice(map, peaks.get((int) pr[1]), peaks.get((int) pr[2]), true));
        }
        return out;
    }

    private static double[] lattice(Map map, double[] bestA, double[] bestB, boolean reduce) {
        double[] a = {bestA[0], bestA[1]};
        double[] b = {bestB[0], bestB[1]};
        // the diagonals of a square cell also form a square cell (of twice the area): reduce to the finer lattice
        // when its half-diagonal points are peaks too
        for (int iter = 0; iter < (reduce ? 2 : 0); iter++) {
            double[] h1 = subpixelPeak(map, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
            double[] h2 = subpixelPeak(map, (a[0] - b[0]) / 2, (a[1] - b[1]) / 2);
            if (h1 == null || h2 == null) {
                break;
            }
            double ref = Math.min(bestA[2], bestB[2]);
            double l1 = Math.hypot(h1[0], h1[1]);
            double l2 = Math.hypot(h2[0], h2[1]);
            if (l1 < MIN_LAG * 0.8 || l2 < MIN_LAG * 0.8
                    || interp(map, h1[0], h1[1]) < 0.4 * ref || interp(map, h2[0], h2[1]) < 0.4 * ref) {
                break;
            }
            a = h1;
            b = h2;
        }
        refine(map, a, b);
        // orient: v1 nearest +x, v2 nearest +y
        double[][] cands = {a, b, {-a[0], -a[1]}, {-b[0], -b[1]}};
        double[] v1 = cands[0];
        double[] v2 = cands[1];
        double bx = Double.NEGATIVE_INFINITY;
        double byv = Double.NEGATIVE_INFINITY;
        for (double[] c : cands) {
            double cx = c[0] / Math.hypot(c[0], c[1]);
            if (cx > bx) {
                bx = cx;
                v1 = c;
            }
        }
        for (double[] c : cands) {
            if (c == v1 || (c[0] == -v1[0] && c[1] == -v1[1])) {
                continue;
            }
            double cy = c[1] / Math.hypot(c[0], c[1]);
            if (cy > byv) {
                byv = cy;
                v2 = c;
            }
        }
        return new double[] {v1[0], v1[1], v2[0], v2[1]};
    }

    /** Least-squares fit of a, b to sub-pixel peaks at small integer combinations i*a + j*b. */
    private static void refine(Map map, double[] a, double[] b) {
        for (int iter = 0; iter < 2; iter++) {
            // normal equations for [a b] from points p = i a + j b
            double sii = 0, sij = 0, sjj = 0;
            double sipx = 0, sjpx = 0, sipy = 0, sjpy = 0;
            for (int i = -2; i <= 2; i++) {
                for (int j = -2; j <= 2; j++) {
                    if (i == 0 && j == 0) {
                        continue;
                    }
                    double px = i * a[0] + j * b[0];
                    double py = i * a[1] + j * b[1];
                    if (Math.abs(px) > map.nx / 2.0 - 3 || Math.abs(py) > map.ny / 2.0 - 3) {
                        continue;
                    }
                    double[] pk = subpixelPeak(map, px, py);
                    if (pk == null) {
                        continue;
                    }
                    double wgt = 1.0 / (i * i + j * j); // short vectors are less affected by wrap and decay
                    sii += wgt * i * i;
                    sij += wgt * i * j;
                    sjj += wgt * j * j;
                    sipx += wgt * i * pk[0];
                    sjpx += wgt * j * pk[0];
                    sipy += wgt * i * pk[1];
                    sjpy += wgt * j * pk[1];
                }
            }
            double det = sii * sjj - sij * sij;
            if (Math.abs(det) < 1e-9) {
                return;
            }
            a[0] = (sjj * sipx - sij * sjpx) / det;
            b[0] = (sii * sjpx - sij * sipx) / det;
            a[1] = (sjj * sipy - sij * sjpy) / det;
            b[1] = (sii * sjpy - sij * sipy) / det;
        }
    }

    /** Local maximum within +-2 of (px, py), refined with parabolas; null when it sits on the search border. */
    private static double[] subpixelPeak(Map map, double px, double py) {
        int cx = (int) Math.round(px);
        int cy = (int) Math.round(py);
        int bx = cx;
        int by = cy;
        double bv = Double.NEGATIVE_INFINITY;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                double v = map.at(cx + dx, cy + dy);
                if (v > bv) {
                    bv = v;
                    bx = cx + dx;
                    by = cy + dy;
                }
            }
        }
        if (bv <= 0) {
            return null;
        }
        double ox = parabola(map.at(bx - 1, by), bv, map.at(bx + 1, by));
        double oy = parabola(map.at(bx, by - 1), bv, map.at(bx, by + 1));
        return new double[] {bx + ox, by + oy};
    }

    private static double parabola(double a, double b, double c) {
        double den = a - 2 * b + c;
        if (den >= 0) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, 0.5 * (a - c) / den));
    }

    private static double interp(Map map, double x, double y) {
        return map.at((int) Math.round(x), (int) Math.round(y));
    }

    private static double[] circularBox(double[] p, int nx, int ny, int r) {
        double[] t = new double[p.length];
        double[] o = new double[p.length];
        for (int y = 0; y < ny; y++) {
            double s = 0;
            int row = y * nx;
            for (int k = -r; k <= r; k++) {
                s += p[row + (k & (nx - 1))];
            }
            for (int x = 0; x < nx; x++) {
                t[row + x] = s;
                s += p[row + ((x + r + 1) & (nx - 1))] - p[row + ((x - r) & (nx - 1))];
            }
        }
        double norm = 1.0 / ((2 * r + 1) * (2 * r + 1));
        double[] col = new double[nx];
        for (int k = -r; k <= r; k++) {
            int row = (k & (ny - 1)) * nx;
            for (int x = 0; x < nx; x++) {
                col[x] += t[row + x];
            }
        }
        for (int y = 0; y < ny; y++) {
            int add = ((y + r + 1) & (ny - 1)) * nx;
            int sub = ((y - r) & (ny - 1)) * nx;
            int row = y * nx;
            for (int x = 0; x < nx; x++) {
                o[row + x] = col[x] * norm;
                col[x] += t[add + x] - t[sub + x];
            }
        }
        return o;
    }
}
