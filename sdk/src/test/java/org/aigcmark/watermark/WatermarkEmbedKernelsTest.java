package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.aigcmark.key.WatermarkKey;
import org.junit.jupiter.api.Test;

/**
 * The embedding's fast paths (integer block sums, unrolled smoothing, padded pattern rows, Vector API luma and
 * gain-row kernels) must give exactly the pixels of the plain definition below, which is the embedding as first
 * written: float block sums, the general 3x3 loop, per-pixel interpolation and period-long segments. Any change
 * of float operation order or of the signal shows up here as a differing pixel.
 */
class WatermarkEmbedKernelsTest {
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("embed kernels test key");
    private static final WatermarkPayload PAYLOAD = new WatermarkPayload(0x5eed_cafe_0123_4567L);

    @Test
    void lumaEmbeddingMatchesTheReferenceOnEveryPathWithStridesAndOddSizes() {
        // sizes: 1080p (period 270), odd widths that leave scalar tails after 16 and 8 lanes, a wide strip, a stride
        int[][] sizes = {{1920, 1080, 1920}, {1001, 517, 1040}, {777, 300, 800}, {4001, 300, 4001}, {256, 259, 256}};
        for (int[] s : sizes) {
            int w = s[0];
            int h = s[1];
            int stride = s[2];
            byte[] plane = lumaPlane(w, h, stride, w + h);
            byte[] expected = plane.clone();
            ImageWatermarker.create(KEY, WatermarkOptions.defaults().withKernels(WatermarkOptions.Kernels.SCALAR))
                    .embedLuma(plane.clone(), w, h, stride, PAYLOAD);
            referenceEmbedLuma(expected, w, h, stride, 1.0, WatermarkEmbedder.lastStrength());
            for (WatermarkOptions.Kernels k : WatermarkOptions.Kernels.values()) {
                ImageWatermarker wm = ImageWatermarker.create(KEY, WatermarkOptions.defaults().withKernels(k));
                byte[] y = plane.clone();
                wm.embedLuma(y, w, h, stride, PAYLOAD);
                assertArrayEquals(expected, y, () -> k + " (" + wm.kernelName() + ") at " + w + "x" + h + " stride " + stride);
            }
        }
    }

    @Test
    void rgbEmbeddingMatchesTheReferenceOnEveryPath() {
        BufferedImage img = TestImages.synthetic(1001, 517, 9);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        int[] expected = px.clone();
        ImageWatermarker.create(KEY, new WatermarkOptions(1.5, WatermarkOptions.Kernels.SCALAR)).embedRgb(px.clone(), w, h, PAYLOAD);
        referenceEmbedRgb(expected, w, h, 1.5, WatermarkEmbedder.lastStrength());
        for (WatermarkOptions.Kernels k : WatermarkOptions.Kernels.values()) {
            ImageWatermarker wm = ImageWatermarker.create(KEY, new WatermarkOptions(1.5, k));
            int[] p = px.clone();
            wm.embedRgb(p, w, h, PAYLOAD);
            assertArrayEquals(expected, p, () -> k + " (" + wm.kernelName() + ")");
        }
    }

