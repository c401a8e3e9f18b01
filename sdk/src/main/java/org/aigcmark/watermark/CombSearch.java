package org.aigcmark.watermark;

import java.util.ArrayList;
import java.util.List;

/**
 * Comb search for the mark's repetition lattice (docs/WATERMARK.md, "Blind re-synchronisation"): the whitened spectrum
 * turned into comb weights, min(r, 25) - 1 where the bin carries information (mean about 0, variance about 1 without a
 * mark), 0 elsewhere, and a lattice hypothesis scored by the weights at the spectral lines it predicts. Sees weak marks
 * in dense texture, where the autocorrelation peaks ({@link AutocorrelationPeaks}) do not.
 */
final class CombSearch {
    /**
     * Half-plane bins of the mark's annulus in tile frequency units: where the tile has energy. A lattice B (columns
     * v1, v2 in working px) puts bin k at frequency B^-T k cycles/px, so the spectrum of a marked image has a line at
     * every such point. All bins have unit magnitude whatever the key and payload, so this search needs no key.
     */
    /** a NaN pattern no weight has (weights are min(r, 25) - 1 of a finite r) */
    private static final int NO_LINE = 0x7fc0dead;
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

    /** {@link #NO_LINE} where the bin carries no information, else the bits of the weight: one load per line */
    private final int[] weightBits;
    private final int nx;
    private final int ny;
    private int evaluations;

    CombSearch(LatticeEstimator.Spectrum sp) {
        nx = sp.nx();
        ny = sp.ny();
        weightBits = new int[sp.r().length];
        for (int i = 0; i < weightBits.length; i++) {
            weightBits[i] = sp.r()[i] != 0 ? Float.floatToRawIntBits((float) (Math.min(sp.r()[i], 25.0) - 1.0)) : NO_LINE;
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
            int bits = weightBits[iy * nx + ix];
            if (bits != NO_LINE) {
                sum += Float.intBitsToFloat(bits);
                n++;
            }
        }
        return n < 64 ? 0 : sum / Math.sqrt(n);
    }

    /** Coordinate search on the four lattice coordinates, steps relative to the lattice size. */
    LatticeEstimator.Scored refine(double[] lat, double z) {
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
        return new LatticeEstimator.Scored(cur, curZ);
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
    List<LatticeEstimator.Scored> search(double basePeriod, int max) {
        List<LatticeEstimator.Scored> all = new ArrayList<>();
        // at the band's top a lattice error of e (relative) moves a line by e * 36 / period * n bins; the grid keeps that
        // under about half a bin. Larger periods put the lines closer to the origin, so the steps grow with the scale.
        double step = 0.0025;
        double small = Math.toRadians(1.5);
        // crop (+ small rotation): the period grows relative to the shorter side, here by 0.97 .. 2.7
        for (double s = 0.97; s <= 2.7; s *= 1 + step * s) {
            double dt = step * s;
            for (double t = -small; t <= small + 1e-9; t += dt) {
                add(all, lattice(basePeriod * s, t, 1, 1));
            }
        }
        // an added border or frame: the shorter side grew, so the period shrinks relative to it (down to x0.8)
        for (double s = 0.8; s < 0.97; s *= 1 + step * s) {
            add(all, lattice(basePeriod * s, 0, 1, 1));
        }
        // rotation (the image keeps its size): up to +-12 degrees
        for (double t = small + step; t <= Math.toRadians(12.0); t += step) {
            add(all, lattice(basePeriod, t, 1, 1));
            add(all, lattice(basePeriod, -t, 1, 1));
        }
        // aspect change of either axis
        for (double a = 0.7; a <= 1.43; a *= 1 + step) {
            add(all, lattice(basePeriod, 0, a, 1));
            add(all, lattice(basePeriod, 0, 1, a));
        }
        return best(all, max);
    }

    /**
     * The quick search's comb: the image's own orientation, one change at a time: a scale change of the period relative
     * to the shorter side (crops shrink the shorter side: x1.0 .. 2.0; added borders or frames grow it: down to x0.8)
     * and a rotation up to +-5 degrees, about 370 hypotheses instead of the full search's 4 900. Returns the best
     * (locally refined, distinct), best first.
     */
    List<LatticeEstimator.Scored> searchQuick(double basePeriod, int max) {
        List<LatticeEstimator.Scored> all = new ArrayList<>();
        double step = 0.0025;
        for (double s = 0.8; s <= 2.0; s *= 1 + step * s) {
            add(all, lattice(basePeriod * s, 0, 1, 1));
        }
        for (double t = step; t <= Math.toRadians(5.0); t += step) {
            add(all, lattice(basePeriod, t, 1, 1));
            add(all, lattice(basePeriod, -t, 1, 1));
        }
        return best(all, max);
    }

    private List<LatticeEstimator.Scored> best(List<LatticeEstimator.Scored> all, int max) {
        all.sort((x, y) -> Double.compare(y.z(), x.z()));
        List<LatticeEstimator.Scored> out = new ArrayList<>();
        for (LatticeEstimator.Scored c : all) {
            if (out.size() >= max) {
                break;
            }
            if (LatticeEstimator.isNew(out, c.lattice())) {
                LatticeEstimator.Scored r = refine(c.lattice(), c.z());
                if (LatticeEstimator.isNew(out, r.lattice())) {
                    out.add(r);
                }
            }
        }
        out.sort((x, y) -> Double.compare(y.z(), x.z()));
        return out;
    }

    private void add(List<LatticeEstimator.Scored> all, double[] lat) {
        all.add(new LatticeEstimator.Scored(lat, z(lat)));
    }
}
