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
        if ((long) w * h < 256L * 256) {
            return new ThirdPartyMark("stable-diffusion/imwatermark-dwtDct", false, 0, SDXL_BITS, 1.0,
                    "image too small for the imWatermark decoder (needs at least 256x256 pixels)");
        }
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        return detectRgb(px, w, h);
    }

    public static ThirdPartyMark detectRgb(int[] px, int w, int h) {
        boolean[] sdxl = bits(SDXL_MESSAGE, SDXL_BITS);
        boolean[] sd1 = bytesToBits(SD1_MESSAGE);
        ThirdPartyMark best = null;
        for (boolean swap : new boolean[] {false, true}) {
            double[] ll = haarLlOfU(px, w, h, swap);
            int lw = (w / 4) * 2;
            int lh = (h / 4) * 2;
            for (boolean[] msg : new boolean[][] {sdxl, sd1}) {
                boolean[] got = decode(ll, lw, lh, msg.length);
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

    /** Haar LL of the U plane cropped to multiples of 4; (w/4*2) x (h/4*2), row-major. */
    static double[] haarLlOfU(int[] px, int w, int h, boolean swapRb) {
        int cw = (w / 4) * 4;
        int ch = (h / 4) * 4;
        int lw = cw / 2;
        int lh = ch / 2;
        double[] ll = new double[lw * lh];
        for (int y = 0; y < lh; y++) {
            for (int x = 0; x < lw; x++) {
                int s = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int c = px[(2 * y + dy) * w + 2 * x + dx];
                        int r = (c >> 16) & 0xff;
                        int g = (c >> 8) & 0xff;
                        int b = c & 0xff;
                        s += swapRb ? opencvU(b, g, r) : opencvU(r, g, b);
                    }
                }
                ll[y * lw + x] = s / 2.0;
            }
        }
        return ll;
    }

    /** imWatermark's decode_frame + averaging over the LL band. */
    static boolean[] decode(double[] ll, int lw, int lh, int nbits) {
        double[] sum = new double[nbits];
        int[] cnt = new int[nbits];
        int num = 0;
        for (int by = 0; by < lh / 4; by++) {
            for (int bx = 0; bx < lw / 4; bx++) {
                int bestPos = 1;
                double bestAbs = -1;
                for (int pos = 1; pos < 16; pos++) {
                    double v = Math.abs(ll[(by * 4 + pos / 4) * lw + bx * 4 + pos % 4]);
                    if (v > bestAbs) { // first maximum wins, like numpy.argmax
                        bestAbs = v;
                        bestPos = pos;
                    }
                }
                int bit = num % nbits;
                sum[bit] += (bestAbs % SCALE) > 0.5 * SCALE ? 1 : 0;
                cnt[bit]++;
                num++;
                if (bestPos < 0) {
                    break;
                }
            }
        }
        boolean[] out = new boolean[nbits];
        for (int i = 0; i < nbits; i++) {
            out[i] = cnt[i] > 0 && (sum[i] / cnt[i]) * 255 > 127;
        }
        return out;
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
