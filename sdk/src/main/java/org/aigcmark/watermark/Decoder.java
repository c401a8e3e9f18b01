package org.aigcmark.watermark;

import static org.aigcmark.watermark.KeyedTile.TILE;

/**
 * Folds a whitened working image onto one tile for a lattice hypothesis, finds orientation and translation with
 * the keyed reference, and decodes the payload. Counts the statistical tests it makes (for the reported bound).
 */
final class Decoder {
    /**
     * identity lattice, the best screened lattices, one refined lattice, a multiple of a comb lattice and a keystone
     * hypothesis (each tried and refined): at most one payload decode each
     */
    static final int MAX_DECODE_ATTEMPTS = 2 + WatermarkExtractor.FULL_TRIES + LatticeMultiples.DECODE_ATTEMPTS
            + PerspectiveHypotheses.DECODE_ATTEMPTS;
    private static final int MASK = TILE - 1;
    private static final int HALF = TILE / 2;
    /** Lattice refinement is only worth it when the estimated lattice already shows some correlation. */
    static final double REFINE_Z = 5.0;
    /**
     * The refinement stops after its two coarse step sizes (issue 17) when even 1.5 times what they gained would not
     * bring z to the decode gate: the fine two gained about as much as the coarse two in every case measured (a weak
     * mark climbs about 0.8 per step size, a mark's lattice that was further off 4-15 in the first), and an unmarked
     * image's noise lattice, which starts near 5 and climbs 0-0.7, spent half of its ~50 folds in them.
     */
    static final double REFINE_FINE_GAIN = 1.5;
    private static final int[][] ORIENT = {
        {1, 0, 0, 1}, {0, -1, 1, 0}, {-1, 0, 0, -1}, {0, 1, -1, 0},
        {-1, 0, 0, 1}, {1, 0, 0, -1}, {0, 1, 1, 0}, {0, -1, -1, 0}};

    /**
     * A try's outcome: {@code raw} holds the data bits as decoded at its synchronisation whether the CRC matched or not
     * ({@link #rawData}), {@code attempted} whether a payload decode was counted (z at the decode gate).
     */
    record Result(boolean decoded, long data, double z, double[] lattice, int orientation, RawData raw, boolean attempted) {
        Result(boolean decoded, long data, double z, double[] lattice, int orientation) {
            this(decoded, data, z, lattice, orientation, new RawData(data), decoded);
        }

        Result(boolean decoded, long data, double z, double[] lattice, int orientation, long rawData, boolean attempted) {
            this(decoded, data, z, lattice, orientation, new RawData(rawData), attempted);
        }

        /** The data bits as decoded at this synchronisation, CRC or not (the bench's bit accuracy reads them). */
        long rawData() {
            return raw.get();
        }
    }

    /**
     * Data bits decoded when first asked for. Below the decode gate a try's decode (ring weights, soft bits, Viterbi: 0.15-0.3 ms) is only
     * the best-effort data of a search that finds nothing, and of the several tries of such a search at most one
     * result is reported: the others' decodes were thrown away (issue 17).
     */
    static final class RawData {
        /** the decoder and the spectrum to decode, null once decoded */
        private Decoder decoder;
        private double[][] spec;
        private final int orientation;
        private final double dx;
        private final double dy;
        private long data;

        RawData(long data) {
            this.data = data;
            this.orientation = 0;
            this.dx = 0;
            this.dy = 0;
        }

        private RawData(Decoder decoder, double[][] spec, int orientation, double dx, double dy) {
            this.decoder = decoder;
            this.spec = spec;
            this.orientation = orientation;
            this.dx = dx;
            this.dy = dy;
        }

        long get() {
            if (decoder != null) {
                data = decoder.decode(spec, orientation, dx, dy).data();
                decoder = null;
                spec = null;
            }
            return data;
        }
    }

    /** Data bits as decoded (before the CRC check) and whether the CRC matched. */
    record Decoded(long data, boolean ok) {}

    private final KeyedTile tile;
    private final float[] white;
    private final int w;
    private final int h;
    private long tests;
    private final double zNorm;
    private final int orientations;

    /** @param allOrientations also try the 90-degree rotations and mirror images (else upright only) */
    Decoder(KeyedTile tile, float[] white, int w, int h, boolean allOrientations) {
        this.orientations = allOrientations ? ORIENT.length : 1;
        this.tile = tile;
        this.white = white;
        this.w = w;
        this.h = h;
        this.zNorm = 1.0 / Math.sqrt(2.0 * tile.refKx.length);
    }

