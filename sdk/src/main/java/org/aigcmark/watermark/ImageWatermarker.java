package org.aigcmark.watermark;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Optional;
import java.util.zip.CRC32;
import org.aigcmark.AigcmarkException;
import org.aigcmark.key.WatermarkKey;

/**
 * Keyed, blind, invisible image watermark carrying 64 bits.
 *
 * <p>Design (details and numbers in docs/WATERMARK.md): the mark is a 128x128 keyed tile defined in the Fourier
 * domain (a mid-frequency annulus: a quarter of the bins carry a keyed reference with random phases for
 * synchronisation, the rest carry the payload as BPSK phases: 64 data bits + keyed CRC-32, rate 1/3 K=7
 * convolutional code). The tile is repeated over the luma of the image with a period of a quarter of the short
 * side, weighted by a texture mask. The detector resamples luma so the short side is 512, whitens it, estimates
 * the repetition lattice (identity first, then from the autocorrelation, which reveals scale, rotation and
 * aspect), folds the image onto one tile, finds the translation and the orientation by correlating with the
 * keyed reference, and Viterbi-decodes the payload. It reports a payload only when the CRC matches.
 *
 * <p>Instances are immutable and thread-safe; create one per key and reuse it.
 */
public final class ImageWatermarker {
    static final int TILE = 128;
    static final int WORK = 512;
    static final int BAND_MIN = 8;
    static final int BAND_MAX = 36;
    static final int DATA_BITS = 64;
    static final int CRC_BITS = 32;
    static final int INFO_BITS = DATA_BITS + CRC_BITS;
    static final int CODED_BITS = ConvolutionalCode.codedLength(INFO_BITS);
    /** Shortest side accepted by embed. */
    public static final int MIN_EMBED_SIDE = 256;
    /** Shortest side below which detect answers "too small". */
    public static final int MIN_DETECT_SIDE = 128;
    static final int MIN_PERIOD = 96;
    /** Correlation z-score needed before a payload decode is attempted. */
    static final double DECODE_Z = 6.0;
    static final double BASE_ALPHA = 2.6;
    static final int MAX_LATTICE_CANDIDATES = 16;
    /** best hypotheses of the comb search that go on to the keyed screening */
    static final int COMB_CANDIDATES = 4;
    /** comb z an autocorrelation lattice needs before the keyed screening (about N(0,1) per lattice without a mark) */
    static final double AUTOCORRELATION_GATE_Z = 3.0;
    /** Screened lattice candidates that get the full orientation search and a decode attempt. */
    static final int FULL_TRIES = 2;
    private static final int MAX_WORK_LONG = 1024;
    static final boolean DEBUG = Boolean.getBoolean("aigcmark.wm.debug");

    private final double alpha;
    private final PixelKernels kernels;
    private final WatermarkOptions.Search search;
    private final int crcMask;
    // keyed reference bins (half-plane) and their unit phasors
    final int[] refKx;
    final int[] refKy;
    final double[] refCos;
    final double[] refSin;
    // keyed message bins
    final int[] msgKx;
    final int[] msgKy;
    final int[] msgBit;
    final double[] msgCos;
    final double[] msgSin;
    private volatile CachedPattern cache;

    /**
     * The mark resampled to the repetition period: {@code period} rows of {@code period + PATTERN_PAD} floats, each
     * row followed by a repeat of its first {@link #PATTERN_PAD} values, so a vector kernel can read a full vector
     * across the period boundary instead of splitting the row into period-long segments with scalar tails.
     */
    private record CachedPattern(long bits, int period, float[] pattern) {
        int stride() {
            return period + PATTERN_PAD;
        }
    }

    /** Cyclic padding after each pattern row (&gt;= the widest float vector, 16 lanes, minus one). */
    static final int PATTERN_PAD = 64;