    @Test
    void eachVectorKernelGivesTheScalarBitsOnItsOwn() {
        // the output pixels above could hide a last-bit difference in a gain; compare the kernels' own outputs
        PixelKernels scalar = PixelKernels.scalar();
        PixelKernels vector = PixelKernels.vector();
        // surefire adds jdk.incubator.vector, so this compares two different implementations
        assertTrue(vector.name().startsWith("vector"), vector.name());
        java.util.Random r = new java.util.Random(42);
        int w = 1003;
        int rows = 3;
        byte[] y = new byte[w * rows];
        r.nextBytes(y);
        int blocks = w / WatermarkEmbedder.BLOCK;
        int bw = blocks + 1;
        int[] actS = new int[bw * rows];
        int[] meanS = new int[bw * rows];
        for (int i = 0; i < actS.length; i++) {
            actS[i] = r.nextInt(2000);
            meanS[i] = r.nextInt(2000);
        }
        int[] actV = actS.clone();
        int[] meanV = meanS.clone();
        scalar.blockSumsLuma(y, w, 2 * w, blocks, actS, meanS, bw + 1);
        vector.blockSumsLuma(y, w, 2 * w, blocks, actV, meanV, bw + 1);
        assertArrayEquals(actS, actV);
        assertArrayEquals(meanS, meanV);

        int n = 1001;
        int[] cnt = new int[n];
        int[] act = new int[n];
        int[] mean = new int[n];
        for (int i = 0; i < n; i++) {
            cnt[i] = i % 37 == 0 ? 0 : 1 + r.nextInt(8); // some blocks without samples
            act[i] = r.nextInt(510 * cnt[i] + 1);
            mean[i] = r.nextInt(255 * cnt[i] + 1);
        }
        float[] gS = new float[n];
        float[] gV = new float[n];
        scalar.blockGains(act, mean, cnt, gS, 3, n);
        vector.blockGains(act, mean, cnt, gV, 3, n);
        assertArrayEquals(gS, gV);

        int gw = 77;
        float[] sS = new float[n];
        float[] sV = new float[n];
        for (int row = 1; row + 1 < n / gw; row++) {
            scalar.smoothInterior(gS, gw, row * gw + 1, row * gw + gw - 1, 1.3, sS);
            vector.smoothInterior(gS, gw, row * gw + 1, row * gw + gw - 1, 1.3, sV);
        }
        assertArrayEquals(sS, sV);

        int[] argb = new int[w];
        for (int i = 0; i < w; i++) {
            argb[i] = r.nextInt();
        }
        byte[] lumaS = new byte[w + 5];
        byte[] lumaV = new byte[w + 5];
        scalar.luma8Row(argb, 2, w - 2, lumaS, 5);
        vector.luma8Row(argb, 2, w - 2, lumaV, 5);
        assertArrayEquals(lumaS, lumaV);

        float[] colA = java.util.Arrays.copyOf(gS, bw);
        float[] fx = new float[w];
        for (int x = 0; x < w; x++) {
            float gx = (x + 0.5f) / WatermarkEmbedder.BLOCK - 0.5f;
            int b0 = (int) Math.floor(gx);
            fx[x] = b0 < 0 || b0 >= bw - 1 ? 0 : gx - b0;
        }
        float[] rowS = new float[w];
        float[] rowV = new float[w];
        scalar.interpolateGainRow(colA, bw, fx, rowS, w);
        vector.interpolateGainRow(colA, bw, fx, rowV, w);
        assertArrayEquals(rowS, rowV);
    }