    long tests() {
        return tests;
    }

    /**
     * Phase-only spectrum of the folded tile, [re, im], at the bins of the tile's band (|kx|, |ky| up to {@link
     * KeyedTile#BAND_MAX}: every bin the correlations and decodes read); the other bins are not meaningful (issue 17:
     * the transform and the normalisation skip them).
     */
    double[][] foldSpectrum(double[] lat) {
        double[] folded = fold(lat);
        if (folded == null) {
            return null;
        }
        double[] re = new double[TILE * TILE];
        double[] im = new double[TILE * TILE];
        int band = KeyedTile.BAND_MAX;
        Fft.realForward2d(folded, re, im, TILE, TILE, band);
        for (int ky = -band; ky <= band; ky++) {
            int row = ((ky + TILE) & MASK) * TILE;
            for (int kx = -band; kx <= band; kx++) {
                int i = row + ((kx + TILE) & MASK);
                double m = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
                if (m > 0) {
                    re[i] /= m;
                    im[i] /= m;
                }
            }
        }
        return new double[][] {re, im};
    }

    /** The whitened image folded onto one tile for lattice {@code lat}: each cell's mean; null when degenerate. */
    double[] fold(double[] lat) {
        double det = lat[0] * lat[3] - lat[1] * lat[2];
        if (Math.abs(det) < 1e-6) {
            return null;
        }
        // B = [v1 v2] (columns); B^-1 maps image offsets to lattice coordinates
        double i00 = lat[3] / det * TILE;
        double i01 = -lat[2] / det * TILE;
        double i10 = -lat[1] / det * TILE;
        double i11 = lat[0] / det * TILE;
        double[] folded = new double[TILE * TILE];
        if (Math.abs(i00 - 1) * w + Math.abs(i01) * h < 0.25 && Math.abs(i11 - 1) * h + Math.abs(i10) * w < 0.25) {
            // one period is one tile (the image's own geometry when the shorter side is a multiple of 4): the general
            // fold ({@link #foldGeneral}) would put pixel (x, y) on cell (x mod 128, y mod 128), so add whole tile rows
            float[] sum = new float[TILE * TILE];
            int[] cnt = new int[TILE * TILE];
            foldUnitLattice(sum, cnt);
            for (int i = 0; i < folded.length; i++) {
                folded[i] = cnt[i] == 0 ? 0 : sum[i] / cnt[i];
            }
        } else {
            foldGeneral(i00, i01, i10, i11, folded);
        }
        return folded;
    }

    /**
     * Offset that keeps the fold's running lattice coordinates positive (a multiple of the tile) and inside one binade,
     * [2^20, 2^21), where a double is a multiple of 2^-32: there {@code u + d} rounds to exactly {@code u + rint(d)} on
     * that grid (a tie aside), so the coordinates can run as 32.32 fixed-point longs, one-cycle integer additions instead
     * of a chain of four-cycle double ones, with the same cells as the double loop (DecoderTest).
     */
    private static final double FOLD_OFFSET = 3 << 19;
    private static final double FIXED_ONE = 0x1p32;

    /**
     * The fold for any lattice (B^-1 times {@link KeyedTile#TILE}: i00 .. i11): each cell's mean. A cell's sum and count
     * sit side by side in one float array (a count is exact in a float up to 2^24, and sum / count is the same float as
     * with an int count), so each pixel's scattered add touches one cache line instead of two (issue 17).
     */
    private void foldGeneral(double i00, double i01, double i10, double i11, double[] folded) {
        float[] acc = new float[2 * TILE * TILE];
        double du = Math.rint(i00 * FIXED_ONE);
        double dv = Math.rint(i10 * FIXED_ONE);
        // a step exactly half-way between two grid points would round to even depending on u: the double loop then
        boolean fixed = Math.abs(du - i00 * FIXED_ONE) != 0.5 && Math.abs(dv - i10 * FIXED_ONE) != 0.5
                && Math.abs(i00) * w + Math.abs(i01) * h + Math.abs(i10) * w + Math.abs(i11) * h < 1 << 18;
        for (int y = 0; y < h; y++) {
            double u = FOLD_OFFSET + 0.5 + i01 * y;
            double v = FOLD_OFFSET + 0.5 + i11 * y;
            int o = y * w;
            if (fixed) {
                foldRowFixed(acc, o, (long) (u * FIXED_ONE), (long) (v * FIXED_ONE), (long) du, (long) dv);
                continue;
            }
            for (int x = 0; x < w; x++) {
                int idx = ((((int) v) & MASK) * TILE + (((int) u) & MASK)) << 1;
                acc[idx] += white[o + x];
                acc[idx + 1] += 1f;
                u += i00;
                v += i10;
            }
        }
        for (int i = 0; i < folded.length; i++) {
            float c = acc[2 * i + 1];
            folded[i] = c == 0 ? 0 : acc[2 * i] / c;
        }
    }

