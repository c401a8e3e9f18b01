package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/** Round trip against an independent re-implementation of imWatermark's dwtDct encoder (EmbedMaxDct.encode). */
class SdxlWatermarkDecoderTest {

    /** imWatermark encode for the U channel only (scales [0,36,36] loop stops at 2), including its H/V band swap. */
    static BufferedImage imwatermarkEncode(BufferedImage img, boolean[] bits) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        // OpenCV 8-bit BGR->YUV
        double[] yy = new double[w * h];
        int[] uu = new int[w * h];
        int[] vv = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            int r = (px[i] >> 16) & 0xff;
            int g = (px[i] >> 8) & 0xff;
            int b = px[i] & 0xff;
            int y = (b * 1868 + g * 9617 + r * 4899 + (1 << 13)) >> 14;
            yy[i] = y;
            uu[i] = SdxlWatermarkDecoder.opencvU(r, g, b);
            vv[i] = Math.max(0, Math.min(255, ((r - y) * 14369 + (128 << 14) + (1 << 13)) >> 14));
        }
        int cw = w / 4 * 4;
        int ch = h / 4 * 4;
        int lw = cw / 2;
        int lh = ch / 2;
        double[] ca = new double[lw * lh];
        double[] cH = new double[lw * lh];
        double[] cV = new double[lw * lh];
        double[] cD = new double[lw * lh];
        for (int y = 0; y < lh; y++) {
            for (int x = 0; x < lw; x++) {
                double a = uu[(2 * y) * w + 2 * x];
                double b = uu[(2 * y) * w + 2 * x + 1];
                double c = uu[(2 * y + 1) * w + 2 * x];
                double d = uu[(2 * y + 1) * w + 2 * x + 1];
                int i = y * lw + x;
                ca[i] = (a + b + c + d) / 2;
                cH[i] = (a + b - c - d) / 2; // pywt: horizontal detail = row difference
                cV[i] = (a - b + c - d) / 2;
                cD[i] = (a - b - c + d) / 2;
            }
        }
        int num = 0;
        for (int by = 0; by < lh / 4; by++) {
            for (int bx = 0; bx < lw / 4; bx++) {
                int pos = 1;
                double best = -1;
                for (int p = 1; p < 16; p++) {
                    double v = Math.abs(ca[(by * 4 + p / 4) * lw + bx * 4 + p % 4]);
                    if (v > best) {
                        best = v;
                        pos = p;
                    }
                }
                int i = (by * 4 + pos / 4) * lw + bx * 4 + pos % 4;
                double v = ca[i];
                int bit = bits[num % bits.length] ? 1 : 0;
                double q = (Math.floor(Math.abs(v) / 36) + 0.25 + 0.5 * bit) * 36;
                ca[i] = v >= 0 ? q : -q;
                num++;
            }
        }
        // idwt2((cA, (cV, cH, cD))): the bands go back swapped, as imWatermark does
        for (int y = 0; y < lh; y++) {
            for (int x = 0; x < lw; x++) {
                int i = y * lw + x;
                double a = ca[i];
                double hh = cV[i];
                double v = cH[i];
                double d = cD[i];
                uu[(2 * y) * w + 2 * x] = (int) Math.max(0, Math.min(255, (a + hh + v + d) / 2));
                uu[(2 * y) * w + 2 * x + 1] = (int) Math.max(0, Math.min(255, (a + hh - v - d) / 2));
                uu[(2 * y + 1) * w + 2 * x] = (int) Math.max(0, Math.min(255, (a - hh + v - d) / 2));
                uu[(2 * y + 1) * w + 2 * x + 1] = (int) Math.max(0, Math.min(255, (a - hh - v + d) / 2));
            }
        }
        // OpenCV YUV->BGR
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < px.length; i++) {
            double y = yy[i];
            double u = uu[i] - 128;
            double v = vv[i] - 128;
            int r = TestImages.clamp(y + 1.140 * v);
            int g = TestImages.clamp(y - 0.395 * u - 0.581 * v);
            int b = TestImages.clamp(y + 2.032 * u);
            out.setRGB(i % w, i / w, (r << 16) | (g << 8) | b);
        }
        return out;
    }

    /**
     * imWatermark quantises raw Haar-LL values (no DCT), so on smooth chroma the quantised value often stops being
     * the block maximum and the mark does not read back (its documented flakiness); use a colourful textured image.
     */
    static BufferedImage colourful(int w, int h, long seed) {
        java.util.Random r = new java.util.Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((40 + r.nextInt(170)) << 16) | ((40 + r.nextInt(170)) << 8) | (40 + r.nextInt(170)));
            }
        }
        return img;
    }

    @Test
    void readsTheSdxlMessageWrittenByAnImWatermarkEncoder() {
        BufferedImage img = colourful(640, 480, 21);
        boolean[] sdxl = SdxlWatermarkDecoder.bits(SdxlWatermarkDecoder.SDXL_MESSAGE, 48);
        BufferedImage marked = imwatermarkEncode(img, sdxl);
        ThirdPartyMark m = SdxlWatermarkDecoder.detect(marked);
        assertTrue(m.detected(), m.toString());
        assertEquals("stable-diffusion-xl/imwatermark-dwtDct", m.scheme());
        assertTrue(m.matchingBits() >= 46, m.toString());
        assertTrue(m.falsePositiveProbability() < 1e-6, m.toString());
    }

    @Test
    void readsTheSd1BytesMessage() {
        BufferedImage img = colourful(512, 512, 22);
        BufferedImage marked = imwatermarkEncode(img, SdxlWatermarkDecoder.bytesToBits(SdxlWatermarkDecoder.SD1_MESSAGE));
        ThirdPartyMark m = SdxlWatermarkDecoder.detect(marked);
        assertTrue(m.detected(), m.toString());
        assertEquals("stable-diffusion-1/imwatermark-dwtDct", m.scheme());
    }

    @Test
    void unmarkedAndOtherMessagesAreNotReported() {
        BufferedImage img = colourful(640, 480, 23);
        ThirdPartyMark m = SdxlWatermarkDecoder.detect(img);
        assertFalse(m.detected(), m.toString());
        assertFalse(SdxlWatermarkDecoder.detect(TestImages.synthetic(640, 480, 23)).detected());
        boolean[] other = SdxlWatermarkDecoder.bits(0x5A5A_1234_9876L, 48);
        ThirdPartyMark o = SdxlWatermarkDecoder.detect(imwatermarkEncode(img, other));
        assertFalse(o.detected(), o.toString());
        assertFalse(SdxlWatermarkDecoder.detect(TestImages.synthetic(200, 200, 1)).detected(), "below 256x256");
    }

    /** The U loops leave out OpenCV's clamp to 0..255: 8-bit RGB gives 17..239, checked for every colour. */
    @Test
    void opencvUNeverNeedsItsClampFor8BitInput() {
        int min = 255;
        int max = 0;
        for (int c = 0; c < 1 << 24; c++) {
            int r = c >> 16;
            int g = (c >> 8) & 0xff;
            int b = c & 0xff;
            int y = (b * 1868 + g * 9617 + r * 4899 + (1 << 13)) >> 14;
            int u = ((b - y) * 8061 + (128 << 14) + (1 << 13)) >> 14;
            min = Math.min(min, u);
            max = Math.max(max, u);
        }
        assertEquals(17, min);
        assertEquals(239, max);
    }

    @Test
    void binomialTailIsRight() {
        assertEquals(1.0, SdxlWatermarkDecoder.binomialTail(48, 0), 1e-12);
        assertEquals(Math.pow(0.5, 48), SdxlWatermarkDecoder.binomialTail(48, 48), 1e-20);
        assertEquals(0.5572832513567434, SdxlWatermarkDecoder.binomialTail(48, 24), 1e-12);
        assertEquals(5.043741069243879e-08, SdxlWatermarkDecoder.binomialTail(48, 42), 1e-18);
    }

    /**
     * The fast decoder (one integer pass, both channel orders, direct raster reads) must give exactly the result of
     * the straightforward floating-point decoder it replaced: on the real photos as the JPEG reader returns them
     * (3-byte BGR), on int-RGB copies, on odd sizes that exercise the crops, and on marked images.
     */
    @Test
    void fastDecoderEqualsTheReferenceDecoder() throws Exception {
        java.util.List<BufferedImage> images = new java.util.ArrayList<>();
        for (Path p : Fixtures.list("photos").subList(0, 6)) {
            images.add(ImageIO.read(p.toFile())); // 3-byte BGR, one grey (the getRGB path)
        }
        assertTrue(images.stream().filter(i -> i.getType() == BufferedImage.TYPE_3BYTE_BGR).count() >= 4);
        images.add(images.get(0).getSubimage(13, 7, 1001, 603)); // translated raster: the getRGB path
        images.add(colourful(643, 485, 30));
        images.add(imwatermarkEncode(colourful(647, 482, 31), SdxlWatermarkDecoder.bits(SdxlWatermarkDecoder.SDXL_MESSAGE, 48)));
        images.add(imwatermarkEncode(colourful(515, 517, 32), SdxlWatermarkDecoder.bytesToBits(SdxlWatermarkDecoder.SD1_MESSAGE)));
        BufferedImage bgrMarked = new BufferedImage(647, 482, BufferedImage.TYPE_3BYTE_BGR);
        bgrMarked.getGraphics().drawImage(images.get(images.size() - 2), 0, 0, null);
        images.add(bgrMarked);
        int detected = 0;
        for (BufferedImage img : images) {
            int w = img.getWidth();
            int h = img.getHeight();
            int[] px = img.getRGB(0, 0, w, h, null, 0, w);
            ThirdPartyMark want = Reference.detectRgb(px, w, h);
            assertEquals(want, SdxlWatermarkDecoder.detect(img), w + "x" + h + " type " + img.getType());
            assertEquals(want, SdxlWatermarkDecoder.detectRgb(px, w, h));
            assertEquals(want, SdxlWatermarkDecoder.detectRgb(px, w, h, SdxlWatermarkDecoder.SCALAR_U), "scalar loop");
            detected += want.detected() ? 1 : 0;
        }
        assertEquals(3, detected, "the three marked images are found, the photos are not");
        // the build runs tests with jdk.incubator.vector, so the comparisons above covered the Vector API loop too
        assertEquals("VectorSdxlU", SdxlWatermarkDecoder.U.getClass().getSimpleName());
    }

    /** The decoder as first written: full U and LL planes in doubles, one pass per channel order and message. */
    static final class Reference {
        static ThirdPartyMark detectRgb(int[] px, int w, int h) {
            boolean[] sdxl = SdxlWatermarkDecoder.bits(SdxlWatermarkDecoder.SDXL_MESSAGE, 48);
            boolean[] sd1 = SdxlWatermarkDecoder.bytesToBits(SdxlWatermarkDecoder.SD1_MESSAGE);
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
                    double tail = 2 * 2 * SdxlWatermarkDecoder.binomialTail(msg.length, match);
                    int needed = msg.length == 48 ? SdxlWatermarkDecoder.MIN_MATCH_48 : (int) Math.ceil(msg.length * 0.8);
                    boolean found = match >= needed;
                    String scheme = msg == sdxl ? "stable-diffusion-xl/imwatermark-dwtDct" : "stable-diffusion-1/imwatermark-dwtDct";
                    String note = (found ? "known public message found" : "known public message not found")
                            + (swap ? " (RGB-order variant, as diffusers v0.18-era code wrote it)" : " (BGR order, as imWatermark expects)")
                            + "; unkeyed third-party mark, anyone can write or remove it";
                    ThirdPartyMark m = new ThirdPartyMark(scheme, found, match, msg.length, Math.min(1.0, tail), note);
                    if (best == null || (m.detected() != best.detected() ? m.detected()
                            : m.falsePositiveProbability() < best.falsePositiveProbability())) {
                        best = m;
                    }
                }
            }
            return best;
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
                            s += swapRb ? SdxlWatermarkDecoder.opencvU(b, g, r) : SdxlWatermarkDecoder.opencvU(r, g, b);
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
                    sum[bit] += (bestAbs % 36) > 0.5 * 36 ? 1 : 0;
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
    }
}
