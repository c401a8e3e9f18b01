package org.aigcmark.watermark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The full search's last resort for geometric changes outside the lattice search's range (docs/WATERMARK.md,
 * "Geometric search"): a marked picture pasted small into a larger one (its period 0.4 to 0.8 of the one the canvas
 * implies), small crops and strips (2.6 to 4.6 times it: one or two periods left) and perspective (a photo of a screen
 * or a print: no lattice fits the whole picture, but each half of it is nearly affine). Each is read where the
 * expected period is near one tile, so the comb's spectral lines stay apart: the canvas at the usual resolution for
 * pastes, a third of it for small crops, each half of the canvas (top, bottom, left, right) for perspective. A comb
 * over the period, or over both axes' scales for perspective ({@link CombSearch#z}), ranks the hypotheses; the keyed
 * reference screens the best few that the comb sees lines for, and the best two that it sees the mark in are decoded
 * with {@link Decoder}'s refinement. Runs only when every other search found nothing, so it changes no result those searches had.
 */
final class GeometricSearch {
    /** comb hypotheses refined and screened per range */
    private static final int CANDIDATES = 3;
    /** screened hypotheses decoded per range */
    private static final int TRIES = 2;
    /**
     * comb z a hypothesis needs before the keyed screening (about the largest of the comb's noise scores over a range
     * of an unmarked picture; a readable mark measured 6.9 to 31 in these ranges)
     */
    static final double COMB_GATE = 4.0;
    /**
     * upright keyed z a screened hypothesis needs before its decode (the other orientations and the refinement):
     * above the largest of one screening's 16 384 shifts without a mark (about 4.5); a readable mark screened 7 to 18.
     * Without it, a page of text (whose lines the comb takes for lattices) cost 4x the rest of the search.
     */
    static final double TRY_Z = 5.0;

    /** Where a range is read: the whole canvas, a third of its resolution, or one half of it. */
    private enum Region { CANVAS, CANVAS_THIRD, TOP, BOTTOM, LEFT, RIGHT }

    /**
     * Periods {@code lo .. hi} (relative to the one the picture's shorter side implies), the comb's relative step, and
     * whether each axis has its own scale (perspective) or both one (pastes, crops).
     */
    private record Range(Region region, double lo, double hi, double step, boolean perAxis) {}

    private static final List<Range> RANGES = List.of(
            // pasted at 0.4 .. 0.8x: the period is 51 .. 102 working px; the band above 0.4 cycles/px is lost (the
            // spectrum stops there), the rest is read
            new Range(Region.CANVAS, 0.4, 0.8, 0.0015, false),
            // small crops and strips (10 % of the area, a third of the height)
            new Range(Region.CANVAS_THIRD, 2.6, 4.6, 0.003, false),
            // perspective up to about 8 %: each half's lattice scaled 0.85 .. 1.02 along each axis
            new Range(Region.BOTTOM, 0.85, 1.02, 0.006, true),
            new Range(Region.TOP, 0.85, 1.02, 0.006, true),
            new Range(Region.LEFT, 0.85, 1.02, 0.006, true),
            new Range(Region.RIGHT, 0.85, 1.02, 0.006, true));

    /** Decode attempts this search adds (a decode and a refined decode per try), for the false-positive bound. */
    static final int DECODE_ATTEMPTS = 6 * TRIES * 2;

    private GeometricSearch() {}

    /** The detection from a pasted copy, a small crop or a perspective view, or null when none decodes. */
    static WatermarkDetection read(KeyedTile tile, int width, int height, WatermarkExtractor.LumaRows rows) {
        return readCounted(tile, width, height, rows).detection();
    }

    /**
     * A search's detection (null when none decodes) and the statistical tests it made over all its ranges, which the
     * reported bound counts (each range has its own {@link Decoder}; the bound once counted only the decoding range's).
     */
    record Read(WatermarkDetection detection, long tests, long decodingRangeTests) {}

    static Read readCounted(KeyedTile tile, int width, int height, WatermarkExtractor.LumaRows rows) {
        long[] tests = {0, 0};
        WorkingImage canvas = null;
        float[] canvasWhite = null;
        double period = KeyedTile.period(Math.min(width, height));
        for (Range range : RANGES) {
            WorkingImage wk;
            float[] white;
            if (range.region() == Region.CANVAS_THIRD) {
                wk = WorkingImage.build(width, height, rows, new float[width], KeyedTile.WORK / 3, 768);
                white = wk.whitened();
            } else {
                if (canvas == null) {
                    canvas = WorkingImage.build(width, height, rows, new float[width]);
                    canvasWhite = canvas.whitened();
                }
                wk = canvas;
                white = canvasWhite;
            }
            int x0 = range.region() == Region.RIGHT ? wk.w / 2 : 0;
            int y0 = range.region() == Region.BOTTOM ? wk.h / 2 : 0;
            int rw = range.region() == Region.LEFT || range.region() == Region.RIGHT ? wk.w / 2 : wk.w;
            int rh = range.region() == Region.TOP || range.region() == Region.BOTTOM ? wk.h / 2 : wk.h;
            float[] part = rw == wk.w && rh == wk.h ? white : window(white, wk.w, x0, y0, rw, rh);
            WatermarkDetection d = read(tile, part, rw, rh, period * wk.scale, 8 * wk.scale, range, tests);
            if (d != null) {
                return new Read(d, tests[0], tests[1]);
            }
        }
        return new Read(null, tests[0], 0);
    }