    /** One row of {@link #foldGeneral} with the lattice coordinates as 32.32 fixed-point numbers. */
    private void foldRowFixed(float[] acc, int o, long u, long v, long du, long dv) {
        for (int x = 0; x < w; x++) {
            int idx = ((((int) (v >>> 32)) & MASK) * TILE + (((int) (u >>> 32)) & MASK)) << 1;
            acc[idx] += white[o + x];
            acc[idx + 1] += 1f;
            u += du;
            v += dv;
        }
    }

    /** The fold for a lattice of exactly one tile per period, upright: cell (x mod 128, y mod 128). */
    private void foldUnitLattice(float[] sum, int[] cnt) {
        for (int y = 0; y < h; y++) {
            int row = (y & MASK) * TILE;
            int o = y * w;
            for (int x0 = 0; x0 < w; x0 += TILE) {
                int len = Math.min(TILE, w - x0);
                int src = o + x0;
                for (int i = 0; i < len; i++) {
                    sum[row + i] += white[src + i];
                }
            }
        }
        for (int cy = 0; cy < TILE; cy++) {
            int rows = h / TILE + (cy < h % TILE ? 1 : 0);
            for (int cx = 0; cx < TILE; cx++) {
                cnt[cy * TILE + cx] = rows * (w / TILE + (cx < w % TILE ? 1 : 0));
            }
        }
    }

    private static int bin(int kx, int ky) {
        return ((ky + TILE) & MASK) * TILE + ((kx + TILE) & MASK);
    }

    /** Reference correlation for one orientation: {z, dx, dy} with sub-pixel shift. */
    double[] correlate(double[][] spec, int o) {
        double[] gr = new double[TILE * TILE];
        double[] gi = new double[TILE * TILE];
        addReference(spec, o, gr, gi, false);
        Fft.transform2dBand(gr, gi, TILE, true, KeyedTile.BAND_MAX);
        tests += TILE * TILE;
        double[] p = peak(gr, TILE);
        return new double[] {p[0] * zNorm, p[1], p[2]};
    }

    /**
     * Reference correlations of orientations {@code from .. to - 1} of one fold, {z, dx, dy} each. Each correlation
     * is real (its spectrum is conjugate-symmetric), so two share one inverse transform: the first as the real part,
     * the second times i, read back from the real and the imaginary output. Equal to {@link #correlate} per
     * orientation up to rounding, at half the transforms.
     */
    double[][] correlateOrientations(double[][] spec, int from, int to) {
        double[][] out = new double[to - from][];
        for (int o = from; o < to; o += 2) {
            double[] gr = new double[TILE * TILE];
            double[] gi = new double[TILE * TILE];
            addReference(spec, o, gr, gi, false);
            boolean pair = o + 1 < to;
            if (pair) {
                addReference(spec, o + 1, gr, gi, true);
            }
            Fft.transform2dBand(gr, gi, TILE, true, KeyedTile.BAND_MAX);
            double[] p = peak(gr, TILE);
            out[o - from] = new double[] {p[0] * zNorm, p[1], p[2]};
            tests += TILE * TILE;
            if (pair) {
                double[] q = peak(gi, TILE);
                out[o + 1 - from] = new double[] {q[0] * zNorm, q[1], q[2]};
                tests += TILE * TILE;
            }
        }
        return out;
    }

