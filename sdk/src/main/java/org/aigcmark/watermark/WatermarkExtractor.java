package org.aigcmark.watermark;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Looks for the keyed tile in luma (docs/WATERMARK.md, "Detection"): builds the whitened working image, tries the
 * identity lattice, then (full search) the lattices estimated by {@link CombSearch}, and in the deep search also
 * {@link AutocorrelationPeaks} ({@link LatticeEstimator}), and lets {@link Decoder} find orientation and translation
 * and decode the payload.
 * Works on buffers {@link ImageWatermarker} has already checked. Immutable and thread-safe.
 */
final class WatermarkExtractor {
    /** Correlation z-score needed before a payload decode is attempted. */
    static final double DECODE_Z = 6.0;
    static final int MAX_LATTICE_CANDIDATES = 16;
    /** best hypotheses of the comb search that go on to the keyed screening */
    static final int COMB_CANDIDATES = 4;
    /** ... and on periodic content ({@link CombSearch#PERIODIC_CONTENT_Z}: a page of text), whose own lattices come first */
    static final int COMB_CANDIDATES_PERIODIC = 8;
    /** comb z an autocorrelation lattice needs before the keyed screening (about N(0,1) per lattice without a mark) */
    static final double AUTOCORRELATION_GATE_Z = 3.0;
    /** autocorrelation lattices (past the comb gate) that go on to the keyed screening, strongest comb z first */
    static final int AUTOCORRELATION_SCREENED = 6;
    /** Screened lattice candidates that get the full orientation search and a decode attempt. */
    static final int FULL_TRIES = 2;
    /**
     * Comb z a quick-search lattice needs before its try (a fold and eight orientations, 2.4 ms at 1080p). On the
     * 33 photos under the quick table's attacks every lattice that decoded was the comb's best and had comb z 4.95 or
     * more (the moss photo cropped to half its area; most 25-55; the small/flat images 17 or more), while an unmarked
     * image's best two have the comb's noise (median 3.8 over 198 unmarked 1080p crops; 0.6 of the two pass): most
     * unmarked images skip both tries (docs/WATERMARK.md, "Quick search: tries only where the comb sees lines").
     */
    static final double QUICK_COMB_GATE = 4.0;
    static final boolean DEBUG = Boolean.getBoolean("aigcmark.wm.debug");
    /**
     * One line per search on stderr: which stage gave the decoding (or best) lattice, and one per refinement with its
     * trail (docs/WATERMARK.md, "Stages of the full search"; {@code -Daigcmark.wm.trace=true}).
     */
    static final boolean TRACE = Boolean.getBoolean("aigcmark.wm.trace");

    private final KeyedTile tile;
    private final PixelKernels kernels;
    private final WatermarkOptions.Search search;
    /**
     * Whether a search that finds nothing reports the data bits of its best synchronisation (the bench's bit accuracy,
     * {@link ImageWatermarker.Analysis#bestEffortData()}); a detection alone does not need that decode (0.2-0.5 ms).
     */
    private final boolean bestEffortData;

    WatermarkExtractor(KeyedTile tile, PixelKernels kernels, WatermarkOptions.Search search) {
        this(tile, kernels, search, false);
    }

    WatermarkExtractor(KeyedTile tile, PixelKernels kernels, WatermarkOptions.Search search, boolean bestEffortData) {
        this.tile = tile;
        this.kernels = kernels;
        this.search = search;
        this.bestEffortData = bestEffortData;
    }

    /** One row of luma as floats. */
    @FunctionalInterface
    interface LumaRows {
        void row(int y, float[] out);
    }

    /**
     * A search's result with the working image and its whitened plane, which the later layers ({@link CellLayer}) read
     * again instead of building their own (7 ms of one core at 1080p).
     */
    record Extracted(ImageWatermarker.Analysis analysis, WorkingImage working, float[] white, Spectrum spectrum) {}

    /**
     * The whitened lattice spectrum of a working image ({@link LatticeEstimator#whitenedSpectrum}), made on first use
     * and kept for a second search of the same image at another period ({@link #analyzeAgain}).
     */
    static final class Spectrum {
        private final WorkingImage wk;
        private final float[] white;
        /** whether the ratios are kept too (the autocorrelation's input: DEEP only) */
        private final boolean withRatio;
        private boolean made;
        private LatticeEstimator.Spectrum spectrum;