    /** Rows {@code y0 ..} and columns {@code x0 ..} of a whitened image (whitening is local: a window of it is one too). */
    private static float[] window(float[] white, int w, int x0, int y0, int rw, int rh) {
        float[] out = new float[rw * rh];
        for (int y = 0; y < rh; y++) {
            System.arraycopy(white, (y0 + y) * w + x0, out, y * rw, rw);
        }
        return out;
    }

    /**
     * @param base the period the picture's shorter side implies, in working px
     * @param tests {the tests made so far by the whole search, this range's}: this range's are added to the first
     */
    private static WatermarkDetection read(KeyedTile tile, float[] white, int w, int h, double base, double blockPeriod,
            Range range, long[] tests) {
        LatticeEstimator.Spectrum spectrum = LatticeEstimator.whitenedSpectrum(white, w, h, blockPeriod);
        if (spectrum == null) {
            return null;
        }
        CombSearch comb = new CombSearch(spectrum);
        List<LatticeEstimator.Scored> all = new ArrayList<>();
        for (double s = range.lo(); s <= range.hi(); s *= 1 + range.step()) {
            if (range.perAxis()) {
                for (double t = range.lo(); t <= range.hi(); t *= 1 + range.step()) {
                    add(all, comb, CombSearch.lattice(base, 0, s, t));
                }
            } else {
                add(all, comb, CombSearch.lattice(base * s, 0, 1, 1));
            }
        }
        all.sort((x, y) -> Double.compare(y.z(), x.z()));
        Decoder dec = null;
        List<LatticeEstimator.Scored> picked = new ArrayList<>();
        List<Decoder.Screened> screened = new ArrayList<>();
        for (LatticeEstimator.Scored c : all) {
            if (picked.size() >= CANDIDATES || c.z() < COMB_GATE) {
                break;
            }
            if (LatticeEstimator.isNew(picked, c.lattice())) {
                LatticeEstimator.Scored r = comb.refine(c.lattice(), c.z());
                if (!LatticeEstimator.isNew(picked, r.lattice())) {
                    continue; // refined onto a lattice already screened: a second fold of it would be the same test
                }
                picked.add(r);
                dec = dec == null ? new Decoder(tile, white, w, h, true) : dec;
                screened.add(dec.screen(r.lattice()));
                if (WatermarkExtractor.DEBUG) {
                    System.err.printf(Locale.ROOT, "  geometric %s %.2f-%.2f: %s comb z=%.2f screen z=%.2f%n",
                            range.region(), range.lo(), range.hi(), java.util.Arrays.toString(r.lattice()), r.z(),
                            screened.get(screened.size() - 1).z());
                }
            }
        }
        screened.sort((x, y) -> Double.compare(y.z(), x.z()));
        try {
            for (Decoder.Screened s : screened.subList(0, Math.min(TRIES, screened.size()))) {
                if (s.z() < TRY_Z) {
                    break;
                }
                Decoder.Result r = dec.tryScreened(s, true);
                if (r.decoded()) {
                    return found(r, base, tests[0] + dec.tests());
                }
            }
            return null;
        } finally {
            tests[1] = dec == null ? 0 : dec.tests();
            tests[0] += tests[1];
        }
    }

    private static void add(List<LatticeEstimator.Scored> all, CombSearch comb, double[] lat) {
        all.add(new LatticeEstimator.Scored(lat, comb.z(lat)));
    }

    private static WatermarkDetection found(Decoder.Result r, double base, long tests) {
        double[] lat = r.lattice();
        double scale = Math.sqrt(Math.abs(lat[0] * lat[3] - lat[1] * lat[2])) / base;
        double rot = Math.toDegrees(Math.atan2(lat[1], lat[0]));
        rot = rot - 90 * Math.round(rot / 90);
        double reach = Math.max(WatermarkDetection.unmarkedScoreTail(r.z()),
                Math.min(1.0, tests * WatermarkExtractor.normalTail(r.z())));
        double fpp = Math.min(1.0, (Decoder.MAX_DECODE_ATTEMPTS + CellLayer.DECODE_ATTEMPTS + DECODE_ATTEMPTS)
                * Math.pow(2, -KeyedTile.CRC_BITS) * reach);
        return new WatermarkDetection(true, Optional.of(new WatermarkPayload(r.data())), r.z(), fpp, scale, rot,
                "aigcmark watermark found at " + String.format(Locale.ROOT, "%.2f", scale) + "x the period the picture's"
                        + " size implies (pasted into a larger picture, a small crop, or a perspective view; orientation "
                        + r.orientation() + ")");
    }
}
