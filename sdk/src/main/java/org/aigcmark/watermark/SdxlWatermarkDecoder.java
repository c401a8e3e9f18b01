package org.aigcmark.watermark;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

/**
 * Reads the public, unkeyed watermark that Stable Diffusion XL (diffusers {@code StableDiffusionXLWatermarker}) and
 * Stable Diffusion 1.x ({@code txt2img.py}) write with imWatermark's {@code dwtDct} method, and reports it as a
 * third-party mark. Anyone can write or erase this mark, so it says "an SD pipeline probably made this" at most.
 *
 * <p>Decoder, exactly as imWatermark's {@code EmbedMaxDct.decode}: OpenCV BGR→YUV (8-bit), U channel cropped to
 * multiples of 4, one-level Haar LL band ({@code (a+b+c+d)/2}), LL cut into 4x4 blocks in raster order; in each
 * block the coefficient with the largest magnitude among positions 1..15 gives the bit {@code (|v| mod 36) > 18};
 * block k votes for bit {@code k mod L}; a bit is 1 when its mean vote exceeds 127/255. Because diffusers v0.18-era
 * code passed RGB where imWatermark expects BGR, both channel orders are tried.
 */
public final class SdxlWatermarkDecoder {
    /** diffusers / Stability-AI WATERMARK_MESSAGE, 48 bits, MSB first. */
    public static final long SDXL_MESSAGE = 0b101100111110110010010000011110111011000110011110L;
    static final int SDXL_BITS = 48;
    /** SD 1.x txt2img: {@code set_watermark('bytes', "StableDiffusionV1".encode())}. */
    static final byte[] SD1_MESSAGE = "StableDiffusionV1".getBytes(StandardCharsets.US_ASCII);
    private static final int SCALE = 36;
    /** P(at least this many of 48 agree by chance) is about 1e-7: a clear, rare-by-chance agreement. */
    static final int MIN_MATCH_48 = 42;

    private SdxlWatermarkDecoder() {}

    /** Looks for the SDXL 48-bit mark (and, failing that, the SD 1.x "StableDiffusionV1" mark). */
    public static ThirdPartyMark detect(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        if (tooSmall(w, h)) {
            return TOO_SMALL;
        }
        RgbRows rows = rowsOf(img);
        int[] buf = new int[8 * w]; // the 8 image rows under one row of blocks
        return decide(votes(w, h, by -> {
            rows.rows(by * 8, 8, buf);
            return buf;
        }, by -> 0, U));
    }

    /** As {@link #detect(BufferedImage)} for packed RGB ({@code 0xRRGGBB}, row-major, {@code w * h} values). */
    public static ThirdPartyMark detectRgb(int[] px, int w, int h) {
        return detectRgb(px, w, h, U);
    }

    static ThirdPartyMark detectRgb(int[] px, int w, int h, URow kernel) {
        if (w <= 0 || h <= 0 || (long) w * h > px.length) {
            throw new IllegalArgumentException("pixel array holds " + px.length + " values, not " + w + "x" + h);
        }
        return tooSmall(w, h) ? TOO_SMALL : decide(votes(w, h, by -> px, by -> by * 8 * w, kernel));
    }

    private static final ThirdPartyMark TOO_SMALL = new ThirdPartyMark("stable-diffusion/imwatermark-dwtDct", false, 0,
            SDXL_BITS, 1.0, "image too small for the imWatermark decoder (needs at least 256x256 pixels)");

    private static boolean tooSmall(int w, int h) {
        return (long) w * h < 256L * 256;
    }

    /** Fills {@code out} with {@code n} rows of packed RGB starting at row {@code y0}, {@code width} values each. */
    @FunctionalInterface
    interface RgbRows {
        void rows(int y0, int n, int[] out);
    }