    /** Adds {@code F(k) conj(c(k))} of orientation o (Hermitian: both half planes) to gr/gi, times i when asked. */
    private void addReference(double[][] spec, int o, double[] gr, double[] gi, boolean timesI) {
        int[] r = ORIENT[o];
        for (int i = 0; i < tile.refKx.length; i++) {
            int kx = r[0] * tile.refKx[i] + r[1] * tile.refKy[i];
            int ky = r[2] * tile.refKx[i] + r[3] * tile.refKy[i];
            int b = bin(kx, ky);
            double fr = spec[0][b];
            double fi = spec[1][b];
            // F * conj(c)
            double a = fr * tile.refCos[i] + fi * tile.refSin[i];
            double c = fi * tile.refCos[i] - fr * tile.refSin[i];
            int nb = bin(-kx, -ky);
            if (timesI) {
                // i (a + ic) at k, i (a - ic) at -k
                gr[b] -= c;
                gi[b] += a;
                gr[nb] += c;
                gi[nb] += a;
            } else {
                gr[b] += a;
                gi[b] += c;
                gr[nb] += a;
                gi[nb] -= c;
            }
        }
    }

    /** Largest value of a cyclic n x n correlation and its position, refined with parabolas: {value, x, y}. */
    private static double[] peak(double[] gr, int n) {
        int mask = n - 1;
        int best = 0;
        for (int i = 1; i < gr.length; i++) {
            if (gr[i] > gr[best]) {
                best = i;
            }
        }
        int by = best / n;
        int bx = best % n;
        double c0 = gr[best];
        double x = bx + parabola(gr[by * n + ((bx - 1) & mask)], c0, gr[by * n + ((bx + 1) & mask)]);
        double y = by + parabola(gr[((by - 1) & mask) * n + bx], c0, gr[((by + 1) & mask) * n + bx]);
        return new double[] {c0, x, y};
    }

    private static double parabola(double a, double b, double c) {
        double den = a - 2 * b + c;
        if (den >= 0) {
            return 0;
        }
        double d = 0.5 * (a - c) / den;
        return Math.max(-0.5, Math.min(0.5, d));
    }

    /** Viterbi decode with the given orientation and shift. */
    Decoded decode(double[][] spec, int o, double dx, double dy) {
        double[] soft = softBits(spec, o, dx, dy, ringWeights(spec, o, dx, dy));
        boolean[] info = ConvolutionalCode.decode(soft, KeyedTile.INFO_BITS);
        Long ok = tile.checkInfo(info);
        long data = 0;
        for (int i = 0; i < KeyedTile.DATA_BITS; i++) {
            data = (data << 1) | (info[i] ? 1 : 0);
        }
        return new Decoded(data, ok != null);
    }

    /** Soft metrics per coded bit for an orientation and shift (sum over each bit's payload bins). */
    private double[] softBits(double[][] spec, int o, double dx, double dy) {
        return softBits(spec, o, dx, dy, null);
    }

    /** Width (cycles per tile) of the rings of {@link #ringWeights}. */
    private static final int RING = 4;
    private static final int RINGS = (KeyedTile.BAND_MAX - KeyedTile.BAND_MIN) / RING; // the edge r = 36 joins the last

    private static int ring(int kx, int ky) {
        int r = (int) ((Math.sqrt(kx * kx + ky * ky) - KeyedTile.BAND_MIN) / RING);
        return Math.max(0, Math.min(RINGS - 1, r));
    }

    /**
     * The real part of spectrum bin (kx, ky) (a tile bin turned by orientation {@code r}) against its keyed unit phasor
     * (cos, sin) shifted by (dx, dy): one term of a reference or payload correlation.
     */
    private static double correlation(double[][] spec, int[] r, int kx0, int ky0, double cos, double sin, double dx, double dy) {
        int kx = r[0] * kx0 + r[1] * ky0;
        int ky = r[2] * kx0 + r[3] * ky0;
        int b = bin(kx, ky);
        double phi = 2 * Math.PI / TILE * (kx * dx + ky * dy);
        // each once (two calls of an intrinsic are two calls to the JIT)
        double cp = Math.cos(phi);
        double sp = Math.sin(phi);
        double cr = cp * cos + sp * sin;
        double ci = sp * cos - cp * sin;
        return spec[0][b] * cr - spec[1][b] * ci;
    }

