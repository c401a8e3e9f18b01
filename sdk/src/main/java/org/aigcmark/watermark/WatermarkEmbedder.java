package org.aigcmark.watermark;

import static org.aigcmark.watermark.KeyedTile.TILE;

/**
 * Adds the keyed tile to pixels: the tile resampled to the repetition period (cached per payload and period), weighted
 * per pixel by a texture mask (docs/WATERMARK.md, "Embedding"). Works on buffers {@link ImageWatermarker} has
 * already checked. Immutable apart from the pattern cache; thread-safe.
 */
final class WatermarkEmbedder {
    static final double BASE_ALPHA = 2.6;
    static final int BLOCK = 8;
    static final float GAIN_MIN = 0.30f;
    static final float GAIN_MAX = 1.5f;
    static final float ACT_REF = 10f;
    /** Predicted PSNR (dB) above which flat blocks get a raised gain ({@link #flatFloor}). */
    static final double FLAT_TARGET_PSNR = 41.0;
    /** Predicted PSNR (dB) below which the whole mark is scaled down to it ({@link #flatFloor}). */
    static final double MIN_PREDICTED_PSNR = 39.5;
    /**
     * The same for images whose shorter side is at most {@value #SMALL_SIDE} px: there the prediction is within 0.4 dB
     * of the result (a 512 px square of autumn hills: 39.5 predicted, 39.87 measured), on 2560 px photos 1.5 dB under
     * it (forest stream: 41.04 measured), so small images need the higher floor to stay at 40 dB.
     */
    static final double MIN_PREDICTED_PSNR_SMALL = 40.2;
    static final int SMALL_SIDE = 1024;
    /** Highest gain floor for flat blocks (the floor times {@link #BASE_ALPHA} is the mark's RMS there). */
    static final float FLAT_FLOOR_MAX = 1.6f;
    /**
     * Luma (8-bit, per sampled pixel since 2026-12-07 evening; the block mean before) from which the strength prediction
     * counts the clamping at white (mirrored: black): the kept share of the mark's energy falls linearly from 1 there to
     * 1/2 at 255, where only the half that points inwards is left.
     */
    static final float CLIP_FROM = 249f;
    /**
     * PSNR (dB) the flat floor aims at, counting the resampled pattern's energy: the prediction before it left that out
     * and flat photos of 1080p and over ended near 42 dB for its 41; they keep that level.
     */
    static final double FLAT_MEASURED_PSNR = 42.0;
    /** The same for paper (a page of text, a chat screenshot): half of its pixels or more at {@link #PAPER_LUMA}. */
    static final double PAPER_TARGET_PSNR = 41.0;
    static final int PAPER_LUMA = 250;
    static final double PAPER_SHARE = 0.5;
    /** Every this many block rows are sampled to predict the mark's strength before embedding. */
    private static final int FLOOR_SAMPLE_ROWS = 4;
    private static final int GAIN_ROWS = 4;
    /** Cyclic padding after each pattern row (&gt;= the widest float vector, 16 lanes, minus one). */
    static final int PATTERN_PAD = 64;

    private final KeyedTile tile;
    private final PixelKernels kernels;
    private final double alpha;
    private volatile CachedPattern cache;

    /**
     * The mark resampled to the repetition period: {@code period} rows of {@code period + PATTERN_PAD} floats, each
     * row followed by a repeat of its first {@link #PATTERN_PAD} values, so a vector kernel can read a full vector
     * across the period boundary instead of splitting the row into period-long segments with scalar tails.
     */
    private record CachedPattern(long bits, int period, double tilt, float[] pattern, double meanSquare) {
        int stride() {
            return period + PATTERN_PAD;
        }
    }

    WatermarkEmbedder(KeyedTile tile, PixelKernels kernels, double strength) {
        this.tile = tile;
        this.kernels = kernels;
        this.alpha = BASE_ALPHA * strength;
    }

    /** Embeds in place into packed 0xAARRGGBB pixels (row-major, no padding). */
    void embedRgb(int[] packedRgb, int width, int height, long payloadBits) {
        CachedPattern pattern = pattern(payloadBits, Math.min(width, height));
        embedBanded(width, height, Scratch.get(width, height), pattern, packedRgb, null, 0, null);
    }