    /**
     * Direct reads for the layouts decoders produce (3-byte BGR from the JPEG reader, int RGB), getRGB otherwise;
     * the RGB bits are exactly those {@code getRGB} returns for these sRGB layouts (the decoder ignores the top byte).
     */
    static RgbRows rowsOf(BufferedImage img) {
        int w = img.getWidth();
        java.awt.image.WritableRaster r = img.getRaster();
        boolean untranslated = r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0;
        if (untranslated && img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && r.getDataBuffer() instanceof java.awt.image.DataBufferByte db && db.getNumBanks() == 1
                && r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm
                && sm.getPixelStride() == 3 && java.util.Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})) {
            byte[] data = db.getData();
            int stride = sm.getScanlineStride();
            int base = db.getOffset();
            return (y0, n, out) -> {
                for (int y = 0; y < n; y++) {
                    int o = base + (y0 + y) * stride;
                    int d = y * w;
                    for (int x = 0; x < w; x++, o += 3) {
                        out[d + x] = (data[o + 2] & 0xff) << 16 | (data[o + 1] & 0xff) << 8 | (data[o] & 0xff);
                    }
                }
            };
        }
        if (untranslated && (img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB)
                && r.getDataBuffer() instanceof java.awt.image.DataBufferInt db && db.getNumBanks() == 1
                && r.getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel sm) {
            int[] data = db.getData();
            int stride = sm.getScanlineStride();
            int base = db.getOffset();
            return (y0, n, out) -> {
                for (int y = 0; y < n; y++) {
                    System.arraycopy(data, base + (y0 + y) * stride, out, y * w, w);
                }
            };
        }
        return (y0, n, out) -> img.getRGB(0, y0, w, n, out, 0, w);
    }

    /** {@link #opencvU} of {@code n} packed pixels in BGR order into {@code uBgr} and RGB-swapped into {@code uRgb}. */
    interface URow {
        void uRow(int[] px, int from, int n, int[] uBgr, int[] uRgb, int to);
    }

    /**
     * The plain loop. OpenCV's clamp is left out: for 8-bit input U stays within 17..239 (the unit test checks every
     * colour), so it never applies.
     */
    static final URow SCALAR_U = (px, from, n, uBgr, uRgb, to) -> {
        for (int x = 0; x < n; x++) {
            int c = px[from + x];
            int r = (c >> 16) & 0xff;
            int g = (c >> 8) & 0xff;
            int b = c & 0xff;
            int gy = g * 9617 + (1 << 13);
            int yb = (b * 1868 + gy + r * 4899) >> 14;
            int yr = (r * 1868 + gy + b * 4899) >> 14;
            uBgr[to + x] = ((b - yb) * 8061 + (128 << 14) + (1 << 13)) >> 14;
            uRgb[to + x] = ((r - yr) * 8061 + (128 << 14) + (1 << 13)) >> 14;
        }
    };

    /** The Vector API loop when {@code jdk.incubator.vector} is present (as for the watermark kernels), else the plain one. */
    static final URow U = vectorU();

    private static URow vectorU() {
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return SCALAR_U;
            }
            return (URow) Class.forName("org.aigcmark.watermark.VectorSdxlU").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return SCALAR_U;
        }
    }

    /**
     * One pass over the pixels for both channel orders, one row of 4x4 LL blocks (8 image rows) at a time: the U
     * values (OpenCV fixed point), the Haar LL band as integer sums s of 2x2 U values (LL = s / 2), and for each
     * block in raster order its vote {@code (|LL| mod 36) > 18}, which for LL = s / 2 with s >= 0 is
     * {@code s mod 72 > 36}: the same bits as the floating-point reference, without full-size planes.
     * {@code source(by)} / {@code offset(by)} give the array and index of the 8 image rows (stride w) under block
     * row {@code by}. Returns {@code votes[order][block]}.
     */
    static byte[][] votes(int w, int h, java.util.function.IntFunction<int[]> source,
                          java.util.function.IntUnaryOperator offset, URow kernel) {
        int lw = (w / 4) * 2;
        int lh = (h / 4) * 2;
        int blocksX = lw / 4;
        int blocksY = lh / 4;
        int llCols = blocksX * 4;
        int span = 2 * llCols; // image columns under the blocks
        byte[][] votes = {new byte[blocksX * blocksY], new byte[blocksX * blocksY]};
        int[] uBgr = new int[8 * span];
        int[] uRgb = new int[8 * span];
        int[][] ll = {new int[4 * llCols], new int[4 * llCols]};
        for (int by = 0; by < blocksY; by++) {
            int[] src = source.apply(by);
            int base = offset.applyAsInt(by);
            for (int row = 0; row < 8; row++) {
                kernel.uRow(src, base + row * w, span, uBgr, uRgb, row * span);
            }
            for (int ly = 0; ly < 4; ly++) {
                int top = 2 * ly * span;
                int o = ly * llCols;
                for (int x = 0; x < span; x++) { // vertical pairs first: a plain loop the JIT vectorises
                    uBgr[top + x] += uBgr[top + span + x];
                    uRgb[top + x] += uRgb[top + span + x];
                }
                for (int lx = 0; lx < llCols; lx++) {
                    int i = top + 2 * lx;
                    ll[0][o + lx] = uBgr[i] + uBgr[i + 1];
                    ll[1][o + lx] = uRgb[i] + uRgb[i + 1];
                }
            }
            for (int order = 0; order < 2; order++) {
                int[] band = ll[order];
                byte[] v = votes[order];
                int k = by * blocksX;
                for (int bx = 0; bx < blocksX; bx++) {
                    // the largest |LL| among positions 1..15 (position 0 skipped); only its value decides the bit,
                    // so which of equal maxima numpy.argmax would pick does not matter
                    int best = -1;
                    for (int pos = 1; pos < 16; pos++) {
                        best = Math.max(best, band[(pos >> 2) * llCols + bx * 4 + (pos & 3)]);
                    }
                    v[k + bx] = (byte) (best % (2 * SCALE) > SCALE ? 1 : 0);
                }
            }
        }
        return votes;
    }

    private static ThirdPartyMark decide(byte[][] votes) {
        boolean[] sdxl = bits(SDXL_MESSAGE, SDXL_BITS);
        boolean[] sd1 = bytesToBits(SD1_MESSAGE);
        ThirdPartyMark best = null;
        for (int order = 0; order < 2; order++) {
            boolean swap = order == 1;
            for (boolean[] msg : new boolean[][] {sdxl, sd1}) {
                boolean[] got = average(votes[order], msg.length);
                int match = 0;
                for (int i = 0; i < msg.length; i++) {
                    if (got[i] == msg[i]) {
                        match++;
                    }
                }
                double tail = 2 * 2 * binomialTail(msg.length, match); // two channel orders x two messages
                int needed = msg.length == SDXL_BITS ? MIN_MATCH_48 : (int) Math.ceil(msg.length * 0.8);
                boolean found = match >= needed;
                String scheme = msg == sdxl ? "stable-diffusion-xl/imwatermark-dwtDct"
                        : "stable-diffusion-1/imwatermark-dwtDct";
                String note = (found ? "known public message found" : "known public message not found")
                        + (swap ? " (RGB-order variant, as diffusers v0.18-era code wrote it)" : " (BGR order, as imWatermark expects)")
                        + "; unkeyed third-party mark, anyone can write or remove it";
                ThirdPartyMark m = new ThirdPartyMark(scheme, found, match, msg.length, Math.min(1.0, tail), note);
                if (best == null || better(m, best)) {
                    best = m;
                }
            }
        }
        return best;
    }

    /** Block k votes for bit k mod n; a bit is 1 when its mean vote exceeds 127/255 (imWatermark's averaging). */
    private static boolean[] average(byte[] votes, int nbits) {
        int[] sum = new int[nbits];
        int[] cnt = new int[nbits];
        for (int k = 0; k < votes.length; k++) {
            sum[k % nbits] += votes[k];
            cnt[k % nbits]++;
        }
        boolean[] out = new boolean[nbits];
        for (int i = 0; i < nbits; i++) {
            out[i] = cnt[i] > 0 && ((double) sum[i] / cnt[i]) * 255 > 127;
        }
        return out;
    }

    private static boolean better(ThirdPartyMark a, ThirdPartyMark b) {
        if (a.detected() != b.detected()) {
            return a.detected();
        }
        return a.falsePositiveProbability() < b.falsePositiveProbability();
    }

    static boolean[] bits(long value, int n) {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            b[i] = ((value >>> (n - 1 - i)) & 1) != 0;
        }
        return b;
    }

    static boolean[] bytesToBits(byte[] bytes) {
        boolean[] b = new boolean[bytes.length * 8];
        for (int i = 0; i < b.length; i++) {
            b[i] = ((bytes[i / 8] >> (7 - i % 8)) & 1) != 0;
        }
        return b;
    }

    /** OpenCV 8-bit BGR→YUV U (fixed point, 14-bit), as cv2.cvtColor computes it. */
    static int opencvU(int r, int g, int b) {
        int y = (b * 1868 + g * 9617 + r * 4899 + (1 << 13)) >> 14;
        int u = ((b - y) * 8061 + (128 << 14) + (1 << 13)) >> 14;
        return Math.max(0, Math.min(255, u));
    }

    /** P(X >= k) for X ~ Binomial(n, 1/2). */
    static double binomialTail(int n, int k) {
        double total = 0;
        double logHalfN = n * Math.log(0.5);
        for (int i = Math.max(0, k); i <= n; i++) {
            total += Math.exp(logChoose(n, i) + logHalfN);
        }
        return Math.min(1.0, total);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
