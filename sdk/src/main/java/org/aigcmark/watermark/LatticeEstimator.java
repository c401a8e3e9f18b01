package org.aigcmark.watermark;

import java.util.ArrayList;
import java.util.List;

/**
 * Blind estimate of the repetition lattice of the mark: the tile repeats, so the (spectrally whitened)
 * autocorrelation of the whitened luma has peaks on the lattice. The two shortest peaks that form a near-square
 * cell give scale, rotation and aspect change; a least-squares fit over more lattice points refines them.
 * Works on a 2x-decimated 256x256 centre patch of the working image for speed.
 */
final class LatticeEstimator {
    static final int N = 256;
    private static final double MIN_LAG = 36;
    private static final double MAX_LAG = 126;

    private LatticeEstimator() {}

    /** Returns {v1x, v1y, v2x, v2y} in working pixels, v1 nearest the +x axis, v2 nearest +y; or null. */
    static double[] estimate(float[] white, int w, int h) {
        int hw = w / 2;
        int hh = h / 2;
        if (hw < 64 || hh < 64) {
            return null;
        }
        int pw = Math.min(N, hw);
        int ph = Math.min(N, hh);
        int ox = (hw - pw) / 2;
        int oy = (hh - ph) / 2;
        double[] re = new double[N * N];
        double[] im = new double[N * N];
        for (int y = 0; y < ph; y++) {
            int sy = 2 * (oy + y);
            for (int x = 0; x < pw; x++) {
                int sx = 2 * (ox + x);
                int i = sy * w + sx;
                re[y * N + x] = 0.25 * (white[i] + white[i + 1] + white[i + w] + white[i + w + 1]);
            }
        }
        Fft.transform2d(re, im, N, N, false);
        double[] p = new double[N * N];
        for (int i = 0; i < p.length; i++) {
            p[i] = re[i] * re[i] + im[i] * im[i];
        }
        double[] s = circularBox(p, N, 6);
        for (int ky = 0; ky < N; ky++) {
            int fy = ky < N / 2 ? ky : ky - N;
            for (int kx = 0; kx < N; kx++) {
                int fx = kx < N / 2 ? kx : kx - N;
                int i = ky * N + kx;
                double r = Math.sqrt(fx * fx + fy * fy);
                double v = r < 14 ? 0 : Math.min(p[i] / (s[i] + 1e-12), 25.0) - 1.0;
                re[i] = Math.max(0, v);
                im[i] = 0;
            }
        }
        Fft.transform2d(re, im, N, N, true);
        double[] map = re;
        // local maxima in the half plane
        List<double[]> peaks = new ArrayList<>();
        int lim = (int) Math.ceil(MAX_LAG);
        for (int ly = 0; ly <= lim; ly++) {
            for (int lx = -lim; lx <= lim; lx++) {
                if (ly == 0 && lx <= 0) {
                    continue;
                }
                double len = Math.sqrt(lx * lx + ly * ly);
                if (len < MIN_LAG || len > MAX_LAG) {
                    continue;
                }
                double v = at(map, lx, ly);
                boolean max = true;
                for (int dy = -1; dy <= 1 && max; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if ((dx != 0 || dy != 0) && at(map, lx + dx, ly + dy) > v) {
                            max = false;
                            break;
                        }
                    }
                }
                if (max) {
                    peaks.add(new double[] {lx, ly, v});
                }
            }
        }
        peaks.sort((a, b) -> Double.compare(b[2], a[2]));
        if (peaks.size() > 16) {
            peaks = peaks.subList(0, 16);
        }
        double bestScore = Double.NEGATIVE_INFINITY;
        double[] bestA = null;
        double[] bestB = null;
        for (int i = 0; i < peaks.size(); i++) {
            for (int j = i + 1; j < peaks.size(); j++) {
                double[] a = peaks.get(i);
                double[] b = peaks.get(j);
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
                if (score > bestScore) {
                    bestScore = score;
                    bestA = a;
                    bestB = b;
                }
            }
        }
        if (bestA == null) {
            return null;
        }
        double[] a = {bestA[0], bestA[1]};
        double[] b = {bestB[0], bestB[1]};
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
        return new double[] {2 * v1[0], 2 * v1[1], 2 * v2[0], 2 * v2[1]};
    }

    /** Least-squares fit of a, b to sub-pixel peaks at small integer combinations i*a + j*b. */
    private static void refine(double[] map, double[] a, double[] b) {
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
                    if (Math.abs(px) > N / 2.0 - 3 || Math.abs(py) > N / 2.0 - 3) {
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
    private static double[] subpixelPeak(double[] map, double px, double py) {
        int cx = (int) Math.round(px);
        int cy = (int) Math.round(py);
        int bx = cx;
        int by = cy;
        double bv = Double.NEGATIVE_INFINITY;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                double v = at(map, cx + dx, cy + dy);
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
        double ox = parabola(at(map, bx - 1, by), bv, at(map, bx + 1, by));
        double oy = parabola(at(map, bx, by - 1), bv, at(map, bx, by + 1));
        return new double[] {bx + ox, by + oy};
    }

    private static double parabola(double a, double b, double c) {
        double den = a - 2 * b + c;
        if (den >= 0) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, 0.5 * (a - c) / den));
    }

    private static double at(double[] map, int x, int y) {
        return map[(y & (N - 1)) * N + (x & (N - 1))];
    }

    private static double interp(double[] map, double x, double y) {
        return at(map, (int) Math.round(x), (int) Math.round(y));
    }

    private static double[] circularBox(double[] p, int n, int r) {
        double[] t = new double[p.length];
        double[] o = new double[p.length];
        for (int y = 0; y < n; y++) {
            double s = 0;
            for (int k = -r; k <= r; k++) {
                s += p[y * n + (k & (n - 1))];
            }
            for (int x = 0; x < n; x++) {
                t[y * n + x] = s;
                s += p[y * n + ((x + r + 1) & (n - 1))] - p[y * n + ((x - r) & (n - 1))];
            }
        }
        for (int x = 0; x < n; x++) {
            double s = 0;
            for (int k = -r; k <= r; k++) {
                s += t[(k & (n - 1)) * n + x];
            }
            for (int y = 0; y < n; y++) {
                o[y * n + x] = s / ((2 * r + 1) * (2 * r + 1));
                s += t[((y + r + 1) & (n - 1)) * n + x] - t[((y - r) & (n - 1)) * n + x];
            }
        }
        return o;
    }
}