    /**
     * Embeds in place into interleaved 8-bit pixels (what ImageIO's JPEG and PNG readers return), a row at a time
     * through one packed row: the same values as packing the whole image, embedding and unpacking it (each row's
     * pattern addition reads only that row, and the mask samples rows before any of them is changed), without the
     * image-sized int copy.
     */
    void embedInterleaved(InterleavedBytes bytes, int width, int height, long payloadBits) {
        CachedPattern pattern = pattern(payloadBits, Math.min(width, height));
        Scratch sc = Scratch.get(width, height);
        embedBanded(width, height, sc, pattern, null, null, 0, bytes);
    }

    /** Embeds in place into an 8-bit luma plane (e.g. the Y of a YUV frame). */
    void embedLuma(byte[] y, int width, int height, int stride, long payloadBits) {
        CachedPattern pattern = pattern(payloadBits, Math.min(width, height));
        embedBanded(width, height, Scratch.get(width, height), pattern, null, y, stride, null);
    }

    /**
     * {@link KeyedTile#tile(long, double)}'s tilt for images marked at {@link KeyedTile#MIN_PERIOD} (shorter side up to
     * 513 px): bin magnitudes 8 / |k|, the band's top ring at 0.22 of its bottom one. The detector reads phases only, so
     * it needs no change; after H.264 CRF 28 the sky square's reference rose from z 5.3-5.6 (three payloads, under the
     * decode gate) to 6.5-7.0 and decoded, at the same PSNR.
     */
    static final double SMALL_PERIOD_TILT = 1.0;
    /**
     * The shortest shorter side that gets {@link #SMALL_PERIOD_TILT}: below it the period stays 128 px but the
     * detector's working image (shorter side 512) is scaled up, its 9x9 local mean then damps the lower rings, and the
     * tilt cost 256 px squares rows they kept (crop 10 % + resize 0.7 + JPEG 75 on the wood, H.264 on the hills).
     */
    static final int SMALL_PERIOD_TILT_MIN_SIDE = 480;

    /** The tile's tilt for an image whose shorter side is {@code shortSide} px ({@link #SMALL_PERIOD_TILT}). */
    static double tilt(int shortSide) {
        return KeyedTile.period(shortSide) == KeyedTile.MIN_PERIOD && shortSide >= SMALL_PERIOD_TILT_MIN_SIDE
                ? SMALL_PERIOD_TILT : 0;
    }

    private CachedPattern pattern(long data, int shortSide) {
        int period = KeyedTile.period(shortSide);
        double tilt = tilt(shortSide);
        CachedPattern c = cache;
        if (c != null && c.bits == data && c.period == period && c.tilt == tilt) {
            return c;
        }
        // the smallest period puts the band highest in cycles per pixel (0.06-0.28 on a 512 px square), where H.264 and
        // strong JPEG take the top rings: there the tile leans to its lower rings (docs/WATERMARK.md, "Small and flat
        // images: the tile's lower rings")
        float[] t = tile.tile(data, tilt);
        int stride = period + PATTERN_PAD;
        float[] p = new float[period * stride];
        double step = (double) TILE / period;
        double squares = 0;
        for (int y = 0; y < period; y++) {
            double v = y * step;
            int v0 = (int) v;
            double fv = v - v0;
            int r0 = (v0 & (TILE - 1)) * TILE;
            int r1 = ((v0 + 1) & (TILE - 1)) * TILE;
            for (int x = 0; x < period; x++) {
                double u = x * step;
                int u0 = (int) u;
                double fu = u - u0;
                int c0 = u0 & (TILE - 1);
                int c1 = (u0 + 1) & (TILE - 1);
                double top = t[r0 + c0] + fu * (t[r0 + c1] - t[r0 + c0]);
                double bot = t[r1 + c0] + fu * (t[r1 + c1] - t[r1 + c0]);
                p[y * stride + x] = (float) (top + fv * (bot - top));
                squares += (double) p[y * stride + x] * p[y * stride + x];
            }
            System.arraycopy(p, y * stride, p, y * stride + period, PATTERN_PAD);
        }
        // the tile has unit RMS; bilinear resampling to a longer period smooths it (a 310 px period keeps ~70% of the
        // energy), which the flat floor's PSNR target counts
        c = new CachedPattern(data, period, tilt, p, squares / ((double) period * period));
        cache = c;
        return c;
    }

