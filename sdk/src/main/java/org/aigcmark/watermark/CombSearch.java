package org.aigcmark.watermark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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
    /** the weight of a bin that carries no information: NaN, which no weight is (min(r, 25) - 1 of a finite r) */
    static final float NO_LINE = Float.NaN;
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

    /**
     * The full search's range (issue 17: FULL no longer has the autocorrelation lattices, which found the larger
     * rotations and most pasted copies; these two constants widened so the comb covers them): the smallest period
     * relative to the expected one (borders, frames, pasted copies) and the largest rotation.
     */
    static final double MIN_SCALE = 0.45;
    static final double MAX_ROTATION_DEGREES = 45.0;
    /** The largest period ratio the crop family searches. */
    static final double MAX_CROP_SCALE = 2.7;
    /** The smallest period ratio searched on tiny images ({@link #minScale}). */
    static final double SMALLEST_SCALE = 0.25;

    /**
     * The smallest period ratio to search on an image whose shorter side is {@code shortSide} px: {@link #MIN_SCALE},
     * or lower on images under about 230 px. The expected period is clamped at {@link KeyedTile#MIN_PERIOD} below a
     * 4 x MIN_PERIOD side, so a marked image scaled down that far shows its period at down to shortSide / 512 of the
     * expected one (a 512 px square at 0.33x: 0.33, which only the autocorrelation found before it became DEEP's).
     */
    static double minScale(double shortSide) {
        return Math.max(SMALLEST_SCALE, Math.min(MIN_SCALE, 0.95 * shortSide / (4.0 * KeyedTile.MIN_PERIOD)));
    }

    /** {@link #NO_LINE} where the bin carries no information, else the weight: one load per line */
    private final float[] weights;
    private final int nx;
    private final int ny;
    private int evaluations;
    /** line indices of the four lattices {@link #z4} scores */
    private final int[] i0 = new int[ANNULUS_KX.length];
    private final int[] i1 = new int[ANNULUS_KX.length];
    private final int[] i2 = new int[ANNULUS_KX.length];
    private final int[] i3 = new int[ANNULUS_KX.length];

    /** Every grid point the last {@link #search} scored, best first (unrefined): where LatticeMultiples looks. */
    private List<LatticeEstimator.Scored> ranked = List.of();

    CombSearch(LatticeEstimator.Spectrum sp) {
        this(sp.weights(), sp.nx(), sp.ny());
    }

    private CombSearch(float[] weights, int nx, int ny) {
        this.nx = nx;
        this.ny = ny;
        this.weights = weights;
    }

    /**
     * The weight table's entry for whitened ratio r (LatticeEstimator makes the table, with this arithmetic written out
     * in a loop the JIT vectorises; nothing here writes it).
     */
    static float weight(double r) {
        return r != 0 ? (float) (Math.min(r, 25.0) - 1.0) : NO_LINE;
    }

    List<LatticeEstimator.Scored> ranked() {
        return ranked;
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
            float wt = weights[iy * nx + ix];
            if (wt == wt) { // not NO_LINE
                sum += wt;
                n++;
            }
        }
        return n < 64 ? 0 : sum / Math.sqrt(n);
    }

    /**
     * {@link #z} over the lines of {@code lat} that lie on none of the {@code explainers}' lattices of lines (any
     * frequency B^-T k, k integer, within {@value #ON_LINE} of one in that lattice's own coordinates): what is left of
     * a lattice's score once the lines a stronger lattice already accounts for are taken out. A harmonic of periodic
     * content (x0.5, x1.5, x2 ... of its lattice) scores only on the content's lines, all on the content's lattice of
     * lines, and keeps noise; the mark's lines fall on another lattice's only by chance (a fraction), so it keeps most.
     */
    double residualZ(double[] lat, List<double[]> explainers) {
        evaluations++;
        double det = lat[0] * lat[3] - lat[1] * lat[2];
        if (Math.abs(det) < 1) {
            return 0;
        }
        double fxx = lat[3] / det;
        double fxy = -lat[1] / det;
        double fyx = -lat[2] / det;
        double fyy = lat[0] / det;
        double sum = 0;
        int n = 0;
        for (int i = 0; i < ANNULUS_KX.length; i++) {
            float kx = ANNULUS_KX[i];
            float ky = ANNULUS_KY[i];
            double ux = fxx * kx + fxy * ky;
            double uy = fyx * kx + fyy * ky;
            int ix = (int) ((float) (fxx * nx) * kx + (float) (fxy * nx) * ky + (nx * 64 + 0.5f)) & (nx - 1);
            int iy = (int) ((float) (fyx * ny) * kx + (float) (fyy * ny) * ky + (ny * 64 + 0.5f)) & (ny - 1);
            float wt = weights[iy * nx + ix];
            if (wt != wt || onAny(ux, uy, explainers)) {
                continue;
            }
            sum += wt;
            n++;
        }
        return n < 64 ? 0 : sum / Math.sqrt(n);
    }

    /** how far from a lattice's line (in its own coordinates, 1 = the next line) a line still counts as on it */
    static final double ON_LINE = 0.2;

    private static boolean onAny(double ux, double uy, List<double[]> explainers) {
        for (double[] s : explainers) {
            double t1 = s[0] * ux + s[1] * uy;
            double t2 = s[2] * ux + s[3] * uy;
            if (Math.abs(t1 - Math.rint(t1)) < ON_LINE && Math.abs(t2 - Math.rint(t2)) < ON_LINE) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #z} of four lattices in one pass over the lines. One lattice's sum is a chain of dependent additions, so
     * the loop waited on each; four independent chains overlap. Each sum still adds the same terms in the same order
     * as {@link #z}, so every score is the same to the bit (CombSearchTest).
     */
    private void z4(double[] l0, double[] l1, double[] l2, double[] l3, double[] out, int at) {
        double d0 = l0[0] * l0[3] - l0[1] * l0[2];
        double d1 = l1[0] * l1[3] - l1[1] * l1[2];
        double d2 = l2[0] * l2[3] - l2[1] * l2[2];
        double d3 = l3[0] * l3[3] - l3[1] * l3[2];
        if (Math.abs(d0) < 1 || Math.abs(d1) < 1 || Math.abs(d2) < 1 || Math.abs(d3) < 1) {
            out[at] = z(l0);
            out[at + 1] = z(l1);
            out[at + 2] = z(l2);
            out[at + 3] = z(l3);
            return;
        }
        evaluations += 4;
        float xx0 = (float) (l0[3] / d0 * nx);
        float xy0 = (float) (-l0[1] / d0 * nx);
        float yx0 = (float) (-l0[2] / d0 * ny);
        float yy0 = (float) (l0[0] / d0 * ny);
        float xx1 = (float) (l1[3] / d1 * nx);
        float xy1 = (float) (-l1[1] / d1 * nx);
        float yx1 = (float) (-l1[2] / d1 * ny);
        float yy1 = (float) (l1[0] / d1 * ny);
        float xx2 = (float) (l2[3] / d2 * nx);
        float xy2 = (float) (-l2[1] / d2 * nx);
        float yx2 = (float) (-l2[2] / d2 * ny);
        float yy2 = (float) (l2[0] / d2 * ny);
        float xx3 = (float) (l3[3] / d3 * nx);
        float xy3 = (float) (-l3[1] / d3 * nx);
        float yx3 = (float) (-l3[2] / d3 * ny);
        float yy3 = (float) (l3[0] / d3 * ny);
        float offX = nx * 64 + 0.5f;
        float offY = ny * 64 + 0.5f;
        int mx = nx - 1;
        int my = ny - 1;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n0 = 0;
        int n1 = 0;
        int n2 = 0;
        int n3 = 0;
        lineIndices(xx0, xy0, yx0, yy0, offX, offY, mx, my, i0);
        lineIndices(xx1, xy1, yx1, yy1, offX, offY, mx, my, i1);
        lineIndices(xx2, xy2, yx2, yy2, offX, offY, mx, my, i2);
        lineIndices(xx3, xy3, yx3, yy3, offX, offY, mx, my, i3);
        float[] wb = weights;
        for (int i = 0; i < i0.length; i++) {
            float b0 = wb[i0[i]];
            float b1 = wb[i1[i]];
            float b2 = wb[i2[i]];
            float b3 = wb[i3[i]];
            if (b0 == b0) {
                s0 += b0;
                n0++;
            }
            if (b1 == b1) {
                s1 += b1;
                n1++;
            }
            if (b2 == b2) {
                s2 += b2;
                n2++;
            }
            if (b3 == b3) {
                s3 += b3;
                n3++;
            }
        }
        out[at] = n0 < 64 ? 0 : s0 / Math.sqrt(n0);
        out[at + 1] = n1 < 64 ? 0 : s1 / Math.sqrt(n1);
        out[at + 2] = n2 < 64 ? 0 : s2 / Math.sqrt(n2);
        out[at + 3] = n3 < 64 ? 0 : s3 / Math.sqrt(n3);
    }

    /** {@link #z} of lattices {@code at .. at + lanes - 1} by {@code lanes}, into {@code out} from {@code at}. */
    private void zLanes(Lanes lanes, List<double[]> lattices, int at, double[] out, float[] map, double[] sums,
            int[] counts, boolean[] degenerate) {
        int l = lanes.lanes();
        for (int k = 0; k < l; k++) {
            double[] lat = lattices.get(at + k);
            double det = lat[0] * lat[3] - lat[1] * lat[2];
            degenerate[k] = Math.abs(det) < 1;
            if (degenerate[k]) {
                // scored 0 by z (which counts it); its lane reads bin 0 and is not used
                map[k] = 0;
                map[l + k] = 0;
                map[2 * l + k] = 0;
                map[3 * l + k] = 0;
                continue;
            }
            map[k] = (float) (lat[3] / det * nx);
            map[l + k] = (float) (-lat[1] / det * nx);
            map[2 * l + k] = (float) (-lat[2] / det * ny);
            map[3 * l + k] = (float) (lat[0] / det * ny);
        }
        lanes.score(weights, nx, ny, ANNULUS_KX, ANNULUS_KY, map, sums, counts);
        for (int k = 0; k < l; k++) {
            if (degenerate[k]) {
                out[at + k] = z(lattices.get(at + k));
            } else {
                evaluations++;
                out[at + k] = counts[k] < 64 ? 0 : sums[k] / Math.sqrt(counts[k]);
            }
        }
    }

    /**
     * The spectrum index of every line for the bin-position map (xx, xy; yx, yy), as {@link #z} computes it: a loop of
     * its own, with nothing but arithmetic, which the JIT vectorises.
     */
    private void lineIndices(float xx, float xy, float yx, float yy, float offX, float offY, int mx, int my, int[] out) {
        float[] kxs = ANNULUS_KX;
        float[] kys = ANNULUS_KY;
        int w = nx;
        for (int i = 0; i < out.length; i++) {
            float kx = kxs[i];
            float ky = kys[i];
            out[i] = ((int) (yx * kx + yy * ky + offY) & my) * w + ((int) (xx * kx + xy * ky + offX) & mx);
        }
    }

    /**
     * Lattices scored side by side in the lanes of a vector ({@code VectorComb}): for lane l, {@code map} holds the
     * bin-position map (xx, xy, yx, yy as {@link #z} computes them) at l, lanes + l, 2 lanes + l, 3 lanes + l; the
     * kernel leaves each lane's sum of the weights at its lines (in line order) and their count.
     */
    interface Lanes {
        int lanes();

        void score(float[] weights, int nx, int ny, float[] kxs, float[] kys, float[] map, double[] sums, int[] counts);
    }

    /**
     * The Vector API's lanes when {@code jdk.incubator.vector} is present, else null (then {@link #z4}). Four scalar
     * sums side by side still cost about 7 cycles per lattice and line, all of it arithmetic (a weight table the size
     * of the L1 cache was as slow): most of a full search's comb on an unmarked image (issue 17).
     */
    static final Lanes LANES = vectorLanes();

    private static Lanes vectorLanes() {
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return null;
            }
            return (Lanes) Class.forName("org.aigcmark.watermark.VectorComb").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** {@link #LANES} once a background thread has run them enough for the JIT to compile them, else null */
    private static volatile Lanes warmLanes;
    private static final AtomicBoolean LANES_WARMING = new AtomicBoolean();
    /** calls of the warm-up (C2 compiles a method after some thousands; a call is ~200 lines of 4-8 lanes) */
    static final int LANES_WARM_UP_CALLS = 20_000;

    /**
     * The lanes to score with now: null (four scalar sums, the same floats) until a daemon thread, started by the first
     * search, has run the Vector API kernel {@value #LANES_WARM_UP_CALLS} times. Run cold (interpreted), every vector
     * operation allocates its box: a first detection on a fresh JVM allocated 0.9-1.1 GiB in the comb alone (the fuzz
     * campaign's heap budget caught it), against 50 MiB compiled.
     */
    static Lanes lanesIfWarm() {
        Lanes lanes = warmLanes;
        if (lanes != null || LANES == null) {
            return lanes;
        }
        if (LANES_WARMING.compareAndSet(false, true)) {
            Thread warmUp = new Thread(CombSearch::warmUpLanes, "aigcmark-comb-warm-up");
            warmUp.setDaemon(true);
            warmUp.setPriority(Thread.MIN_PRIORITY);
            warmUp.start();
        }
        return null;
    }

    private static void warmUpLanes() {
        int n = 64;
        float[] weights = new float[n * n];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 7 == 0 ? NO_LINE : (i % 13) / 13f;
        }
        int l = LANES.lanes();
        float[] map = new float[4 * l];
        for (int i = 0; i < map.length; i++) {
            map[i] = 0.25f + (i % 5) * 0.3f;
        }
        double[] sums = new double[l];
        int[] counts = new int[l];
        for (int i = 0; i < LANES_WARM_UP_CALLS; i++) {
            LANES.score(weights, n, n, ANNULUS_KX, ANNULUS_KY, map, sums, counts);
        }
        warmLanes = LANES;
    }

    /**
     * The lattices scored ({@link #z}), a vector's lanes ({@link #LANES}, once warm: {@link #lanesIfWarm}) or four
     * ({@link #z4}) at a time, in their order.
     */
    List<LatticeEstimator.Scored> scored(List<double[]> lattices) {
        return scored(lattices, lanesIfWarm());
    }

    /** {@link #scored(List)} with the given lanes (null: four scalar sums at a time; CombSearchTest compares them). */
    List<LatticeEstimator.Scored> scored(List<double[]> lattices, Lanes lanes) {
        int n = lattices.size();
        double[] z = new double[n];
        int i = 0;
        if (lanes != null) {
            int l = lanes.lanes();
            float[] map = new float[4 * l];
            double[] sums = new double[l];
            int[] counts = new int[l];
            boolean[] degenerate = new boolean[l];
            for (; i + l <= n; i += l) {
                zLanes(lanes, lattices, i, z, map, sums, counts, degenerate);
            }
        }
        for (; i + 4 <= n; i += 4) {
            z4(lattices.get(i), lattices.get(i + 1), lattices.get(i + 2), lattices.get(i + 3), z, i);
        }
        for (; i < n; i++) {
            z[i] = z(lattices.get(i));
        }
        List<LatticeEstimator.Scored> all = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            all.add(new LatticeEstimator.Scored(lattices.get(k), z[k]));
        }
        return all;
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
     * Every other grid point in each coordinate is scored first; the best {@value #COARSE_CELLS} of those and their
     * grid neighbours at full resolution are then scored too (docs/WATERMARK.md, "Coarse-to-fine comb"). The
     * coarse points are grid points, scored exactly, so a lattice found keeps the score the full grid gives it.
     */
    static final int COARSE_CELLS = 64;

    /**
     * Comb search over the geometric changes that ordinary distribution makes: crops (the period grows relative to the
     * shorter side), rotations, aspect changes, and crops combined with a small rotation. Steps are fine enough that
     * the true lattice is always within a fraction of a spectral bin of a grid point at the top of the band; the grid
     * is searched coarse to fine ({@link #COARSE_CELLS}). Returns the best hypotheses (locally refined, distinct),
     * best first.
     */
    List<LatticeEstimator.Scored> search(double basePeriod, int max) {
        return search(basePeriod, max, max);
    }

    /**
     * A comb z that periodic content reaches and the mark does not need (a page of text: its lines and characters form
     * lattices of their own, comb z 40-134, while a mark decodes from 6 up and unmarked photos stay under ~26, but for
     * a JPEG block grid aliased by scaling, one lattice at z 40-190 with its harmonics: 02, 04, 05 of the photos): its
     * lattices fill the coarse ranking and the best few, and push the mark's out of both.
     */
    static final double PERIODIC_CONTENT_Z = 30;

    /**
     * {@link #search(double, int)}, but where a lattice reaches {@link #PERIODIC_CONTENT_Z}: with two lattices of their
     * own there ({@link #contentLattices}: a page of text, whose lines and characters form several) the whole grid is
     * scored and the best {@code maxOnPeriodicContent} are returned; with one (a photo's JPEG block grid, aliased by
     * the scaling: the dusk lake) its harmonics are left out of the best {@code max} ({@link #HARMONIC_RESIDUAL}) and
     * nothing more is scored.
     */
    List<LatticeEstimator.Scored> search(double basePeriod, int max, int maxOnPeriodicContent) {
        return search(basePeriod, max, maxOnPeriodicContent, MIN_SCALE);
    }

    /** {@link #search(double, int, int)} with the border family down to {@code minScale} ({@link #minScale}). */
    List<LatticeEstimator.Scored> search(double basePeriod, int max, int maxOnPeriodicContent, double minScale) {
        List<List<double[][]>> families = grid(basePeriod, minScale);
        GridScores scores = searchGrid(families, 2, COARSE_CELLS);
        List<LatticeEstimator.Scored> scored = scores.scored();
        ranked = scored; // sorted best first by best() below
        if (scored.stream().mapToDouble(LatticeEstimator.Scored::z).max().orElse(0) < PERIODIC_CONTENT_Z) {
            return best(scored, max);
        }
        List<double[]> content = contentLattices(scored);
        if (content.size() > 1) {
            scored.addAll(scored(scores.rest(families)));
            List<LatticeEstimator.Scored> out = best(scored, maxOnPeriodicContent);
            CombSearch offLines = withoutContentLines();
            if (offLines != null) {
                for (LatticeEstimator.Scored s : offLines.best(offLines.searchGrid(families, 2, COARSE_CELLS).scored(), max)) {
                    if (LatticeEstimator.isNew(out, s.lattice())) {
                        out.add(s);
                    }
                }
            }
            return out;
        }
        return best(scored, max, content);
    }

    /**
     * Mean comb weight over a whole row (or column) of the spectrum from which it counts as a line of periodic content
     * ({@link #withoutContentLines}). Without content a row's mean is about 0 (a few hundred weights of mean 0 and
     * variance about 1: standard deviation about 0.05); a mark's own lines add at most about 0.2 to the rows of an
     * upright lattice (a page of text's mark: 70 of a row's 370 bins, weight 0.9 each); a page of text's lines fill whole
     * rows at 1.8-5.1.
     */
    static final double CONTENT_LINE_MEAN = 1.0;
    /** ... and the rows on either side of such a line taken out with it */
    static final int CONTENT_LINE_REACH = 2;

    /**
     * This comb on the weights with the rows and columns that periodic content fills along their whole length taken out
     * (no information, like the JPEG grid's lines; null when there are none). Text lines are periodic across the page
     * but their characters are not, so their energy lies along whole rows of the spectrum (fy = n / line pitch, any
     * fx), not at points: every lattice with a row of lines on those rows scores there, and after a crop that moved
     * the period (centre crop 80 %) the text lines' lattices scored 99-145 and the mark's 37 (on the text's rows too),
     * ninth or later. On the rows and columns left the mark's lattice scores 12-16 and ranks among the best 3 (page
     * cropped to 90, 80, 71 % of each side); the points of it on a notched row (five rows of every line pitch, up to a
     * third) are lost. Only pages with two content lattices ({@link #contentLattices}) get here.
     */
    private CombSearch withoutContentLines() {
        float[] w = weights.clone();
        boolean rows = notchContentLines(w, ny, nx, nx, 1);
        boolean cols = notchContentLines(w, nx, ny, 1, nx);
        return rows || cols ? new CombSearch(w, nx, ny) : null;
    }

    /**
     * Takes the content lines out of the weights {@code w} along one axis: {@code lines} lines of {@code length} bins, line i's
     * bin j at {@code i * lineStep + j * binStep}. The bins around such a line were whitened by a neighbourhood mean
     * that the line lifted, so the lines left are rescaled to the ratio's mean of 1 again (weight w = r - 1 of a ratio
     * r that the line divided by a factor c: mean c - 1, so (w + 1) / c - 1; without that every lattice scored about
     * -15 off the text lines of a page). Whether any line was a content line.
     */
    private static boolean notchContentLines(float[] w, int lines, int length, int lineStep, int binStep) {
        double[] mean = new double[lines];
        for (int i = 0; i < lines; i++) {
            double sum = 0;
            int count = 0;
            for (int j = 0, at = i * lineStep; j < length; j++, at += binStep) {
                if (!Float.isNaN(w[at])) { // not NO_LINE
                    sum += w[at];
                    count++;
                }
            }
            mean[i] = count > 0 ? sum / count : 0;
        }
        boolean[] content = contentLines(mean);
        if (content == null) {
            return false;
        }
        for (int i = 0; i < lines; i++) {
            double c = mean[i] + 1;
            for (int j = 0, at = i * lineStep; j < length; j++, at += binStep) {
                if (Float.isNaN(w[at])) { // NO_LINE
                    continue;
                }
                w[at] = content[i] || c <= 0.05 ? NO_LINE : weight(Math.max(1e-6, (w[at] + 1) / c));
            }
        }
        return true;
    }

    /**
     * Which of the (cyclic) lines with these means are content lines ({@link #CONTENT_LINE_MEAN}) or within
     * {@value #CONTENT_LINE_REACH} of one (a line between bins, and the skirts of its harmonics); null if none.
     */
    private static boolean[] contentLines(double[] mean) {
        int n = mean.length;
        boolean[] out = new boolean[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (mean[i] >= CONTENT_LINE_MEAN) {
                for (int d = -CONTENT_LINE_REACH; d <= CONTENT_LINE_REACH; d++) {
                    out[Math.floorMod(i + d, n)] = true;
                }
                any = true;
            }
        }
        return any ? out : null;
    }

    /**
     * Left out as a harmonic of the one content lattice when what a lattice scores off that lattice's lines
     * ({@link #residualZ}) is under this fraction of its {@link #z}. Harmonics of the dusk lake's block grid (x2, x1.5,
     * x4/3, x3 of it) keep 0.06-0.19 of their z; a lattice of its own keeps about the lines that miss the content's
     * ((1 - 0.4^2) of them for a lattice at no simple ratio: sqrt(0.84) = 0.92 of its z).
     */
    static final double HARMONIC_RESIDUAL = 0.25;

    /**
     * Only lattices from this comb z on are passed over as harmonics: below it they do not outrank a mark (which
     * decodes from about 6 up), and noise lattices (z about N(0, 1), their residual too) are never taken for one, so
     * the best {@code max} always fill up (an estimation attack on the chat screenshot left one lattice and nothing
     * but its harmonics and noise: with every lattice tested, one candidate came back, and the extractor expects two).
     */
    static final double HARMONIC_MIN_Z = 5;

    /**
     * Lattices of the content's own, strongest first, at most two: scored points at {@link #PERIODIC_CONTENT_Z} or more
     * whose z off the lines of those before ({@link #residualZ}) still reaches half of it. The harmonics of one
     * lattice (and the grid points around it) do not; a page of text's line and character lattices do (residual z
     * 27-51 of 47-96).
     */
    private List<double[]> contentLattices(List<LatticeEstimator.Scored> scored) {
        List<LatticeEstimator.Scored> strong = new ArrayList<>();
        for (LatticeEstimator.Scored s : scored) {
            if (s.z() >= PERIODIC_CONTENT_Z) {
                strong.add(s);
            }
        }
        strong.sort((x, y) -> Double.compare(y.z(), x.z()));
        List<double[]> content = new ArrayList<>();
        for (LatticeEstimator.Scored s : strong) {
            if (content.isEmpty() || residualZ(s.lattice(), content) >= PERIODIC_CONTENT_Z / 2) {
                content.add(s.lattice());
                if (content.size() > 1) {
                    break;
                }
            }
        }
        return content;
    }

    /**
     * {@link #search} with the coarse grid every {@code coarse}-th point in each coordinate (1: the whole grid) and
     * the neighbourhoods of the best {@code cells} coarse points searched at full resolution, never completed.
     */
    List<LatticeEstimator.Scored> searchCoarseToFine(double basePeriod, int max, int coarse, int cells) {
        return best(searchGrid(grid(basePeriod), coarse, cells).scored(), max);
    }

    /** The grid points scored, and which were ({@code done[family][row][point]}). */
    private record GridScores(List<LatticeEstimator.Scored> scored, boolean[][][] done) {
        /** every grid point not scored yet, in grid order */
        List<double[]> rest(List<List<double[][]>> families) {
            List<double[]> rest = new ArrayList<>();
            for (int f = 0; f < families.size(); f++) {
                List<double[][]> rowsOf = families.get(f);
                for (int i = 0; i < rowsOf.size(); i++) {
                    double[][] row = rowsOf.get(i);
                    for (int j = 0; j < row.length; j++) {
                        if (!done[f][i][j]) {
                            rest.add(row[j]);
                        }
                    }
                }
            }
            return rest;
        }
    }

    /**
     * The full search's grid, in families of rows: within a row one parameter varies in fine steps, rows are
     * neighbours in the other (crops with a small rotation: one row per period, the rotation along it).
     */
    static List<List<double[][]>> grid(double basePeriod) {
        return grid(basePeriod, MIN_SCALE);
    }

    /** {@link #grid(double)} with the border family down to {@code minScale}. */
    static List<List<double[][]>> grid(double basePeriod, double minScale) {
        List<List<double[][]>> families = new ArrayList<>();
        // at the band's top a lattice error of e (relative) moves a line by e * 36 / period * n bins; the grid keeps that
        // under about half a bin. Larger periods put the lines closer to the origin, so the steps grow with the scale.
        double step = 0.0025;
        double small = Math.toRadians(1.5);
        // crop (+ small rotation): the period grows relative to the shorter side, here by 0.97 .. 2.7
        List<double[][]> crop = new ArrayList<>();
        for (double s = 0.97; s <= MAX_CROP_SCALE; s *= 1 + step * s) {
            double dt = step * s;
            List<double[]> row = new ArrayList<>();
            for (double t = -small; t <= small + 1e-9; t += dt) {
                row.add(lattice(basePeriod * s, t, 1, 1));
            }
            crop.add(row.toArray(new double[0][]));
        }
        families.add(crop);
        // an added border or frame: the shorter side grew, so the period shrinks relative to it (down to x0.8), and
        // a copy pasted at half its size or more into another picture (x0.45 .. 0.8)
        List<double[]> border = new ArrayList<>();
        for (double s = minScale; s < 0.97; s *= 1 + step * s) {
            border.add(lattice(basePeriod * s, 0, 1, 1));
        }
        families.add(oneRow(border));
        // rotation (the image keeps its size): up to +-45 degrees, i.e. any angle with the orientation search
        List<double[]> left = new ArrayList<>();
        List<double[]> right = new ArrayList<>();
        for (double t = small + step; t <= Math.toRadians(MAX_ROTATION_DEGREES); t += step) {
            left.add(lattice(basePeriod, t, 1, 1));
            right.add(lattice(basePeriod, -t, 1, 1));
        }
        families.add(oneRow(left));
        families.add(oneRow(right));
        // aspect change of either axis
        List<double[]> wide = new ArrayList<>();
        List<double[]> tall = new ArrayList<>();
        for (double a = 0.7; a <= 1.43; a *= 1 + step) {
            wide.add(lattice(basePeriod, 0, a, 1));
            tall.add(lattice(basePeriod, 0, 1, a));
        }
        families.add(oneRow(wide));
        families.add(oneRow(tall));
        return families;
    }

    /**
     * Scores every {@code coarse}-th point of each family's rows and columns (and the last of each, so the ends are
     * covered), then every grid point within one fine step (in either coordinate) of the best {@code cells} of them
     * (each point once; {@link GridScores#rest} is the rest).
     * Rows of one family differ in length, so the neighbour of point j in row i is the point of row i + 1 at the same
     * position along the row (same rotation). Returns every point scored.
     */
    private GridScores searchGrid(List<List<double[][]>> families, int coarse, int cells) {
        List<double[]> lattices = new ArrayList<>();
        List<int[]> where = new ArrayList<>();
        boolean[][][] done = new boolean[families.size()][][];
        for (int f = 0; f < families.size(); f++) {
            List<double[][]> rowsOf = families.get(f);
            done[f] = new boolean[rowsOf.size()][];
            for (int i = 0; i < rowsOf.size(); i++) {
                double[][] row = rowsOf.get(i);
                done[f][i] = new boolean[row.length];
                if (i % coarse != 0 && i != rowsOf.size() - 1) {
                    continue;
                }
                for (int j = 0; j < row.length; j++) {
                    if (j % coarse == 0 || j == row.length - 1) {
                        done[f][i][j] = true;
                        lattices.add(row[j]);
                        where.add(new int[] {f, i, j});
                    }
                }
            }
        }
        List<LatticeEstimator.Scored> all = new ArrayList<>(scored(lattices));
        if (coarse == 1) {
            return new GridScores(all, done);
        }
        Integer[] order = new Integer[all.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(all.get(y).z(), all.get(x).z()));
        List<double[]> fine = new ArrayList<>();
        int reach = coarse - 1;
        for (int k = 0; k < Math.min(cells, order.length); k++) {
            int[] at = where.get(order[k]);
            List<double[][]> rowsOf = families.get(at[0]);
            double along = at[2] / (double) Math.max(1, rowsOf.get(at[1]).length - 1);
            for (int i = Math.max(0, at[1] - reach); i <= Math.min(rowsOf.size() - 1, at[1] + reach); i++) {
                double[][] row = rowsOf.get(i);
                int centre = i == at[1] ? at[2] : (int) Math.round(along * (row.length - 1));
                for (int j = Math.max(0, centre - reach); j <= Math.min(row.length - 1, centre + reach); j++) {
                    if (!done[at[0]][i][j]) {
                        done[at[0]][i][j] = true;
                        fine.add(row[j]);
                    }
                }
            }
        }
        all.addAll(scored(fine));
        return new GridScores(all, done);
    }

    /**
     * The quick search's comb: the image's own orientation, one change at a time: a scale change of the period relative
     * to the shorter side (crops shrink the shorter side: x1.0 .. 2.0; added borders or frames grow it: down to x0.8)
     * and a rotation up to +-5 degrees, about 370 hypotheses instead of the full search's 4 900. Returns the best
     * (locally refined, distinct), best first.
     */
    List<LatticeEstimator.Scored> searchQuick(double basePeriod, int max) {
        List<double[]> all = new ArrayList<>();
        double step = 0.0025;
        for (double s = 0.8; s <= 2.0; s *= 1 + step * s) {
            add(all, lattice(basePeriod * s, 0, 1, 1));
        }
        for (double t = step; t <= Math.toRadians(5.0); t += step) {
            add(all, lattice(basePeriod, t, 1, 1));
            add(all, lattice(basePeriod, -t, 1, 1));
        }
        return best(scored(all), max);
    }

    private List<LatticeEstimator.Scored> best(List<LatticeEstimator.Scored> all, int max) {
        return best(all, max, List.of());
    }

    /**
     * The best {@code max} distinct lattices, each refined ({@link #refine}), best first; with {@code content} (the one
     * content lattice) its harmonics are passed over before they are refined, and the content lattice itself is kept.
     */
    private List<LatticeEstimator.Scored> best(List<LatticeEstimator.Scored> all, int max, List<double[]> content) {
        all.sort((x, y) -> Double.compare(y.z(), x.z()));
        List<LatticeEstimator.Scored> out = new ArrayList<>();
        // harmonics passed over, so a grid point beside one (whose refinement would climb to it) is passed over too
        List<LatticeEstimator.Scored> harmonics = new ArrayList<>();
        for (LatticeEstimator.Scored c : all) {
            if (out.size() >= max) {
                break;
            }
            if (LatticeEstimator.isNew(out, c.lattice())) {
                if (!out.isEmpty() && isHarmonic(c, content, harmonics)) {
                    continue;
                }
                LatticeEstimator.Scored r = refine(c.lattice(), c.z());
                if (!out.isEmpty() && isHarmonic(r, content, harmonics)) {
                    continue;
                }
                if (LatticeEstimator.isNew(out, r.lattice())) {
                    out.add(r);
                }
            }
        }
        out.sort((x, y) -> Double.compare(y.z(), x.z()));
        return out;
    }

    /** Whether {@code c} is (beside) a harmonic of the content lattice ({@link #HARMONIC_RESIDUAL}); if so, noted. */
    private boolean isHarmonic(LatticeEstimator.Scored c, List<double[]> content, List<LatticeEstimator.Scored> harmonics) {
        if (content.isEmpty() || c.z() < HARMONIC_MIN_Z) {
            return false;
        }
        if (!LatticeEstimator.isNew(harmonics, c.lattice()) || residualZ(c.lattice(), content) < HARMONIC_RESIDUAL * c.z()) {
            harmonics.add(c);
            return true;
        }
        return false;
    }

    private static List<double[][]> oneRow(List<double[]> row) {
        List<double[][]> family = new ArrayList<>();
        family.add(row.toArray(new double[0][]));
        return family;
    }

    private static void add(List<double[]> all, double[] lat) {
        all.add(lat);
    }
}