    @Test
    void theBgrRowKernelsGiveWhatThePackedRowsGiveOnEveryKernel() {
        // the embed and the own-mark check read a JPEG's 3-byte rows in place: the bits of packing each row, running
        // the packed kernel and unpacking it, with an offset and an odd width (scalar tails after 16 and 8 lanes)
        java.util.Random r = new java.util.Random(7);
        int w = 1003;
        int off = 5;
        int period = 270;
        byte[] bgr = new byte[off + 3 * w + 4];
        r.nextBytes(bgr);
        for (int i = off; i < off + 3 * w; i += 97) {
            bgr[i] = (byte) (i % 2 == 0 ? 0 : 255); // clamping at both ends
        }
        int[] packed = new int[w];
        for (int x = 0; x < w; x++) {
            int q = off + 3 * x;
            packed[x] = 0xFF000000 | (bgr[q + 2] & 0xff) << 16 | (bgr[q + 1] & 0xff) << 8 | (bgr[q] & 0xff);
        }
        float[] gain = new float[w];
        float[] pattern = new float[2 * (period + WatermarkEmbedder.PATTERN_PAD)];
        for (int x = 0; x < w; x++) {
            gain[x] = 0.5f + 3 * r.nextFloat();
        }
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (float) r.nextGaussian() * 2;
        }
        for (PixelKernels k : new PixelKernels[] {PixelKernels.scalar(), PixelKernels.vector(), TieredPixelKernels.get()}) {
            int[] p = packed.clone();
            k.embedRowRgb(p, 0, w, gain, pattern, period + WatermarkEmbedder.PATTERN_PAD, period);
            byte[] expected = bgr.clone();
            for (int x = 0; x < w; x++) {
                int q = off + 3 * x;
                expected[q] = (byte) p[x];
                expected[q + 1] = (byte) (p[x] >> 8);
                expected[q + 2] = (byte) (p[x] >> 16);
            }
            byte[] b = bgr.clone();
            k.embedRowBgr(b, off, w, gain, pattern, period + WatermarkEmbedder.PATTERN_PAD, period);
            assertArrayEquals(expected, b, k.name());

            byte[] luma8 = new byte[w + 3];
            byte[] luma8Bgr = new byte[w + 3];
            k.luma8Row(packed, 0, w, luma8, 3);
            k.luma8RowBgr(bgr, off, w, luma8Bgr, 3);
            assertArrayEquals(luma8, luma8Bgr, k.name());

            float[] luma = new float[w];
            float[] lumaBgr = new float[w];
            k.lumaRow(packed, 0, w, luma);
            k.lumaRowBgr(bgr, off, w, lumaBgr);
            assertArrayEquals(luma, lumaBgr, k.name());
        }
    }

    @Test
    void aJpegsByteImageGetsThePixelsOfItsPackedCopy() {
        // ImageIO decodes JPEGs to 3-byte BGR, which the embed now marks in place through the BGR kernels
        BufferedImage packed = TestImages.synthetic(1001, 517, 5);
        int w = packed.getWidth();
        int h = packed.getHeight();
        BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(packed, 0, 0, null);
        int[] px = bgr.getRGB(0, 0, w, h, null, 0, w);
        for (WatermarkOptions.Kernels k : WatermarkOptions.Kernels.values()) {
            ImageWatermarker wm = ImageWatermarker.create(KEY, new WatermarkOptions(1.0, k));
            int[] expected = px.clone();
            wm.embedRgb(expected, w, h, PAYLOAD);
            BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            b.setRGB(0, 0, w, h, px, 0, w);
            wm.embed(b, PAYLOAD);
            assertArrayEquals(expected, b.getRGB(0, 0, w, h, null, 0, w), () -> k + " (" + wm.kernelName() + ")");
        }
    }

    @Test
    void theFlatFloorComparisonGivesTheExactSumsAnswerOnEveryKernel() {
        // compareMeanSquare sums in four chains and falls back to the exact index-order sum only near the bound: its
        // answer must be the exact one, also for bounds equal to the exact mean square and one or two ulps away
        java.util.Random r = new java.util.Random(7);
        int[] widths = {1, 2, 17, 240, 481};
        for (PixelKernels k : new PixelKernels[] {PixelKernels.scalar(), PixelKernels.vector(), TieredPixelKernels.get()}) {
            for (int bw : widths) {
                int n = bw * 9;
                float[] g = new float[n];
                float[] weight = new float[n];
                for (int i = 0; i < n; i++) {
                    // mostly flat blocks (below the floors tried) with some texture, as on paper or sky
                    g[i] = WatermarkEmbedder.GAIN_MIN * (0.35f + 0.65f * r.nextFloat()) * (r.nextInt(5) == 0 ? 4 : 1);
                    weight[i] = 0.5f + r.nextFloat();
                }
                float[] raised = new float[bw];
                float[] smooth = new float[bw];
                for (float floor : new float[] {0, 0.05f, 0.2f, 0.37f, 0.8f, WatermarkEmbedder.FLAT_FLOOR_MAX}) {
                    for (float[] wt : new float[][] {null, weight}) {
                        double exact = WatermarkEmbedder.meanSquare(g, n, bw, floor, wt);
                        double[] bounds = {exact, Math.nextUp(exact), Math.nextDown(exact),
                            Math.nextUp(Math.nextUp(exact)), exact * (1 + 1e-13), exact * (1 - 1e-13), exact * 1.01,
                            exact * 0.99};
                        for (double bound : bounds) {
                            int got = WatermarkEmbedder.compareMeanSquare(k, g, n, bw, floor, wt, bound, raised, smooth);
                            org.junit.jupiter.api.Assertions.assertEquals(Double.compare(exact, bound), got,
                                    () -> k.name() + " bw " + bw + " floor " + floor + " bound " + bound);
                        }
                    }
                    // the smoothed row itself: the same floats as Math.max/min and meanSquare's expression
                    k.smoothRaisedRow(g, bw, bw, floor, raised, smooth);
                    for (int i = 0; i < bw; i++) {
                        float a = Math.max(g[bw + i], floor);
                        float l = i == 0 ? a : Math.max(g[bw + i - 1], floor);
                        float rr = i + 1 < bw ? Math.max(g[bw + i + 1], floor) : a;
                        float want = ((a + l + rr) / 3 + Math.min(a, Math.min(l, rr))) / 2;
                        org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(want),
                                Float.floatToIntBits(smooth[i]), k.name() + " bw " + bw + " block " + i);
                    }
                }
            }
        }
    }

    /** Smooth gradients, texture on part of the frame, saturated corners (the clamps), noise. */
    private static byte[] lumaPlane(int w, int h, int stride, long seed) {
        java.util.Random r = new java.util.Random(seed);
        byte[] y = new byte[stride * h];
        for (int row = 0; row < h; row++) {
            for (int x = 0; x < stride; x++) {
                double v = 30 + 200.0 * row / h + 25 * Math.sin(x * 0.05) * Math.cos(row * 0.031)
                        + (x > w / 2 ? 30 * Math.sin(x * 0.9 + row * 0.4) : 0) + r.nextGaussian() * 4;
                if (x < w / 8 && row < h / 8) {
                    v = 2; // near black
                } else if (x > w - w / 8 && row > h - h / 8) {
                    v = 254; // near white
                }
                y[row * stride + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        return y;
    }

    // ------------------------------------------------------------------------------ reference (as first written)
    // A verbatim copy of the first embed loops (now WatermarkEmbedder's), kept apart on purpose: the kernels must stay bit-identical to it.

    private static float[] referencePattern(int shortSide) {
        float[] t = new KeyedTile(KEY).tile(PAYLOAD.bits());
        int tile = KeyedTile.TILE;
        int period = KeyedTile.period(shortSide);
        float[] p = new float[period * period];
        double step = (double) tile / period;
        for (int y = 0; y < period; y++) {
            double v = y * step;
            int v0 = (int) v;
            double fv = v - v0;
            int r0 = (v0 & (tile - 1)) * tile;
            int r1 = ((v0 + 1) & (tile - 1)) * tile;
            for (int x = 0; x < period; x++) {
                double u = x * step;
                int u0 = (int) u;
                double fu = u - u0;
                int c0 = u0 & (tile - 1);
                int c1 = (u0 + 1) & (tile - 1);
                double top = t[r0 + c0] + fu * (t[r0 + c1] - t[r0 + c0]);
                double bot = t[r1 + c0] + fu * (t[r1 + c1] - t[r1 + c0]);
                p[y * period + x] = (float) (top + fv * (bot - top));
            }
        }
        return p;
    }

    private interface Pixel {
        int at(int index);
    }

    /**
     * Block gains exactly as first written (float sums, general 3x3 loop), with the image's gain floor and scale
     * ({@code floorScale}, as the embedder chose them from its sampled mask: WatermarkLayoutTest checks their effect).
     */
    private static float[] referenceGains(Pixel luma, int w, int h, int stride, double strength, float[] floorScale) {
        int block = WatermarkEmbedder.BLOCK;
        int bw = (w + block - 1) / block;
        int bh = (h + block - 1) / block;
        float[] act = new float[bw * bh];
        float[] mean = new float[bw * bh];
        int[] cnt = new int[bw * bh];
        for (int y = 1; y + 1 < h; y += 4) {
            int row = y * stride;
            for (int x = 0; x + 1 < w; x += 2) {
                int l = luma.at(row + x);
                int r = luma.at(row + x + 1);
                int d = luma.at(row + stride + x);
                int i = (y / block) * bw + x / block;
                act[i] += Math.abs(l - r) + Math.abs(l - d);
                mean[i] += l;
                cnt[i]++;
            }
        }
        float[] g = new float[bw * bh];
        for (int i = 0; i < g.length; i++) {
            if (cnt[i] == 0) {
                g[i] = WatermarkEmbedder.GAIN_MIN;
                continue;
            }
            float a = act[i] / cnt[i];
            float m = mean[i] / cnt[i];
            float v = Math.min(WatermarkEmbedder.GAIN_MAX, WatermarkEmbedder.GAIN_MIN + a / WatermarkEmbedder.ACT_REF);
            float lum = Math.min(1f, Math.min(0.35f + m / 40f, 0.35f + (255f - m) / 40f));
            g[i] = Math.max(v * lum, floorScale[0]);
        }
        double alpha = WatermarkEmbedder.BASE_ALPHA * strength * floorScale[1];
        float[] s = new float[bw * bh];
        for (int by = 0; by < bh; by++) {
            for (int bx = 0; bx < bw; bx++) {
                float sum = 0;
                float mn = Float.MAX_VALUE;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = by + dy;
                        int xx = bx + dx;
                        if (yy >= 0 && yy < bh && xx >= 0 && xx < bw) {
                            sum += g[yy * bw + xx];
                            mn = Math.min(mn, g[yy * bw + xx]);
                            n++;
                        }
                    }
                }
                s[by * bw + bx] = (float) (alpha * 0.5f * (sum / n + mn));
            }
        }
        return s;
    }

    /** The gain at each pixel of row group {@code y0} (bilinear between block centres, every 4 rows). */
    private static float[] referenceGainRow(float[] gains, int w, int h, int y0) {
        int block = WatermarkEmbedder.BLOCK;
        int bw = (w + block - 1) / block;
        int bh = (h + block - 1) / block;
        float g = (y0 + 4 * 0.5f) / block - 0.5f;
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
        float[] row = new float[w];
        for (int x = 0; x < w; x++) {
            float gx = (x + 0.5f) / block - 0.5f;
            int b0 = (int) Math.floor(gx);
            float fx = gx - b0;
            if (b0 < 0) {
                b0 = 0;
                fx = 0;
            }
            if (b0 >= bw - 1) {
                b0 = bw - 1;
                fx = 0;
            }
            int b1 = b0 + 1 < bw ? b0 + 1 : b0;
            float a = gains[r0 * bw + b0] + fy * (gains[r1 * bw + b0] - gains[r0 * bw + b0]);
            float c = gains[r0 * bw + b1] + fy * (gains[r1 * bw + b1] - gains[r0 * bw + b1]);
            row[x] = a + fx * (c - a);
        }
        return row;
    }

    private static void referenceEmbedLuma(byte[] y, int w, int h, int stride, double strength, float[] floorScale) {
        float[] pattern = referencePattern(Math.min(w, h));
        int period = KeyedTile.period(Math.min(w, h));
        float[] gains = referenceGains(i -> y[i] & 0xff, w, h, stride, strength, floorScale);
        KeyedTile cells = new KeyedTile(KEY); // layout 2: the keyed amplitude of each period
        for (int y0 = 0; y0 < h; y0 += 4) {
            float[] gainRow = referenceGainRow(gains, w, h, y0);
            for (int row = y0; row < Math.min(h, y0 + 4); row++) {
                for (int x = 0; x < w; x++) {
                    float d = gainRow[x] * cells.cellGain(x / period, row / period) * pattern[(row % period) * period + x % period];
                    float v = (y[row * stride + x] & 0xff) + d;
                    v = Math.max(0f, Math.min(255f, v));
                    y[row * stride + x] = (byte) (int) (v + 0.5f);
                }
            }
        }
    }

    private static void referenceEmbedRgb(int[] px, int w, int h, double strength, float[] floorScale) {
        float[] pattern = referencePattern(Math.min(w, h));
        int period = KeyedTile.period(Math.min(w, h));
        float[] gains = referenceGains(i -> {
            int c = px[i];
            return (77 * ((c >>> 16) & 0xff) + 150 * ((c >>> 8) & 0xff) + 29 * (c & 0xff)) >> 8;
        }, w, h, w, strength, floorScale);
        KeyedTile cells = new KeyedTile(KEY); // layout 2: the keyed amplitude of each period
        for (int y0 = 0; y0 < h; y0 += 4) {
            float[] gainRow = referenceGainRow(gains, w, h, y0);
            for (int row = y0; row < Math.min(h, y0 + 4); row++) {
                for (int x = 0; x < w; x++) {
                    float d = gainRow[x] * cells.cellGain(x / period, row / period) * pattern[(row % period) * period + x % period];
                    int c = px[row * w + x];
                    px[row * w + x] = (c & 0xff000000) | (channel((c >>> 16) & 0xff, d) << 16)
                            | (channel((c >>> 8) & 0xff, d) << 8) | channel(c & 0xff, d);
                }
            }
        }
    }

    private static int channel(int c, float d) {
        float v = c + d;
        v = Math.max(0f, Math.min(255f, v));
        return (int) (v + 0.5f);
    }
}