    /**
     * Per-thread working arrays for embedding, reused while the frame size stays the same, so that marking a
     * stream of frames allocates nothing per frame.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> LOCAL = new ThreadLocal<>();
        final int w;
        final int h;
        final int bw;
        final int bh;
        // per-block sums of small integers: exact as ints, and exact in the float sums they replace (< 2^24), so
        // the gains do not depend on the order of accumulation
        final int[] act;
        final int[] mean;
        final int[] cnt;
        final float[] g;
        final float[] gains;
        final float[] gainRow;
        final float[] colA;
        final float[] fx;
        /** A sampled row and the row below it as 8-bit luma (the ARGB path's mask pass reuses the luma kernels). */
        final byte[] lumaRows;
        /** One packed row, for interleaved-byte images. */
        final int[] packedRow;
        /** Block gains of the rows sampled to predict the mark's strength. */
        final float[] floorSample;
        /** The cell layer's energy at each sampled block. */
        final float[] floorWeight;
        /** Share of the mark's energy each sampled block keeps after clamping (1/2 on white or black). */
        final float[] clipWeight;
        /** Per block of the row being sampled: the sum of its sampled pixels' kept shares, and how many there were. */
        final float[] keepSum;
        final int[] keepCount;
        /** Sampled pixels, and those of them at {@link #PAPER_LUMA} or over. */
        int sampled;
        int paper;
        /** Scale of the mark for this image (below 1 when its mask predicts a PSNR under the floor). */
        float scale = 1f;
        /** The gain floor used for this image (0: none). */
        float floor;
        /** The gain row times the keyed cell amplitudes of the current row of periods. */
        final float[] cellRow;

        private Scratch(int w, int h) {
            this.w = w;
            this.h = h;
            bw = (w + BLOCK - 1) / BLOCK;
            bh = (h + BLOCK - 1) / BLOCK;
            act = new int[bw * bh];
            mean = new int[bw * bh];
            cnt = new int[bw * bh];
            g = new float[bw * bh];
            gains = new float[bw * bh];
            gainRow = new float[w];
            colA = new float[bw];
            // horizontal interpolation weights: pixel x lies between the centres of blocks (x - BLOCK/2) / BLOCK and
            // the next one (PixelKernels.interpolateGainRow); 0 left of the first and right of the last centre
            fx = new float[w];
            lumaRows = new byte[2 * w];
            packedRow = new int[w];
            floorSample = new float[((bh + FLOOR_SAMPLE_ROWS - 1) / FLOOR_SAMPLE_ROWS) * bw];
            floorWeight = new float[floorSample.length];
            clipWeight = new float[floorSample.length];
            keepSum = new float[bw];
            keepCount = new int[bw];
            cellRow = new float[w];
            for (int x = 0; x < w; x++) {
                float gg = (x + 0.5f) / BLOCK - 0.5f;
                int b0 = (int) Math.floor(gg);
                float f = gg - b0;
                if (b0 < 0) {
                    b0 = 0;
                    f = 0;
                }
                if (b0 >= bw - 1) {
                    b0 = bw - 1;
                    f = 0;
                }
                fx[x] = f;
            }
        }