    /**
     * How much of the mark each ring of the band still holds at this orientation and shift: the mean keyed reference
     * correlation of its reference bins, 0 where it is not positive (null when no ring is). A downscale to a 128 px
     * image or H.264 removes the top of the band: its payload bins are then noise, which counted like the others
     * outvoted the bins that still carry the payload (the reference read z 8-10, the payload was lost).
     */
    private double[] ringWeights(double[][] spec, int o, double dx, double dy) {
        int[] r = ORIENT[o];
        double[] sum = new double[RINGS];
        int[] count = new int[RINGS];
        for (int i = 0; i < tile.refKx.length; i++) {
            int ring = ring(tile.refKx[i], tile.refKy[i]);
            sum[ring] += correlation(spec, r, tile.refKx[i], tile.refKy[i], tile.refCos[i], tile.refSin[i], dx, dy);
            count[ring]++;
        }
        boolean any = false;
        for (int k = 0; k < RINGS; k++) {
            sum[k] = count[k] == 0 ? 0 : Math.max(0, sum[k] / count[k]);
            any |= sum[k] > 0;
        }
        return any ? sum : null;
    }

    /** As above, each payload bin's term times its ring's weight when given. */
    private double[] softBits(double[][] spec, int o, double dx, double dy, double[] ringWeight) {
        int[] r = ORIENT[o];
        double[] soft = new double[KeyedTile.CODED_BITS];
        for (int i = 0; i < tile.msgKx.length; i++) {
            double v = correlation(spec, r, tile.msgKx[i], tile.msgKy[i], tile.msgCos[i], tile.msgSin[i], dx, dy);
            soft[tile.msgBit[i]] += ringWeight == null ? v : v * ringWeight[ring(tile.msgKx[i], tile.msgKy[i])];
        }
        return soft;
    }

    /**
     * Synchronisation from the payload bins alone, for a mark whose reference pattern was weakened or removed (the
     * reference is the part all marks of one key share, so averaging many marked images estimates it; the payload
     * bins differ per payload and average out). Squaring {@code F(k) e^{-i theta_k}} removes the unknown BPSK sign and
     * leaves {@code e^{-2 pi i 2k.t/128}}: a correlation over the doubled frequencies finds the shift t modulo half a
     * tile. Of the four shifts that leaves, only the one whose Viterbi path fits best is CRC-checked, so this is one
     * decode attempt; it is made only when the squared correlation reaches the decode gate z >= 6.
     */
    Result tryWithoutReference(double[] lat) {
        return tryWithoutReference(lat, foldSpectrum(lat));
    }

