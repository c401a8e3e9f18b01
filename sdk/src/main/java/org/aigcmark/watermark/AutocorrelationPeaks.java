package org.aigcmark.watermark;

import java.util.ArrayList;
import java.util.List;

/**
 * Lattice candidates from the peaks of the autocorrelation of the whitened spectrum: pairs of peaks forming a
 * near-square cell, for any geometry (shears and large rotations included), found when the mark is clear.
 */
final class AutocorrelationPeaks {
    private static final double MIN_LAG = 72;
    private static final double MAX_LAG = 252;

    private AutocorrelationPeaks() {}

    /** Autocorrelation of the spectrally whitened, band-limited spectrum: peaks on the mark's repetition lattice. */
    static Map autocorrelation(LatticeEstimator.Spectrum sp) {
        double[] g = new double[sp.r().length];
        for (int i = 0; i < g.length; i++) {
            g[i] = sp.r()[i] == 0 ? 0 : Math.max(0, Math.min(sp.r()[i], 25.0) - 1.0);
        }
        // g is real and even (a power spectrum), so its forward and inverse transforms are the same real map
        double[] re = new double[g.length];
        Fft.realForward2d(g, re, new double[g.length], sp.ny(), sp.nx());
        return new Map(re, sp.nx(), sp.ny());
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
}