        static Scratch get(int w, int h) {
            Scratch s = LOCAL.get();
            if (s == null || s.w != w || s.h != h) {
                s = new Scratch(w, h);
                LOCAL.set(s);
            } else {
                java.util.Arrays.fill(s.act, 0);
                java.util.Arrays.fill(s.mean, 0);
                java.util.Arrays.fill(s.cnt, 0);
            }
            return s;
        }
    }

    /** {floor, scale} of the last embedding on this thread (for the kernel tests' reference loop). */
    static float[] lastStrength() {
        Scratch s = Scratch.LOCAL.get();
        return s == null ? new float[] {0, 1} : new float[] {s.floor, s.scale};
    }

    /** Block rows whose mask is computed per band before the pattern is added to the band's image rows. */
    private static final int BAND_BLOCKS = 8;

    /**
     * Texture mask and pattern addition in bands of {@value #BAND_BLOCKS} block rows, so the rows the mask just read are
     * still in cache when the pattern is added to them (a 4K frame is far larger than the cache: mask first, pattern
     * after costs a second trip to memory). Every value is computed exactly as in a whole-frame pass: the bands only
     * change the order of independent work; the 3x3 smoothing and the gain interpolation wait for the block rows they
     * read.
     */
    private void embedBanded(int w, int h, Scratch sc, CachedPattern pattern, int[] rgb, byte[] luma, int stride,
                             InterleavedBytes bytes) {
        int bw = sc.bw;
        int bh = sc.bh;
        float floor = flatFloor(w, h, sc, rgb, luma, stride, bytes, pattern.meanSquare);
        sc.floor = floor;
        int sampleY = 1;
        int smoothed = 0;
        int appliedY = 0;
        for (int band = 0; band < bh; band += BAND_BLOCKS) {
            int end = Math.min(bh, band + BAND_BLOCKS);
            // sampled rows 1, 5, 9, ... (each with the row below it) of this band's blocks
            for (; sampleY + 1 < h && sampleY / BLOCK < end; sampleY += 4) {
                sampleLine(sampleY, w, sc, rgb, luma, stride, bytes);
            }
            kernels.blockGains(sc.act, sc.mean, sc.cnt, sc.g, band * bw, end * bw);
            if (floor > 0) {
                for (int i = band * bw; i < end * bw; i++) {
                    sc.g[i] = Math.max(sc.g[i], floor);
                }
            }
            // the smoothing of a block row reads the row below it
            int smoothTo = end < bh ? end - 1 : bh;
            smoothGains(sc, smoothed, smoothTo);
            smoothed = smoothTo;
            appliedY = applyPattern(w, h, sc, pattern, rgb, luma, stride, bytes, appliedY, smoothed);
        }
    }

    /**
     * Adds the pattern to rows from {@code fromY} (a multiple of GAIN_ROWS) on, for as long as the gain rows they
     * interpolate are among the first {@code smoothedRows} block rows; returns the first row not done.
     */
    private int applyPattern(int w, int h, Scratch sc, CachedPattern cached, int[] rgb, byte[] luma, int stride,
                             InterleavedBytes bytes, int fromY, int smoothedRows) {
        float[] pattern = cached.pattern;
        int period = cached.period;
        int patternStride = cached.stride();
        int bw = sc.bw;
        int bh = sc.bh;
        float[] gains = sc.gains;
        float[] gainRow = sc.gainRow;
        float[] colA = sc.colA;
        float[] fx = sc.fx;
        // the gain map is smooth, so it is re-interpolated every GAIN_ROWS rows (at the group's centre) only
        int y0 = fromY;
        for (; y0 < h; y0 += GAIN_ROWS) {
            float g = (y0 + GAIN_ROWS * 0.5f) / BLOCK - 0.5f;
            int r0 = (int) Math.floor(g);
            float fy = g - r0;
            if (r0 < 0) {
                r0 = 0;
                fy = 0;
            }
            if (r0 >= bh - 1) {
                r0 = bh - 1;
                fy = 0;
            }
            int r1 = Math.min(r0 + 1, bh - 1);
            if (r1 >= smoothedRows) {
                break;
            }
            for (int b = 0; b < bw; b++) {
                float a = gains[r0 * bw + b];
                colA[b] = a + fy * (gains[r1 * bw + b] - a);
            }
            kernels.interpolateGainRow(colA, bw, fx, gainRow, w);
            int yEnd = Math.min(h, y0 + GAIN_ROWS);
            int cellY = -1;
            float[] rowGain = sc.cellRow;
            for (int y = y0; y < yEnd; y++) {
                if (y / period != cellY) {
                    cellY = y / period;
                    cellGains(gainRow, rowGain, w, period, cellY);
                }
                if (rgb != null) {
                    kernels.embedRowRgb(rgb, y * w, w, rowGain, pattern, (y % period) * patternStride, period);
                } else if (bytes != null && bytes.bgr()) {
                    // a JPEG's 3-byte rows in place: the same values as through a packed row, without its two passes
                    kernels.embedRowBgr(bytes.data(), bytes.rowStart(y), w, rowGain, pattern, (y % period) * patternStride,
                            period);
                } else if (bytes != null) {
                    bytes.readRow(y, sc.packedRow, 0);
                    kernels.embedRowRgb(sc.packedRow, 0, w, rowGain, pattern, (y % period) * patternStride, period);
                    bytes.writeRow(y, sc.packedRow, 0);
                } else {
                    kernels.embedRowLuma(luma, y * stride, w, rowGain, pattern, (y % period) * patternStride, period);
                }
            }
        }
        return Math.min(y0, h);
    }

    /**
     * {@code out} = the gain row times the keyed amplitude of each period along row {@code cellY} of periods (the cell
     * layer, {@link KeyedTile#cellGain}): tiles differ, so averaging one image over its period does not give the mark.
     */
    private void cellGains(float[] gainRow, float[] out, int w, int period, int cellY) {
        for (int x0 = 0, cellX = 0; x0 < w; x0 += period, cellX++) {
            float c = tile.cellGain(cellX, cellY);
            int end = Math.min(w, x0 + period);
            for (int x = x0; x < end; x++) {
                out[x] = gainRow[x] * c;
            }
        }
    }

    /** Mask samples of image row {@code sampleY} and the row below it, added to its block row's sums. */
    private void sampleLine(int sampleY, int w, Scratch sc, int[] rgb, byte[] luma, int stride, InterleavedBytes bytes) {
        int brow = (sampleY / BLOCK) * sc.bw;
        if (rgb != null) {
            kernels.luma8Row(rgb, sampleY * w, w, sc.lumaRows, 0);
            kernels.luma8Row(rgb, (sampleY + 1) * w, w, sc.lumaRows, w);
            sampleRow(sc.lumaRows, 0, w, w, brow, sc);
        } else if (bytes != null && bytes.bgr()) {
            kernels.luma8RowBgr(bytes.data(), bytes.rowStart(sampleY), w, sc.lumaRows, 0);
            kernels.luma8RowBgr(bytes.data(), bytes.rowStart(sampleY + 1), w, sc.lumaRows, w);
            sampleRow(sc.lumaRows, 0, w, w, brow, sc);
        } else if (bytes != null) {
            bytes.readRow(sampleY, sc.packedRow, 0);
            kernels.luma8Row(sc.packedRow, 0, w, sc.lumaRows, 0);
            bytes.readRow(sampleY + 1, sc.packedRow, 0);
            kernels.luma8Row(sc.packedRow, 0, w, sc.lumaRows, w);
            sampleRow(sc.lumaRows, 0, w, w, brow, sc);
        } else {
            sampleRow(luma, sampleY * stride, sampleY * stride + stride, w, brow, sc);
        }
    }

    /**
     * The lowest block gain for this image (0: none). On a flat image (paper, a chat screenshot, a clear sky) the
     * texture mask leaves the mark too weak to survive re-encoding (a white page got PSNR 49.8 dB and no decode after
     * JPEG 75): when the mask of every fourth block row predicts a PSNR above {@value #FLAT_TARGET_PSNR} dB, flat blocks
     * are raised to the floor that brings the prediction to it. Textured images keep their mask unchanged.
     */
    private float flatFloor(int w, int h, Scratch sc, int[] rgb, byte[] luma, int stride, InterleavedBytes bytes,
                            double patternSquare) {
        int bw = sc.bw;
        int rows = 0;
        float[] sample = sc.floorSample;
        sc.sampled = 0;
        sc.paper = 0;
        for (int by = 0; by < sc.bh; by += FLOOR_SAMPLE_ROWS) {
            java.util.Arrays.fill(sc.keepSum, 0);
            java.util.Arrays.fill(sc.keepCount, 0);
            for (int sy = by * BLOCK + 1; sy + 1 < h && sy < (by + 1) * BLOCK; sy += 4) {
                sampleLine(sy, w, sc, rgb, luma, stride, bytes);
                if (rgb != null || bytes != null) {
                    keepShares(sc.lumaRows, 0, w, sc);
                } else {
                    keepShares(luma, sy * stride, w, sc);
                }
            }
            kernels.blockGains(sc.act, sc.mean, sc.cnt, sc.g, by * bw, by * bw + bw);
            System.arraycopy(sc.g, by * bw, sample, rows * bw, bw);
            for (int bx = 0; bx < bw; bx++) {
                // the pixels are clamped: white paper keeps only the half of the mark that points inwards, so it
                // spends half the energy its gain predicts. Counted per pixel: a block of text on paper has a mean far
                // from white but most of its pixels at 255 (a page of text ended 2.8 dB above a prediction that
                // counted block means)
                sc.clipWeight[rows * bw + bx] = sc.keepCount[bx] == 0 ? 1f : sc.keepSum[bx] / sc.keepCount[bx];
            }
            java.util.Arrays.fill(sc.act, by * bw, by * bw + bw, 0);
            java.util.Arrays.fill(sc.mean, by * bw, by * bw + bw, 0);
            java.util.Arrays.fill(sc.cnt, by * bw, by * bw + bw, 0);
            rows++;
        }
        int n = rows * bw;
        // the cell layer's amplitudes average to 1 in energy, but not where the texture is uneven between periods: on a
        // small textured image they cost up to 1.2 dB; the mark is scaled down when the prediction falls below the floor
        int period = KeyedTile.period(Math.min(w, h));
        float[] weight = sc.floorWeight;
        for (int r = 0, by = 0; r < rows; r++, by += FLOOR_SAMPLE_ROWS) {
            for (int bx = 0; bx < bw; bx++) {
                float c = tile.cellGain((bx * BLOCK + BLOCK / 2) / period, (by * BLOCK + BLOCK / 2) / period);
                weight[r * bw + bx] = c * c;
            }
        }
        float[] clip = sc.clipWeight;
        // both predictions at strength 1: a chosen strength scales the result as before
        double minPsnr = Math.min(w, h) <= SMALL_SIDE ? MIN_PREDICTED_PSNR_SMALL : MIN_PREDICTED_PSNR;
        double lowest = 255 / Math.pow(10, minPsnr / 20) / BASE_ALPHA;
        double cellSquare = n == 0 ? 0 : meanSquare(sample, n, bw, 0, weight);
        sc.scale = cellSquare > lowest * lowest ? (float) (lowest / Math.sqrt(cellSquare)) : 1f;
        double flatBound = 255 / Math.pow(10, FLAT_TARGET_PSNR / 20) / BASE_ALPHA; // mean gain^2 the target allows
        flatBound *= flatBound;
        // which images are flat is decided as before; the floor then aims at a PSNR counted after the resampling
        double paperShare = sc.sampled == 0 ? 0 : (double) sc.paper / sc.sampled;
        double aim = 255 / Math.pow(10, (paperShare >= PAPER_SHARE ? PAPER_TARGET_PSNR : FLAT_MEASURED_PSNR) / 20) / BASE_ALPHA;
        // (never weaker than before: images up to 1024 px are not resampled, and there the old prediction was the result)
        double target = Math.max(flatBound, aim * aim / patternSquare);
        if (WatermarkExtractor.DEBUG) {
            System.err.println("mask: predicted PSNR " + 10 * Math.log10(255.0 * 255 / (BASE_ALPHA * BASE_ALPHA
                    * meanSquare(sample, n, bw, 0))) + ", with cells " + 10 * Math.log10(255.0 * 255 / (BASE_ALPHA
                    * BASE_ALPHA * cellSquare)) + ", scale " + sc.scale);
        }
        // compareMeanSquare: the same decisions as comparing meanSquare(sample, n, bw, floor, clip), at a tenth of
        // its cost (the row buffers are free until the pattern is added)
        float[] raised = sc.gainRow;
        float[] smooth = sc.cellRow;
        double atZero = n == 0 ? 0 : fastMeanSquare(kernels, sample, n, bw, 0, clip, raised, smooth);
        if (n == 0 || decide(atZero, sample, n, bw, 0, clip, flatBound) >= 0) {
            return 0;
        }
        float lo = 0;
        float hi = FLAT_FLOOR_MAX;
        double atMax = fastMeanSquare(kernels, sample, n, bw, hi, clip, raised, smooth);
        if (decide(atMax, sample, n, bw, hi, clip, target) <= 0) {
            return hi;
        }
        // The mean square only grows with the floor, so a bisection step whose midpoint is at or below a floor known to
        // fall short of the target ("below"), or at or above one known to reach it ("above"), has its answer without
        // a pass over the blocks. A few interpolation steps (regula falsi, Illinois variant) on the fast sums first
        // close the two in on the crossing; the bisection then takes the same steps as before, a few of its 24 with a
        // pass: the same floor to the bit, in 10-16 passes instead of 27 (12 video frames and 3 flat images).
        float below = 0;
        float above = hi;
        double fBelow = atZero - target;
        double fAbove = atMax - target;
        int kept = 0;
        for (int s = 0; s < 12 && above - below > 0x1p-20f; s++) {
            float x = (float) (below + (above - below) * (fBelow / (fBelow - fAbove)));
            if (!(x > below && x < above)) {
                break;
            }
            double fx = fastMeanSquare(kernels, sample, n, bw, x, clip, raised, smooth);
            if (decide(fx, sample, n, bw, x, clip, target) < 0) {
                below = x;
                fBelow = fx - target;
                fAbove = kept < 0 ? fAbove / 2 : fAbove;
                kept = kept < 0 ? -2 : -1;
            } else {
                above = x;
                fAbove = fx - target;
                fBelow = kept > 0 ? fBelow / 2 : fBelow;
                kept = kept > 0 ? 2 : 1;
            }
        }
        for (int it = 0; it < 24; it++) {
            float mid = (lo + hi) / 2;
            boolean under;
            if (mid <= below) {
                under = true;
            } else if (mid >= above) {
                under = false;
            } else {
                under = compareMeanSquare(kernels, sample, n, bw, mid, clip, target, raised, smooth) < 0;
                if (under) {
                    below = mid;
                } else {
                    above = mid;
                }
            }
            if (under) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Adds the kept share of the mark's energy of every second pixel of one sampled luma row to its block's sums: 1 up
     * to {@value #CLIP_FROM}, falling linearly to 1/2 at 255 (mirrored at black), where only the half of the mark that
     * points inwards is left after rounding and clamping.
     */
    private static void keepShares(byte[] yp, int row, int w, Scratch sc) {
        for (int x = 0; x < w; x += 2) {
            int v = yp[row + x] & 0xff;
            int edge = Math.max(v, 255 - v);
            float k = edge <= CLIP_FROM ? 1f : 1f - 0.5f * (edge - CLIP_FROM) / (255 - CLIP_FROM);
            sc.keepSum[x / BLOCK] += k;
            sc.keepCount[x / BLOCK]++;
            sc.sampled++;
            if (v >= PAPER_LUMA) {
                sc.paper++;
            }
        }
    }

    /**
     * Mean square of the gains after raising them to {@code floor} and smoothing along each row like
     * {@link #smoothGains} ((mean + min) / 2 of three neighbours): the smoothing weakens a textured block next to a
     * flat one, so the raw gains would overestimate the mark on a page of text.
     */
    private static double meanSquare(float[] g, int n, int bw, float floor) {
        return meanSquare(g, n, bw, floor, null);
    }

    /** As {@link #meanSquare(float[], int, int, float)}, each block weighted by {@code weight[i]} when given. */
    static double meanSquare(float[] g, int n, int bw, float floor, float[] weight) {
        // row by row with the three raised gains carried along: one Math.max a block instead of three and no division
        // for the column (the flat-floor search calls this ~27 times a frame; it was 60% of a 1080p video frame's
        // embed); the same values summed in the same order, so the result is the same to the bit
        double s = 0;
        for (int row = 0; row < n; row += bw) {
            int rowEnd = row + bw;
            float a = Math.max(g[row], floor);
            float l = a;
            for (int i = row, end = Math.min(n, rowEnd); i < end; i++) {
                float r = i + 1 < rowEnd ? Math.max(g[i + 1], floor) : a;
                double v = ((a + l + r) / 3 + Math.min(a, Math.min(l, r))) / 2;
                s += weight == null ? v * v : v * v * weight[i];
                l = a;
                a = r;
            }
        }
        return s / n;
    }

    /**
     * {@code Double.compare(meanSquare(g, n, bw, floor, weight), bound)}, exactly, mostly without the exact sum: the
     * flat-floor search asks this ~27 times per image or video frame, and the exact loop (three {@code Math.max/min} a
     * block and one chain of dependent double additions in index order) was half of a 1080p frame's embed. Here the
     * smoothed values come a row at a time from the kernels ({@link PixelKernels#smoothRaisedRow}: the same floats),
     * and the same terms are summed in four chains side by side. Both sums add the same non-negative terms and differ
     * only in order, so each is within {@code (n + 2) * 2^-53} of the true sum; where the fast one lies within
     * {@code (n + 16) * 2^-50} of the bound, the exact sum decides. The answers, and so the pixels, stay the same.
     */
    static int compareMeanSquare(PixelKernels kernels, float[] g, int n, int bw, float floor, float[] weight,
                                 double bound, float[] raised, float[] smooth) {
        return decide(fastMeanSquare(kernels, g, n, bw, floor, weight, raised, smooth), g, n, bw, floor, weight, bound);
    }

    /** The mean square of {@link #meanSquare(float[], int, int, float, float[])}, its terms summed in four chains. */
    static double fastMeanSquare(PixelKernels kernels, float[] g, int n, int bw, float floor, float[] weight,
                                 float[] raised, float[] smooth) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int row = 0; row < n; row += bw) {
            kernels.smoothRaisedRow(g, row, bw, floor, raised, smooth);
            int i = 0;
            for (; i + 4 <= bw; i += 4) {
                double v0 = smooth[i];
                double v1 = smooth[i + 1];
                double v2 = smooth[i + 2];
                double v3 = smooth[i + 3];
                s0 += weight == null ? v0 * v0 : v0 * v0 * weight[row + i];
                s1 += weight == null ? v1 * v1 : v1 * v1 * weight[row + i + 1];
                s2 += weight == null ? v2 * v2 : v2 * v2 * weight[row + i + 2];
                s3 += weight == null ? v3 * v3 : v3 * v3 * weight[row + i + 3];
            }
            for (; i < bw; i++) {
                double v = smooth[i];
                s0 += weight == null ? v * v : v * v * weight[row + i];
            }
        }
        return ((s0 + s1) + (s2 + s3)) / n;
    }

    /**
     * {@code Double.compare(meanSquare(g, n, bw, floor, weight), bound)} given {@code fast}, that mean square summed in
     * another order ({@link #fastMeanSquare}): decided by {@code fast} where it lies farther from the bound than the two
     * sums can differ, else by the exact sum.
     */
    private static int decide(double fast, float[] g, int n, int bw, float floor, float[] weight, double bound) {
        double tolerance = fast * (n + 16) * 0x1p-50;
        if (fast < bound - tolerance) {
            return -1;
        }
        if (fast > bound + tolerance) {
            return 1;
        }
        return Double.compare(meanSquare(g, n, bw, floor, weight), bound);
    }

    private void sampleRow(byte[] yp, int row, int rowB, int w, int brow, Scratch sc) {
        int[] act = sc.act;
        int[] mean = sc.mean;
        int[] cnt = sc.cnt;
        int fullBlocks = w / BLOCK; // blocks whose 4 samples per row (x, x+2, x+4, x+6 and their right neighbours) all exist
        kernels.blockSumsLuma(yp, row, rowB, fullBlocks, act, mean, brow);
        for (int b = 0; b < fullBlocks; b++) {
            cnt[brow + b] += BLOCK / 2;
        }
        for (int x = fullBlocks * BLOCK; x + 1 < w; x += 2) {
            int l = yp[row + x] & 0xff;
            int r = yp[row + x + 1] & 0xff;
            int d = yp[rowB + x] & 0xff;
            int i = brow + x / BLOCK;
            act[i] += Math.abs(l - r) + Math.abs(l - d);
            mean[i] += l;
            cnt[i]++;
        }
    }

    /** 3x3 smoothing of block rows [from, to), so that a flat block next to an edge does not get the edge's strength. */
    private void smoothGains(Scratch sc, int from, int to) {
        int bw = sc.bw;
        int bh = sc.bh;
        float[] g = sc.g;
        float[] s = sc.gains;
        double halfAlpha = alpha * sc.scale * 0.5f;
        for (int by = from; by < to; by++) {
            if (by > 0 && by + 1 < bh) {
                kernels.smoothInterior(g, bw, by * bw + 1, by * bw + bw - 1, halfAlpha, s);
                smoothBlock(g, bw, bh, 0, by, halfAlpha, s);
                if (bw > 1) {
                    smoothBlock(g, bw, bh, bw - 1, by, halfAlpha, s);
                }
            } else {
                for (int bx = 0; bx < bw; bx++) {
                    smoothBlock(g, bw, bh, bx, by, halfAlpha, s);
                }
            }
        }
    }

    private static void smoothBlock(float[] g, int bw, int bh, int bx, int by, double halfAlpha, float[] out) {
        float sum = 0;
        float mn = Float.MAX_VALUE;
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
            int yy = by + dy;
            if (yy < 0 || yy >= bh) {
                continue;
            }
            for (int dx = -1; dx <= 1; dx++) {
                int xx = bx + dx;
                if (xx < 0 || xx >= bw) {
                    continue;
                }
                float v = g[yy * bw + xx];
                sum += v;
                mn = Math.min(mn, v);
                n++;
            }
        }
        out[by * bw + bx] = (float) (halfAlpha * (sum / n + mn));
    }
}