    /** {@link #tryWithoutReference(double[])} with the lattice's fold spectrum already made (null if degenerate). */
    Result tryWithoutReference(double[] lat, double[][] spec) {
        if (spec == null) {
            return new Result(false, 0, 0, lat, 0);
        }
        double zNormMsg = 1.0 / Math.sqrt(2.0 * tile.msgKx.length);
        double bestZ = Double.NEGATIVE_INFINITY;
        int bestO = 0;
        double tx = 0;
        double ty = 0;
        // the squared terms sit on doubled frequencies 2k, so the correlation repeats every half tile: a half-size
        // transform of G(2k) placed at k gives it exactly; two orientations share one transform (real and imaginary)
        for (int o = 0; o < orientations; o += 2) {
            double[] gr = new double[HALF * HALF];
            double[] gi = new double[HALF * HALF];
            addSquaredPayload(spec, o, gr, gi, false);
            boolean pair = o + 1 < orientations;
            if (pair) {
                addSquaredPayload(spec, o + 1, gr, gi, true);
            }
            Fft.transform2d(gr, gi, HALF, HALF, true);
            for (int j = 0; j < (pair ? 2 : 1); j++) {
                tests += (TILE / 2) * (TILE / 2);
                double[] p = peak(j == 0 ? gr : gi, HALF);
                double z = p[0] * zNormMsg;
                if (z > bestZ) {
                    bestZ = z;
                    bestO = o + j;
                    tx = p[1] % (TILE / 2);
                    ty = p[2] % (TILE / 2);
                }
            }
        }
        if (bestZ < WatermarkExtractor.DECODE_Z) {
            return new Result(false, 0, bestZ, lat, bestO);
        }
        // the shift is known modulo half a tile: the candidate whose decoded path fits the soft metrics best wins
        double bestMetric = Double.NEGATIVE_INFINITY;
        boolean[] bestInfo = null;
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double[] soft = softBits(spec, bestO, tx + a * TILE / 2.0, ty + b * TILE / 2.0);
                boolean[] info = ConvolutionalCode.decode(soft, KeyedTile.INFO_BITS);
                boolean[] coded = ConvolutionalCode.encode(info);
                double metric = 0;
                for (int j = 0; j < soft.length; j++) {
                    metric += coded[j] ? -soft[j] : soft[j];
                }
                if (metric > bestMetric) {
                    bestMetric = metric;
                    bestInfo = info;
                }
            }
        }
        Long ok = tile.checkInfo(bestInfo);
        long data = 0;
        for (int i = 0; i < KeyedTile.DATA_BITS; i++) {
            data = (data << 1) | (bestInfo[i] ? 1 : 0);
        }
        return ok != null ? new Result(true, data, bestZ, lat, bestO)
                : new Result(false, 0, bestZ, lat, bestO, data, true);
    }

    /**
     * Adds {@code (F(k) e^{-i theta_k})^2} of orientation o at the doubled frequency 2k, stored at k of a half-size
     * grid (2k mod 128 is 2 (k mod 64)), Hermitian; times i when asked.
     */
    private void addSquaredPayload(double[][] spec, int o, double[] gr, double[] gi, boolean timesI) {
        int[] r = ORIENT[o];
        for (int i = 0; i < tile.msgKx.length; i++) {
            int kx = r[0] * tile.msgKx[i] + r[1] * tile.msgKy[i];
            int ky = r[2] * tile.msgKx[i] + r[3] * tile.msgKy[i];
            int b = bin(kx, ky);
            // F e^{-i theta}, squared
            double a = spec[0][b] * tile.msgCos[i] + spec[1][b] * tile.msgSin[i];
            double c = spec[1][b] * tile.msgCos[i] - spec[0][b] * tile.msgSin[i];
            double sr = a * a - c * c;
            double si = 2 * a * c;
            int b2 = ((ky + HALF) & (HALF - 1)) * HALF + ((kx + HALF) & (HALF - 1));
            int nb2 = ((-ky + HALF) & (HALF - 1)) * HALF + ((-kx + HALF) & (HALF - 1));
            if (timesI) {
                gr[b2] -= si;
                gi[b2] += sr;
                gr[nb2] += si;
                gi[nb2] += sr;
            } else {
                gr[b2] += sr;
                gi[b2] += si;
                gr[nb2] += sr;
                gi[nb2] -= si;
            }
        }
    }

    /**
     * The keyed reference correlation of one lattice hypothesis in every orientation this decoder tries, with its fold
     * spectrum kept so that a decode or a payload-only try on the same lattice does not fold the image again.
     *
     * @param corr {z, dx, dy} of the best orientation, or null when the lattice is degenerate
     */
    final class Screened {
        private final double[] lattice;
        private final double[][] spectrum;
        private double[] corr;
        private int orientation;
        private int done;
        /**
         * Orientation {@code done}'s correlation, made with the screening's (two share one inverse transform) but kept
         * out of the screening's z until the orientation search asks for it; null when none.
         */
        private double[] aside;

        private Screened(double[] lattice, double[][] spectrum, double[] corr, int orientation, int done) {
            this.lattice = lattice;
            this.spectrum = spectrum;
            this.corr = corr;
            this.orientation = orientation;
            this.done = done;
        }

        double[] lattice() {
            return lattice;
        }

        double[][] spectrum() {
            return spectrum;
        }

        double[] corr() {
            return corr;
        }

        int orientation() {
            return orientation;
        }

        double z() {
            return corr == null ? 0 : corr[0];
        }

        /** Correlates the orientations not yet tried, up to {@code count}, keeping the best. */
        Screened withOrientations(int count) {
            if (spectrum == null) {
                return this;
            }
            int to = Math.min(count, orientations);
            if (aside != null && to > done) {
                tests += TILE * TILE;
                if (aside[0] > corr[0]) {
                    corr = aside;
                    orientation = done;
                }
                aside = null;
                done++;
            }
            double[][] cs = to > done ? correlateOrientations(spectrum, done, to) : new double[0][];
            for (int o = done; o < to; o++) {
                double[] c = cs[o - done];
                if (corr == null || c[0] > corr[0]) {
                    corr = c;
                    orientation = o;
                }
            }
            done = Math.max(done, Math.min(count, orientations));
            return this;
        }
    }

    /**
     * Screening of a lattice hypothesis: the fold and the keyed reference correlation, upright only (a cheap ranking;
     * {@link #tryScreened} adds the other orientations on the same fold).
     */
    Screened screen(double[] lat) {
        return screen(lat, 1);
    }

    /** The fold and the reference correlation in every orientation this decoder tries (four inverse transforms). */
    Screened screenAllOrientations(double[] lat) {
        return screen(lat, orientations);
    }

    /** The fold and the reference correlation in the first {@code orientationCount} orientations. */
    private Screened screen(double[] lat, int orientationCount) {
        double[][] spec = foldSpectrum(lat);
        if (spec == null) {
            return new Screened(lat, null, null, 0, 0);
        }
        Screened s = new Screened(lat, spec, null, 0, 0);
        if (orientationCount == 1 && orientations > 1) {
            // the upright screening's inverse transform has room for a second orientation: the one the orientation
            // search (tryScreened) needs first, so a try makes 3 transforms instead of 4 (issue 17); it is counted as a
            // test when used
            double[][] cs = correlateOrientations(spec, 0, 2);
            tests -= TILE * TILE;
            s.corr = cs[0];
            s.done = 1;
            s.aside = cs[1];
            return s;
        }
        return s.withOrientations(orientationCount);
    }

    Result tryLattice(double[] lat, boolean refine) {
        return tryScreened(screen(lat, orientations), refine);
    }

    /** {@link #tryLattice} on a lattice already screened (its fold and correlations are reused). */
    Result tryScreened(Screened s, boolean refine) {
        s.withOrientations(orientations);
        double[] lat = s.lattice();
        double[][] spec = s.spectrum();
        if (spec == null) {
            return new Result(false, 0, 0, lat, 0);
        }
        double bestZ = s.corr()[0];
        double[] bestC = s.corr();
        int bestO = s.orientation();
        Result first = decodeAt(spec, lat, bestZ, bestC, bestO);
        if (first.decoded() || !refine || bestZ < REFINE_Z) {
            return first;
        }
        // pattern search on the four lattice coordinates, keeping the orientation
        double[] cur = lat.clone();
        double curZ = bestZ;
        double[] curC = bestC;
        // the fold spectrum of cur, kept for its decode (the same floats as folding it again)
        double[][] curSpec = spec;
        double len = Math.sqrt(Math.abs(lat[0] * lat[3] - lat[1] * lat[2]));
        StringBuilder trail = WatermarkExtractor.TRACE ? new StringBuilder() : null;
        double[] steps = {0.008, 0.004, 0.002, 0.001};
        for (int si = 0; si < steps.length; si++) {
            double step = steps[si];
            if (si == 2 && curZ + REFINE_FINE_GAIN * (curZ - bestZ) < WatermarkExtractor.DECODE_Z) {
                break;
            }
            boolean improved = true;
            int rounds = 0;
            while (improved && rounds++ < 3) {
                improved = false;
                for (int k = 0; k < 4; k++) {
                    for (int sgn = -1; sgn <= 1; sgn += 2) {
                        double[] cand = cur.clone();
                        cand[k] += sgn * step * len;
                        double[][] sp = foldSpectrum(cand);
                        if (sp == null) {
                            continue;
                        }
                        double[] c = correlate(sp, bestO);
                        if (WatermarkExtractor.TRACE) {
                            trail.append(c[0] > curZ ? '+' : '.');
                        }
                        if (c[0] > curZ) {
                            curZ = c[0];
                            curC = c;
                            cur = cand;
                            curSpec = sp;
                            improved = true;
                        }
                    }
                }
            }
            if (WatermarkExtractor.TRACE) {
                trail.append(String.format(java.util.Locale.ROOT, "|%.2f|", curZ));
            }
        }
        Result refined = decodeAt(curSpec, cur, curZ, curC, bestO);
        if (WatermarkExtractor.TRACE) {
            System.err.println("wm-refine " + Thread.currentThread().getName() + " from=" + bestZ + " to=" + curZ
                    + " trail=" + trail + " decoded=" + refined.decoded());
        }
        return refined;
    }

    /**
     * The try's result at synchronisation {@code corr} ({z, dx, dy}) in orientation {@code o}: decoded when z reaches
     * the decode gate and the CRC matches; below the gate the data bits are decoded only if asked for ({@link RawData}).
     */
    private Result decodeAt(double[][] spec, double[] lat, double z, double[] corr, int o) {
        if (z < WatermarkExtractor.DECODE_Z) {
            return new Result(false, 0, z, lat, o, new RawData(this, spec, o, corr[1], corr[2]), false);
        }
        Decoded d = decode(spec, o, corr[1], corr[2]);
        return d.ok() ? new Result(true, d.data(), z, lat, o) : new Result(false, 0, z, lat, o, d.data(), true);
    }
}