    private ImageWatermarker(WatermarkKey key, WatermarkOptions options) {
        this.alpha = BASE_ALPHA * options.strength();
        this.search = options.search();
        this.kernels = switch (options.kernels()) {
            case SCALAR -> PixelKernels.scalar();
            case VECTOR, AUTO -> PixelKernels.vector();
            case NATIVE -> PixelKernels.nativeKernels();
        };
        byte[] sub = key.derive("image-watermark/v1");
        KeyedRandom rnd = new KeyedRandom(sub, "tables");
        // all bins of the half-plane annulus
        int[] kx = new int[TILE * TILE];
        int[] ky = new int[TILE * TILE];
        int n = 0;
        for (int y = 0; y <= BAND_MAX; y++) {
            for (int x = -BAND_MAX; x <= BAND_MAX; x++) {
                if (y == 0 && x <= 0) {
                    continue;
                }
                double r = Math.sqrt(x * x + y * y);
                if (r >= BAND_MIN && r <= BAND_MAX) {
                    kx[n] = x;
                    ky[n] = y;
                    n++;
                }
            }
        }
        // keyed shuffle (Fisher-Yates)
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = kx[i]; kx[i] = kx[j]; kx[j] = t;
            t = ky[i]; ky[i] = ky[j]; ky[j] = t;
        }
        int nRef = n / 4;
        int nMsg = n - nRef;
        refKx = new int[nRef];
        refKy = new int[nRef];
        refCos = new double[nRef];
        refSin = new double[nRef];
        for (int i = 0; i < nRef; i++) {
            refKx[i] = kx[i];
            refKy[i] = ky[i];
            double ph = 2 * Math.PI * rnd.nextDouble();
            refCos[i] = Math.cos(ph);
            refSin[i] = Math.sin(ph);
        }
        msgKx = new int[nMsg];
        msgKy = new int[nMsg];
        msgBit = new int[nMsg];
        msgCos = new double[nMsg];
        msgSin = new double[nMsg];
        for (int i = 0; i < nMsg; i++) {
            msgKx[i] = kx[nRef + i];
            msgKy[i] = ky[nRef + i];
            msgBit[i] = i % CODED_BITS; // bins are already in keyed random order
            double ph = 2 * Math.PI * rnd.nextDouble();
            msgCos[i] = Math.cos(ph);
            msgSin[i] = Math.sin(ph);
        }
        crcMask = (int) rnd.nextLong();
    }

    public static ImageWatermarker create(WatermarkKey key) {
        return create(key, WatermarkOptions.defaults());
    }

    public static ImageWatermarker create(WatermarkKey key, WatermarkOptions options) {
        if (key == null) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "a watermark key is required");
        }
        return new ImageWatermarker(key, options == null ? WatermarkOptions.defaults() : options);
    }

    /** Which pixel-loop implementation this instance uses ("scalar" or "vector(...)"). */
    public String kernelName() {
        return kernels.name();
    }

    // ------------------------------------------------------------------------------------------------ payload

    private boolean[] infoBits(long data) {
        boolean[] info = new boolean[INFO_BITS];
        for (int i = 0; i < DATA_BITS; i++) {
            info[i] = ((data >>> (63 - i)) & 1) != 0;
        }
        int crc = crc(data);
        for (int i = 0; i < CRC_BITS; i++) {
            info[DATA_BITS + i] = ((crc >>> (31 - i)) & 1) != 0;
        }
        return info;
    }

    private int crc(long data) {
        CRC32 c = new CRC32();
        for (int i = 0; i < 8; i++) {
            c.update((int) (data >>> (56 - 8 * i)) & 0xff);
        }
        return (int) c.getValue() ^ crcMask;
    }

    /** The 128x128 tile (unit RMS) for a payload; row-major, rows along image y. */
    float[] tile(long data) {
        boolean[] coded = ConvolutionalCode.encode(infoBits(data));
        double[] re = new double[TILE * TILE];
        double[] im = new double[TILE * TILE];
        for (int i = 0; i < refKx.length; i++) {
            put(re, im, refKx[i], refKy[i], refCos[i], refSin[i]);
        }
        for (int i = 0; i < msgKx.length; i++) {
            double s = coded[msgBit[i]] ? -1 : 1;
            put(re, im, msgKx[i], msgKy[i], s * msgCos[i], s * msgSin[i]);
        }
        Fft.transform2d(re, im, TILE, TILE, true);
        double ss = 0;
        for (double v : re) {
            ss += v * v;
        }
        double norm = 1.0 / Math.sqrt(ss / re.length);
        float[] t = new float[TILE * TILE];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) (re[i] * norm);
        }
        return t;
    }

    private static int bin(int kx, int ky) {
        return ((ky + TILE) & (TILE - 1)) * TILE + ((kx + TILE) & (TILE - 1));
    }

    private static void put(double[] re, double[] im, int kx, int ky, double c, double s) {
        int a = bin(kx, ky);
        int b = bin(-kx, -ky);
        re[a] = c;
        im[a] = s;
        re[b] = c;
        im[b] = -s;
    }

    /** Repetition period in pixels for an image whose shorter side is {@code shortSide}. */
    static int period(int shortSide) {
        return Math.max(MIN_PERIOD, Math.round(shortSide * (float) TILE / WORK));
    }

    private CachedPattern pattern(long data, int period) {
        CachedPattern c = cache;
        if (c != null && c.bits == data && c.period == period) {
            return c;
        }
        float[] t = tile(data);
        int stride = period + PATTERN_PAD;
        float[] p = new float[period * stride];
        double step = (double) TILE / period;
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
            }
            System.arraycopy(p, y * stride, p, y * stride + period, PATTERN_PAD);
        }
        c = new CachedPattern(data, period, p);
        cache = c;
        return c;
    }

    // -------------------------------------------------------------------------------------------------- embed

    /** Embeds in place into any RGB/ARGB/grey image. */
    public void embed(BufferedImage img, WatermarkPayload payload) {
        int w = img.getWidth();
        int h = img.getHeight();
        checkEmbedSize(w, h);
        if ((img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB)
                && img.getRaster().getDataBuffer() instanceof DataBufferInt db
                && img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0
                && db.getNumBanks() == 1 && db.getOffset() == 0 && db.getData().length == w * h) {
            embedRgb(db.getData(), w, h, payload);
            return;
        }
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        embedRgb(px, w, h, payload);
        img.setRGB(0, 0, w, h, px, 0, w);
    }

    private static void checkEmbedSize(int w, int h) {
        if (Math.min(w, h) < MIN_EMBED_SIDE) {
            throw new AigcmarkException(AigcmarkException.Reason.CAPACITY_EXCEEDED, "image " + w + "x" + h
                    + " is too small to carry a watermark (both sides must be at least " + MIN_EMBED_SIDE + " px)");
        }
    }

    private static void checkArray(int length, int w, int h, int stride, int channels) {
        if (w <= 0 || h <= 0 || stride < w || (long) stride * (h - 1) + w > length) {
            throw AigcmarkException.invalid("pixel buffer of " + length + " elements does not hold a " + w + "x" + h
                    + " image with stride " + stride + (channels > 1 ? " (packed ARGB)" : ""));
        }
    }

    /** Embeds in place into packed 0xAARRGGBB pixels (row-major, no padding). */
    public void embedRgb(int[] packedRgb, int width, int height, WatermarkPayload payload) {
        checkArray(packedRgb.length, width, height, width, 4);
        checkEmbedSize(width, height);
        int period = period(Math.min(width, height));
        CachedPattern pattern = pattern(payload.bits(), period);
        embedBanded(width, height, Scratch.get(width, height), pattern, packedRgb, null, 0);
    }

    /** Embeds in place into an 8-bit luma plane (e.g. the Y of a YUV frame). */
    public void embedLuma(byte[] y, int width, int height, int stride, WatermarkPayload payload) {
        checkArray(y.length, width, height, stride, 1);
        checkEmbedSize(width, height);
        int period = period(Math.min(width, height));
        CachedPattern pattern = pattern(payload.bits(), period);
        embedBanded(width, height, Scratch.get(width, height), pattern, null, y, stride);
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

    static final int BLOCK = 8;
    private static final int GAIN_ROWS = 4;

    /** Interpolates the block gain grid per row (bilinear, centred on blocks) and hands each row to the kernel. */
    /** Block rows whose mask is computed per band before the pattern is added to the band's image rows. */
    private static final int BAND_BLOCKS = 8;

    /**
     * Texture mask and pattern addition in bands of {@value #BAND_BLOCKS} block rows, so the rows the mask just read are
     * still in cache when the pattern is added to them (a 4K frame is far larger than the cache: mask first, pattern
     * after costs a second trip to memory). Every value is computed exactly as in a whole-frame pass: the bands only
     * change the order of independent work; the 3x3 smoothing and the gain interpolation wait for the block rows they
     * read.
     */
    private void embedBanded(int w, int h, Scratch sc, CachedPattern pattern, int[] rgb, byte[] luma, int stride) {
        int bw = sc.bw;
        int bh = sc.bh;
        int sampleY = 1;
        int smoothed = 0;
        int appliedY = 0;
        for (int band = 0; band < bh; band += BAND_BLOCKS) {
            int end = Math.min(bh, band + BAND_BLOCKS);
            // sampled rows 1, 5, 9, ... (each with the row below it) of this band's blocks
            for (; sampleY + 1 < h && sampleY / BLOCK < end; sampleY += 4) {
                if (rgb != null) {
                    kernels.luma8Row(rgb, sampleY * w, w, sc.lumaRows, 0);
                    kernels.luma8Row(rgb, (sampleY + 1) * w, w, sc.lumaRows, w);
                    sampleRow(sc.lumaRows, 0, w, w, (sampleY / BLOCK) * bw, sc);
                } else {
                    sampleRow(luma, sampleY * stride, sampleY * stride + stride, w, (sampleY / BLOCK) * bw, sc);
                }
            }
            kernels.blockGains(sc.act, sc.mean, sc.cnt, sc.g, band * bw, end * bw);
            // the smoothing of a block row reads the row below it
            int smoothTo = end < bh ? end - 1 : bh;
            smoothGains(sc, smoothed, smoothTo);
            smoothed = smoothTo;
            appliedY = applyPattern(w, h, sc, pattern, rgb, luma, stride, appliedY, smoothed);
        }
    }

    /**
     * Adds the pattern to rows from {@code fromY} (a multiple of GAIN_ROWS) on, for as long as the gain rows they
     * interpolate are among the first {@code smoothedRows} block rows; returns the first row not done.
     */
    private int applyPattern(int w, int h, Scratch sc, CachedPattern cached, int[] rgb, byte[] luma, int stride,
                             int fromY, int smoothedRows) {
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
            for (int y = y0; y < yEnd; y++) {
                if (rgb != null) {
                    kernels.embedRowRgb(rgb, y * w, w, gainRow, pattern, (y % period) * patternStride, period);
                } else {
                    kernels.embedRowLuma(luma, y * stride, w, gainRow, pattern, (y % period) * patternStride, period);
                }
            }
        }
        return Math.min(y0, h);
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

    static final float GAIN_MIN = 0.30f;
    static final float GAIN_MAX = 1.5f;
    static final float ACT_REF = 10f;

    /** 3x3 smoothing of block rows [from, to), so that a flat block next to an edge does not get the edge's strength. */
    private void smoothGains(Scratch sc, int from, int to) {
        int bw = sc.bw;
        int bh = sc.bh;
        float[] g = sc.g;
        float[] s = sc.gains;
        double halfAlpha = alpha * 0.5f;
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

    // ------------------------------------------------------------------------------------------------- detect

    public WatermarkDetection detect(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        if (Math.min(w, h) < MIN_DETECT_SIDE) {
            return tooSmall(w, h);
        }
        if ((img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB)
                && img.getRaster().getDataBuffer() instanceof DataBufferInt db
                && img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0
                && db.getNumBanks() == 1 && db.getOffset() == 0 && db.getData().length == w * h) {
            return detectRgb(db.getData(), w, h);
        }
        // row by row, so a huge image is never copied whole
        int[] row = new int[w];
        float[] luma = new float[w];
        return detectFrom(w, h, (y, out) -> {
            img.getRGB(0, y, w, 1, row, 0, w);
            kernels.lumaRow(row, 0, w, out);
        }, luma);
    }

    public WatermarkDetection detectRgb(int[] packedRgb, int width, int height) {
        checkArray(packedRgb.length, width, height, width, 4);
        if (Math.min(width, height) < MIN_DETECT_SIDE) {
            return tooSmall(width, height);
        }
        return detectFrom(width, height, (y, out) -> kernels.lumaRow(packedRgb, y * width, width, out), new float[width]);
    }

    public WatermarkDetection detectLuma(byte[] y, int width, int height, int stride) {
        checkArray(y.length, width, height, stride, 1);
        if (Math.min(width, height) < MIN_DETECT_SIDE) {
            return tooSmall(width, height);
        }
        return detectFrom(width, height, (row, out) -> {
            int off = row * stride;
            for (int x = 0; x < width; x++) {
                out[x] = y[off + x] & 0xff;
            }
        }, new float[width]);
    }

    private static WatermarkDetection tooSmall(int w, int h) {
        return WatermarkDetection.none(0, "image " + w + "x" + h + " is too small to carry a watermark (shorter side"
                + " below " + MIN_DETECT_SIDE + " px)");
    }

    @FunctionalInterface
    interface LumaRows {
        void row(int y, float[] out);
    }

    /**
     * Detection plus diagnostics for benchmarks: {@code bestEffortData} holds the data bits the decoder read for
     * the best synchronisation it found, even when the CRC rejected them (so bit accuracy can be measured).
     */
    public record Analysis(WatermarkDetection detection, long bestEffortData) {}

    /** Like {@link #detectRgb}, with diagnostics. */
    public Analysis analyzeRgb(int[] packedRgb, int width, int height) {
        checkArray(packedRgb.length, width, height, width, 4);
        if (Math.min(width, height) < MIN_DETECT_SIDE) {
            return new Analysis(tooSmall(width, height), 0);
        }
        return analyzeFrom(width, height, (y, out) -> kernels.lumaRow(packedRgb, y * width, width, out), new float[width]);
    }

    private WatermarkDetection detectFrom(int w, int h, LumaRows rows, float[] rowBuf) {
        return analyzeFrom(w, h, rows, rowBuf).detection();
    }

    private Analysis analyzeFrom(int w, int h, LumaRows rows, float[] rowBuf) {
        Working wk = Working.build(w, h, rows, rowBuf);
        float[] white = wk.whitened();
        double idPeriod = period(Math.min(w, h)) * wk.scale;
        // the quick search keeps to the image's own geometry, orientation included
        Decoder dec = new Decoder(this, white, wk.w, wk.h, search == WatermarkOptions.Search.FULL);
        double[] identity = {idPeriod, 0, 0, idPeriod};
        Decoder.Result best = dec.tryLattice(identity, false);
        boolean withoutReference = false;
        if (!best.decoded()) {
            Decoder.Result free = dec.tryWithoutReference(identity);
            if (free.decoded()) {
                best = free;
                withoutReference = true;
            }
        }
        if (!best.decoded() && search == WatermarkOptions.Search.FULL) {
            double[] combBest = null;
            java.util.List<double[]> lats = new java.util.ArrayList<>();
            LatticeEstimator.Spectrum spectrum = LatticeEstimator.whitenedSpectrum(white, wk.w, wk.h, 8 * wk.scale);
            if (spectrum != null) {
                // two sources of lattice hypotheses: a comb search over the usual geometric changes (sees weak marks in
                // dense texture; its best few always go on) and peaks of the autocorrelation (any geometry, but only a
                // clear mark puts the true lattice among them: they go on only when the comb sees lines there too)
                LatticeEstimator.Comb comb = new LatticeEstimator.Comb(spectrum);
                java.util.List<LatticeEstimator.Scored> pool = new java.util.ArrayList<>(
                        LatticeEstimator.combSearch(comb, idPeriod, COMB_CANDIDATES));
                combBest = pool.isEmpty() ? null : pool.get(0).lattice();
                for (double[] lat : LatticeEstimator.fromMap(LatticeEstimator.autocorrelation(spectrum),
                        MAX_LATTICE_CANDIDATES, 8 * wk.scale)) {
                    double z = comb.z(lat);
                    if (z >= AUTOCORRELATION_GATE_Z && LatticeEstimator.isNew(pool, lat)) {
                        pool.add(new LatticeEstimator.Scored(lat, z));
                    }
                }
                for (LatticeEstimator.Scored c : pool) {
                    lats.add(c.lattice());
                    if (DEBUG) {
                        System.err.println("  hypothesis " + java.util.Arrays.toString(c.lattice()) + " comb z=" + c.z());
                    }
                }
            }
            // screen every candidate cheaply (upright orientation), then try the best ones fully
            double[] screenZ = new double[lats.size()];
            for (int i = 0; i < lats.size(); i++) {
                screenZ[i] = dec.screen(lats.get(i));
            }
            Integer[] order = new Integer[lats.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(screenZ[y], screenZ[x]));
            Decoder.Result bestEstimated = null;
            for (int k = 0; k < Math.min(FULL_TRIES, order.length); k++) {
                double[] lat = lats.get(order[k]);
                Decoder.Result r = dec.tryLattice(lat, false);
                if (DEBUG) {
                    System.err.println("  candidate " + java.util.Arrays.toString(lat) + " screen=" + screenZ[order[k]]
                            + " z=" + r.z() + " decoded=" + r.decoded());
                }
                if (bestEstimated == null || r.decoded() || r.z() > bestEstimated.z()) {
                    bestEstimated = r;
                }
                if (r.decoded()) {
                    break;
                }
            }
            if (bestEstimated != null && !bestEstimated.decoded()) {
                Decoder.Result r = dec.tryLattice(bestEstimated.lattice(), true);
                if (DEBUG) {
                    System.err.println("  refined " + java.util.Arrays.toString(r.lattice()) + " z=" + r.z() + " decoded=" + r.decoded());
                }
                bestEstimated = r;
            }
            if (bestEstimated != null && (bestEstimated.decoded() || bestEstimated.z() > best.z())) {
                best = bestEstimated;
            }
            if (!best.decoded() && combBest != null) {
                // the comb search needs no key and no reference: a mark whose reference was removed still has a lattice
                Decoder.Result free = dec.tryWithoutReference(combBest);
                if (free.decoded()) {
                    best = free;
                    withoutReference = true;
                }
            }
        }
        if (!best.decoded()) {
            return new Analysis(WatermarkDetection.none(best.z(), best.z() >= DECODE_Z
                    ? "a synchronisation pattern was seen, but the payload did not pass its check"
                    : search == WatermarkOptions.Search.QUICK ? "no watermark for this key (quick search: the image's own"
                    + " geometry only)" : "no watermark for this key"), best.rawData());
        }
        double scale = Math.sqrt(Math.abs(best.lattice()[0] * best.lattice()[3] - best.lattice()[1] * best.lattice()[2]))
                / idPeriod;
        double rot = Math.toDegrees(Math.atan2(best.lattice()[1], best.lattice()[0]));
        // fold rotation into (-45, 45]: the orientation search already handled multiples of 90 degrees
        rot = rot - 90 * Math.round(rot / 90);
        double fpp = Decoder.MAX_DECODE_ATTEMPTS * Math.pow(2, -CRC_BITS) * Math.min(1.0, dec.tests() * normalTail(best.z()));
        return new Analysis(new WatermarkDetection(true, Optional.of(new WatermarkPayload(best.data())), best.z(), fpp,
                scale, rot, withoutReference
                        ? "aigcmark watermark found from its payload alone: its synchronisation pattern is missing or"
                                + " weakened, as after an averaging (estimation) attack (orientation " + best.orientation() + ")"
                        : "aigcmark watermark found (orientation " + best.orientation() + ")"), best.data());
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

    /** Checks the CRC of decoded info bits; returns the data bits or null. */
    Long checkInfo(boolean[] info) {
        long data = 0;
        for (int i = 0; i < DATA_BITS; i++) {
            data = (data << 1) | (info[i] ? 1 : 0);
        }
        int crc = 0;
        for (int i = 0; i < CRC_BITS; i++) {
            crc = (crc << 1) | (info[DATA_BITS + i] ? 1 : 0);
        }
        return crc == crc(data) ? data : null;
    }

    // --------------------------------------------------------------------------------------- working image

    /** Luma resampled so the shorter side is {@value #WORK} px (long side capped, centred). */
    static final class Working {
        final float[] img;
        final int w;
        final int h;
        /** working px per original px */
        final double scale;

        private Working(float[] img, int w, int h, double scale) {
            this.img = img;
            this.w = w;
            this.h = h;
            this.scale = scale;
        }

        static Working build(int W, int H, LumaRows rows, float[] rowBuf) {
            int shortSide = Math.min(W, H);
            double s = (double) WORK / shortSide;
            int f = Math.max(1, shortSide / WORK);
            int bw = W / f;
            int bh = H / f;
            float[] binned = new float[bw * bh];
            float inv = 1f / (f * f);
            for (int by = 0; by < bh; by++) {
                int o = by * bw;
                for (int dy = 0; dy < f; dy++) {
                    rows.row(by * f + dy, rowBuf);
                    for (int bx = 0, x = 0; bx < bw; bx++) {
                        float sum = 0;
                        for (int dx = 0; dx < f; dx++, x++) {
                            sum += rowBuf[x];
                        }
                        binned[o + bx] += sum;
                    }
                }
                for (int bx = 0; bx < bw; bx++) {
                    binned[o + bx] *= inv;
                }
            }
            // bilinear from binned to working (working px -> binned px: divide by s*f)
            double sb = s * f;
            int fullW = (int) Math.round(W * s);
            int fullH = (int) Math.round(H * s);
            int ww = Math.min(fullW, MAX_WORK_LONG);
            int wh = Math.min(fullH, MAX_WORK_LONG);
            int ox = (fullW - ww) / 2;
            int oy = (fullH - wh) / 2;
            float[] out = new float[ww * wh];
            int[] x0 = new int[ww];
            float[] fx = new float[ww];
            for (int x = 0; x < ww; x++) {
                double bxp = (x + ox + 0.5) / sb - 0.5;
                int i = (int) Math.floor(bxp);
                double fr = bxp - i;
                if (i < 0) {
                    i = 0;
                    fr = 0;
                }
                if (i >= bw - 1) {
                    i = bw - 2;
                    fr = 1;
                }
                x0[x] = i;
                fx[x] = (float) fr;
            }
            for (int y = 0; y < wh; y++) {
                double byp = (y + oy + 0.5) / sb - 0.5;
                int j = (int) Math.floor(byp);
                float fy = (float) (byp - j);
                if (j < 0) {
                    j = 0;
                    fy = 0;
                }
                if (j >= bh - 1) {
                    j = bh - 2;
                    fy = 1;
                }
                int r0 = j * bw;
                int r1 = r0 + bw;
                int o = y * ww;
                for (int x = 0; x < ww; x++) {
                    int i = x0[x];
                    float a = binned[r0 + i] + fx[x] * (binned[r0 + i + 1] - binned[r0 + i]);
                    float b = binned[r1 + i] + fx[x] * (binned[r1 + i + 1] - binned[r1 + i]);
                    out[o + x] = a + fy * (b - a);
                }
            }
            return new Working(out, ww, wh, s);
        }

        /** Local-mean removal (9x9) and local-activity normalisation (15x15), clipped: weights for correlation. */
        float[] whitened() {
            float[] mean = boxBlur(img, w, h, 4);
            float[] d = new float[img.length];
            float[] ad = new float[img.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = img[i] - mean[i];
                ad[i] = Math.abs(d[i]);
            }
            float[] act = boxBlur(ad, w, h, 7);
            for (int i = 0; i < d.length; i++) {
                float v = d[i] / (act[i] + 1.0f);
                d[i] = Math.max(-3f, Math.min(3f, v));
            }
            return d;
        }
    }

    /** Separable box blur with edge clamping, radius r (window 2r+1). */
    static float[] boxBlur(float[] src, int w, int h, int r) {
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        float inv = 1f / (2 * r + 1);
        for (int y = 0; y < h; y++) {
            int o = y * w;
            float sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += src[o + clamp(k, w)];
            }
            for (int x = 0; x < w; x++) {
                tmp[o + x] = sum * inv;
                sum += src[o + clamp(x + r + 1, w)] - src[o + clamp(x - r, w)];
            }
        }
        float[] col = new float[w];
        for (int k = -r; k <= r; k++) {
            int yy = clamp(k, h) * w;
            for (int x = 0; x < w; x++) {
                col[x] += tmp[yy + x];
            }
        }
        for (int y = 0; y < h; y++) {
            int o = y * w;
            int add = clamp(y + r + 1, h) * w;
            int sub = clamp(y - r, h) * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = col[x] * inv;
                col[x] += tmp[add + x] - tmp[sub + x];
            }
        }
        return out;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