        Spectrum(WorkingImage wk, float[] white, boolean withRatio) {
            this.wk = wk;
            this.white = white;
            this.withRatio = withRatio;
        }

        /** Null when the working image is too small for one. */
        LatticeEstimator.Spectrum get() {
            if (!made) {
                spectrum = LatticeEstimator.whitenedSpectrum(white, wk.w, wk.h, 8 * wk.scale, withRatio);
                made = true;
            }
            return spectrum;
        }
    }

    /** Any BufferedImage, read row by row, so a huge image is never copied whole. */
    Extracted analyzeImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w];
        float[] luma = new float[w];
        InterleavedBytes bytes = InterleavedBytes.of(img);
        if (bytes != null && bytes.bgr()) {
            // a JPEG's 3-byte rows read in place (the same floats as through a packed row)
            byte[] data = bytes.data();
            return analyze(w, h, (y, out) -> kernels.lumaRowBgr(data, bytes.rowStart(y), w, out), luma);
        }
        if (bytes != null) {
            return analyze(w, h, (y, out) -> {
                bytes.readRow(y, row, 0);
                kernels.lumaRow(row, 0, w, out);
            }, luma);
        }
        return analyze(w, h, (y, out) -> {
            img.getRGB(0, y, w, 1, row, 0, w);
            kernels.lumaRow(row, 0, w, out);
        }, luma);
    }

    /** Packed 0xAARRGGBB pixels (row-major, no padding). */
    Extracted analyzeRgb(int[] packedRgb, int width, int height) {
        return analyze(width, height, (y, out) -> kernels.lumaRow(packedRgb, y * width, width, out), new float[width]);
    }

    /** An 8-bit luma plane with a row stride. */
    Extracted analyzeLuma(byte[] y, int width, int height, int stride) {
        return analyze(width, height, (row, out) -> {
            int off = row * stride;
            for (int x = 0; x < width; x++) {
                out[x] = y[off + x] & 0xff;
            }
        }, new float[width]);
    }

    private Extracted analyze(int w, int h, LumaRows rows, float[] rowBuf) {
        WorkingImage wk = WorkingImage.build(w, h, rows, rowBuf);
        float[] white = wk.whitened();
        boolean deep = search == WatermarkOptions.Search.DEEP;
        Spectrum spectrum = new Spectrum(wk, white, deep);
        double idPeriod = KeyedTile.period(Math.min(w, h)) * wk.scale;
        // the autocorrelation lattices are DEEP's alone since issue 17: FULL's comb covers the table's geometry
        ImageWatermarker.Analysis a = search(wk, white, spectrum, idPeriod, deep, true);
        return new Extracted(a, wk, white, spectrum);
    }

    /**
     * The search once more on the working image of an earlier one, for a mark whose period is {@code period} original
     * px (marks made before 2026-12 on images under 510 px: {@link ImageWatermarker}). It reuses that search's working
     * image and spectrum (once built again from a resampled copy of the image, which doubled the cost of every small
     * image) and skips the autocorrelation lattices, which do not depend on the period and were screened already.
     */
    ImageWatermarker.Analysis analyzeAgain(Extracted first, double period) {
        WorkingImage wk = first.working();
        return search(wk, first.white(), first.spectrum(), period * wk.scale, false, false);
    }

    /**
     * The search at expected period {@code idPeriod} (working px), autocorrelation lattices only when asked; {@code
     * first}: the image's first search (the one {@link #TRACE} reports).
     */
    private ImageWatermarker.Analysis search(WorkingImage wk, float[] white, Spectrum spectrum, double idPeriod,
            boolean autocorrelation, boolean first) {
        // every orientation in both searches: 90-degree turns and mirror images cost seven more correlations
        Decoder dec = new Decoder(tile, white, wk.w, wk.h, true);
        double[] identity = {idPeriod, 0, 0, idPeriod};
        Decoder.Screened idScreened = dec.screenAllOrientations(identity);
        Decoder.Result best = dec.tryScreened(idScreened, false);
        boolean withoutReference = false;
        String source = "identity";
        if (!best.decoded()) {
            Decoder.Result free = dec.tryWithoutReference(identity, idScreened.spectrum());
            if (free.decoded()) {
                best = free;
                withoutReference = true;
                source = "identity-payload-only";
            }
        }
        if (!best.decoded() && (search == WatermarkOptions.Search.FULL || search == WatermarkOptions.Search.DEEP)) {
            Estimated estimated = fullEstimated(dec, spectrum.get(), wk, idPeriod, autocorrelation);
            if (estimated != null && (estimated.result().decoded() || estimated.result().z() > best.z())) {
                best = estimated.result();
                withoutReference = estimated.withoutReference();
                source = estimated.source();
            }
        }
        long extraTests = 0;
        if (!best.decoded() && (search == WatermarkOptions.Search.FULL || search == WatermarkOptions.Search.DEEP)
                && best.z() >= PerspectiveHypotheses.GATE_Z && best.lattice() != null) {
            // a lattice that fits the centre but not the edges: a keystone (PerspectiveHypotheses)
            PerspectiveHypotheses.Read keystone = PerspectiveHypotheses.read(tile, white, wk.w, wk.h, best);
            extraTests = keystone.tests();
            if (keystone.result() != null && (keystone.result().decoded() || keystone.result().z() > best.z())) {
                best = keystone.result();
                withoutReference = false;
                source = "keystone";
            }
        }
        if (!best.decoded() && search == WatermarkOptions.Search.QUICK) {
            Decoder.Result quick = quickEstimated(dec, spectrum.get(), idPeriod);
            if (quick != null && (quick.decoded() || quick.z() > best.z())) {
                best = quick;
                source = "quick-comb";
            }
        }
        if (TRACE && first) {
            System.err.println("wm-trace " + Thread.currentThread().getName() + " " + search + " source=" + source
                    + " decoded=" + best.decoded() + " z=" + best.z());
        }
        return best.decoded() ? found(best, idPeriod, dec.tests() + extraTests, withoutReference) : notFound(best);
    }

    /**
     * The quick search's re-synchronisation: the comb over one geometric change at a time (crop or border, or a
     * rotation up to 5 degrees; {@link CombSearch#searchQuick}), then the best {@value #FULL_TRIES} lattices whose comb
     * z reaches {@value #QUICK_COMB_GATE} tried like the full search's, without its autocorrelation candidates,
     * refinement and payload-only tries. Null without a spectrum or without a lattice past the gate.
     */
    private static Decoder.Result quickEstimated(Decoder dec, LatticeEstimator.Spectrum spectrum, double idPeriod) {
        if (spectrum == null) {
            return null;
        }
        Decoder.Result best = null;
        for (LatticeEstimator.Scored c : new CombSearch(spectrum).searchQuick(idPeriod, FULL_TRIES)) {
            if (c.z() < QUICK_COMB_GATE) {
                break; // best first: the rest are below the gate too
            }
            Decoder.Result r = dec.tryLattice(c.lattice(), false);
            if (DEBUG) {
                System.err.println("  quick " + Arrays.toString(c.lattice()) + " comb z=" + c.z() + " z=" + r.z());
            }
            if (best == null || r.decoded() || r.z() > best.z()) {
                best = r;
            }
            if (r.decoded()) {
                break;
            }
        }
        return best;
    }

    /**
     * The full search's best result, whether it was decoded from the payload bins alone, and (with {@link #TRACE}
     * only, else null) which stage found it.
     */
    private record Estimated(Decoder.Result result, boolean withoutReference, String source) {}

    /**
     * The full search's blind re-synchronisation: the comb's best lattices are screened first, and when the best of
     * them is a confident candidate (keyed z at the decode gate) it is tried at once: a decode ends the search before the
     * autocorrelation is computed. Otherwise the autocorrelation's lattices join the pool (those the comb sees lines
     * for, at most {@value #AUTOCORRELATION_SCREENED}, strongest comb first), the best screened are tried and refined
     * ({@link #bestEstimated}), and the comb's best lattice gets a payload-only try. Null without a spectrum or without
     * a single lattice hypothesis.
     *
     * @param autocorrelation whether the autocorrelation lattices join (DEEP only, and not in a second search of the
     *     same image)
     */
    private static Estimated fullEstimated(Decoder dec, LatticeEstimator.Spectrum spectrum, WorkingImage wk,
            double idPeriod, boolean autocorrelation) {
        if (spectrum == null) {
            return null;
        }
        // two sources of lattice hypotheses: a comb search over the usual geometric changes (sees weak marks in dense
        // texture; its best few always go on) and peaks of the autocorrelation (any geometry, but only a clear mark puts
        // the true lattice among them: they go on only when the comb sees lines there too)
        CombSearch comb = new CombSearch(spectrum);
        List<LatticeEstimator.Scored> pool = new ArrayList<>(comb.search(idPeriod, COMB_CANDIDATES, COMB_CANDIDATES_PERIODIC,
                CombSearch.minScale(Math.min(wk.w, wk.h) / wk.scale)));
        List<Decoder.Screened> screened = new ArrayList<>();
        for (LatticeEstimator.Scored c : pool) {
            screened.add(dec.screen(c.lattice()));
            if (DEBUG) {
                System.err.println("  hypothesis " + Arrays.toString(c.lattice()) + " comb z=" + c.z());
            }
        }
        Decoder.Screened early = screened.stream().max((x, y) -> Double.compare(x.z(), y.z())).orElse(null);
        Decoder.Result earlyResult = null;
        if (early != null && early.z() >= DECODE_Z) {
            earlyResult = dec.tryScreened(early, false);
            if (DEBUG) {
                System.err.println("  confident " + Arrays.toString(early.lattice()) + " z=" + earlyResult.z()
                        + " decoded=" + earlyResult.decoded());
            }
            if (earlyResult.decoded()) {
                return new Estimated(earlyResult, false, TRACE ? "comb-early rank=" + screened.indexOf(early) : null);
            }
        }
        List<LatticeEstimator.Scored> fromPeaks = new ArrayList<>();
        for (double[] lat : !autocorrelation ? List.<double[]>of() : AutocorrelationPeaks.fromMap(
                AutocorrelationPeaks.autocorrelation(spectrum), MAX_LATTICE_CANDIDATES, 8 * wk.scale)) {
            double z = comb.z(lat);
            if (z >= AUTOCORRELATION_GATE_Z && LatticeEstimator.isNew(pool, lat) && LatticeEstimator.isNew(fromPeaks, lat)) {
                fromPeaks.add(new LatticeEstimator.Scored(lat, z));
            }
        }
        // periodic texture gives many autocorrelation lattices with comb lines; a mark's lattice was the strongest of
        // them in every table case, so the keyed screening (a fold each) is spent on the strongest few
        fromPeaks.sort((x, y) -> Double.compare(y.z(), x.z()));
        int combScreened = screened.size();
        for (LatticeEstimator.Scored c : fromPeaks.subList(0, Math.min(AUTOCORRELATION_SCREENED, fromPeaks.size()))) {
            screened.add(dec.screen(c.lattice()));
            if (DEBUG) {
                System.err.println("  hypothesis " + Arrays.toString(c.lattice()) + " comb z=" + c.z() + " (autocorrelation)");
            }
        }
        Decoder.Screened[] from = new Decoder.Screened[1];
        Decoder.Result best = bestEstimated(dec, screened, early, earlyResult, from);
        if (best == null) {
            return null; // no lattice to screen at all (the comb found none and no autocorrelation peak had lines)
        }
        // which stage found it: for the trace only (its bookkeeping ran on every search before issue 17)
        String source = TRACE ? (screened.indexOf(from[0]) >= combScreened ? "autocorrelation" : "comb")
                + (best != null && from[0] != null && best.lattice() != from[0].lattice() ? "-refined" : "")
                + traceScreens(screened, from[0], pool.size()) : null;
        if (!best.decoded() && !pool.isEmpty()) {
            // the comb search needs no key and no reference: a mark whose reference was removed still has a lattice
            // (the comb's best is the first hypothesis, so its fold is already made)
            Decoder.Result free = dec.tryWithoutReference(pool.get(0).lattice(), screened.get(0).spectrum());
            if (free.decoded()) {
                return new Estimated(free, true, TRACE ? "comb-payload-only" : null);
            }
        }
        if (!best.decoded()) {
            // a strip or small crop: its period is past the comb's range, a fraction of it is not (LatticeMultiples)
            Decoder.Result multiple = LatticeMultiples.read(dec, comb, pool, CombSearch.MAX_CROP_SCALE * idPeriod);
            if (multiple != null && (multiple.decoded() || multiple.z() > best.z())) {
                return new Estimated(multiple, false, TRACE ? "comb-multiple" : null);
            }
        }
        return new Estimated(best, false, source);
    }

    /** For the trace: each screened lattice's keyed z (comb ones first, in comb order) and the rank of the chosen. */
    private static String traceScreens(List<Decoder.Screened> screened, Decoder.Screened chosen, int combCount) {
        StringBuilder b = new StringBuilder(" rank=" + screened.indexOf(chosen) + "/" + combCount + " screens=");
        for (Decoder.Screened s : screened) {
            b.append(String.format(java.util.Locale.ROOT, "%.2f,", s.z()));
        }
        return b.toString();
    }

    /**
     * Tries the best screened lattices, {@value #FULL_TRIES} in all counting {@code tried} (already tried, with
     * {@code triedResult}; both null if none), a decode on the screened fold each, and refines the best of them when
     * none decoded.
     */
    private static Decoder.Result bestEstimated(Decoder dec, List<Decoder.Screened> screened, Decoder.Screened tried,
            Decoder.Result triedResult, Decoder.Screened[] from) {
        List<Decoder.Screened> order = new ArrayList<>(screened);
        order.sort((x, y) -> Double.compare(y.z(), x.z()));
        Decoder.Result bestEstimated = triedResult;
        Decoder.Screened bestScreened = tried;
        int tries = tried == null ? 0 : 1;
        for (Decoder.Screened s : order) {
            if (tries >= FULL_TRIES) {
                break;
            }
            if (s == tried) {
                continue;
            }
            tries++;
            Decoder.Result r = dec.tryScreened(s, false);
            if (DEBUG) {
                System.err.println("  candidate " + Arrays.toString(s.lattice()) + " screen=" + s.z()
                        + " z=" + r.z() + " decoded=" + r.decoded());
            }
            if (bestEstimated == null || r.decoded() || r.z() > bestEstimated.z()) {
                bestEstimated = r;
                bestScreened = s;
            }
            if (r.decoded()) {
                break;
            }
        }
        if (bestEstimated != null && !bestEstimated.decoded()) {
            Decoder.Result r = dec.tryScreened(bestScreened, true);
            if (DEBUG) {
                System.err.println("  refined " + Arrays.toString(r.lattice()) + " z=" + r.z() + " decoded=" + r.decoded());
            }
            bestEstimated = r;
        }
        from[0] = bestScreened;
        return bestEstimated;
    }

    private ImageWatermarker.Analysis notFound(Decoder.Result best) {
        return new ImageWatermarker.Analysis(WatermarkDetection.none(best.z(), best.z() >= DECODE_Z
                ? "a synchronisation pattern was seen, but the payload did not pass its check"
                : search == WatermarkOptions.Search.QUICK ? "no watermark for this key (quick search: the image's own"
                + " geometry in any orientation, crops, borders and rotations up to 5 degrees one at a time)"
                : search == WatermarkOptions.Search.OWN_GEOMETRY ? "no watermark for this key (the image's own geometry"
                + " only)" : "no watermark for this key"), bestEffortData ? best.rawData() : 0);
    }

    /** @param tests the statistical tests the decoder made (for the false-positive bound, docs/WATERMARK.md) */
    private static ImageWatermarker.Analysis found(Decoder.Result best, double idPeriod, long tests, boolean withoutReference) {
        double[] lat = best.lattice();
        double scale = Math.sqrt(Math.abs(lat[0] * lat[3] - lat[1] * lat[2])) / idPeriod;
        double rot = Math.toDegrees(Math.atan2(lat[1], lat[0]));
        // fold rotation into (-45, 45]: the orientation search already handled multiples of 90 degrees
        rot = rot - 90 * Math.round(rot / 90);
        // the chance of this score without a mark: the measured (fitted) tail, or the Bonferroni bound if that is larger
        double reach = Math.max(WatermarkDetection.unmarkedScoreTail(best.z()), Math.min(1.0, tests * normalTail(best.z())));
        double fpp = Decoder.MAX_DECODE_ATTEMPTS * Math.pow(2, -KeyedTile.CRC_BITS) * reach;
        String note = withoutReference
                ? "aigcmark watermark found from its payload alone: its synchronisation pattern is missing or"
                        + " weakened, as after an averaging (estimation) attack (orientation " + best.orientation() + ")"
                : "aigcmark watermark found (orientation " + best.orientation() + ")";
        return new ImageWatermarker.Analysis(new WatermarkDetection(true, Optional.of(new WatermarkPayload(best.data())),
                best.z(), fpp, scale, rot, note), best.data());
    }

    /** Upper tail of the standard normal, Q(z). */
    static double normalTail(double z) {
        if (z < 0) {
            return 1 - normalTail(-z);
        }
        // Abramowitz-Stegun 7.1.26 on erfc, fine for a reported bound
        double x = z / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return 0.5 * y * Math.exp(-x * x);
    }
}
