package org.aigcmark.watermark;

import java.util.Arrays;

/**
 * Perspective (keystone) hypotheses for a lattice the full search found but could not decode (docs/WATERMARK.md,
 * "Strips, small crops and keystones in the full search"): a photo of a screen or a print taken from below narrows one
 * edge, so no lattice fits the whole picture; the search's best lattice fits one band of it, and the phases drift apart
 * elsewhere. The whitened working image is resampled through keystone homographies that leave the centre and its
 * scale in place ({@code u' = u / (1 + g v)}, {@code v' = v / (1 + g v)} in coordinates relative to the centre, per
 * unit of the side along which the keystone runs), each screened by the keyed reference in the found orientation with
 * the found lattice moved to where it may fit; the best is tried with the refinement. Runs only where the search's best
 * keyed z reached {@link #GATE_Z} without a decode, which unmarked images reach rarely (about 1 in 1 000), so it costs
 * them nothing measurable.
 */
final class PerspectiveHypotheses {
    /**
     * the search's best keyed z from which the hypotheses are tried: the decode gate, i.e. a synchronisation pattern
     * was seen but its payload did not pass the check (8 of 10 000 unmarked crops get there; the stage costs about
     * 200 ms of one core at 1080p, so 0.2 ms a mean unmarked image; the table's keystones it decodes started at 6.5-10)
     */
    static final double GATE_Z = WatermarkExtractor.DECODE_Z;
    /** keystone strengths tried, each with both signs and along both axes */
    private static final double[] STRENGTHS = {0.05, 0.1, 0.15, 0.2};
    /** decode attempts this stage adds to the false-positive bound (the best hypothesis: a try and its refinement) */
    static final int DECODE_ATTEMPTS = 2;

    private PerspectiveHypotheses() {}

    /** What the hypotheses gave: the best result (null when none was made) and the tests they made. */
    record Read(Decoder.Result result, long tests) {}

    static Read read(KeyedTile tile, float[] white, int w, int h, Decoder.Result found) {
        double[] lat = found.lattice();
        int o = found.orientation();
        Best best = new Best();
        // coarse: every strength and pivot; fine: half a step of strength and pivot around the best of them
        for (int axis = 0; axis < 2; axis++) {
            for (double s : STRENGTHS) {
                for (int sign = -1; sign <= 1; sign += 2) {
                    screen(tile, white, w, h, axis, sign * s, PIVOTS, lat, o, best);
                }
            }
        }
        if (best.image == null) {
            return new Read(null, best.tests);
        }
        double g0 = best.g;
        double p0 = best.pivot;
        int axis0 = best.axis;
        double[] finePivots = {p0 - PIVOT_STEP / 2, p0, p0 + PIVOT_STEP / 2};
        for (double g : new double[] {g0 - STRENGTH_STEP / 2, g0 + STRENGTH_STEP / 2}) {
            screen(tile, white, w, h, axis0, g, finePivots, lat, o, best);
        }
        screen(tile, white, w, h, axis0, g0, new double[] {p0 - PIVOT_STEP / 2, p0 + PIVOT_STEP / 2}, lat, o, best);
        if (best.z < found.z()) {
            return new Read(null, best.tests);
        }
        Decoder dec = new Decoder(tile, best.image, w, h, true);
        Decoder.Result r = dec.tryLattice(best.lattice, true);
        if (WatermarkExtractor.DEBUG) {
            System.err.printf(java.util.Locale.ROOT, "  keystone best axis %d g %.3f pivot %.2f %s z=%.2f decoded=%s%n",
                    best.axis, best.g, best.pivot, Arrays.toString(r.lattice()), r.z(), r.decoded());
        }
        return new Read(r, best.tests + dec.tests());
    }

    /** pivots: where (relative to the centre, per unit of the side) the found lattice is taken to fit */
    private static final double[] PIVOTS = {-0.4, -0.2, 0, 0.2, 0.4};
    private static final double PIVOT_STEP = 0.2;
    private static final double STRENGTH_STEP = 0.05;

    /** The best hypothesis so far and the tests made. */
    private static final class Best {
        double z = Double.NEGATIVE_INFINITY;
        float[] image;
        double[] lattice;
        int axis;
        double g;
        double pivot;
        long tests;
    }

    /**
     * Screens keystone {@code g} along {@code axis} with the found lattice moved to each pivot: where the found
     * lattice fits (row or column {@code pivot}), the rectified image's lattice is the found one scaled by the
     * homography's inverse Jacobian there ({@code 1 + g p} across, {@code (1 + g p)^2} along the keystone's axis).
     */
    private static void screen(KeyedTile tile, float[] white, int w, int h, int axis, double g, double[] pivots,
            double[] lat, int o, Best best) {
        float[] rect = rectify(white, w, h, axis, g);
        Decoder dec = new Decoder(tile, rect, w, h, false);
        for (double p : pivots) {
            double across = 1 + g * p;
            double along = across * across;
            double sx = axis == 0 ? across : along;
            double sy = axis == 0 ? along : across;
            double[] l = {lat[0] * sx, lat[1] * sy, lat[2] * sx, lat[3] * sy};
            double[][] spec = dec.foldSpectrum(l);
            if (spec == null) {
                continue;
            }
            double z = dec.correlate(spec, o)[0];
            if (WatermarkExtractor.DEBUG) {
                System.err.printf(java.util.Locale.ROOT, "  keystone axis %d g %.3f pivot %.2f z %.2f%n", axis, g, p, z);
            }
            if (z > best.z) {
                best.z = z;
                best.image = rect;
                best.lattice = l;
                best.axis = axis;
                best.g = g;
                best.pivot = p;
            }
        }
        best.tests += dec.tests();
    }

    /**
     * The whitened image seen through keystone {@code g} along {@code axis} (0: the horizontal scale changes from top
     * to bottom, 1: the vertical from left to right), bilinear, 0 (the whitened mean) outside.
     */
    static float[] rectify(float[] white, int w, int h, int axis, double g) {
        float[] out = new float[w * h];
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double len = axis == 0 ? h : w;
        for (int y = 0; y < h; y++) {
            double v = (y - cy) / len;
            for (int x = 0; x < w; x++) {
                double u = (x - cx) / len;
                double d = 1 + g * (axis == 0 ? v : u);
                double sx = cx + u / d * len;
                double sy = cy + v / d * len;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
                    continue;
                }
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                int i = y0 * w + x0;
                float top = white[i] + fx * (white[i + 1] - white[i]);
                float bot = white[i + w] + fx * (white[i + w + 1] - white[i + w]);
                out[y * w + x] = top + fy * (bot - top);
            }
        }
        return out;
    }
}
