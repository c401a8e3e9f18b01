package org.aigcmark.visible;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our label, rasterised once per (text, glyph height) into the coverage of its three passes (plate, outline, glyphs)
 * and blended into each image with Java2D's own SrcOver arithmetic (its 8-bit multiply table and the steps of its
 * SrcOver mask fill). Filling the glyph outlines at the label's size was most of the drawing (issue 19: no glyph
 * rasterisation at full size per call). The coverage is rasterised with the plate at the origin, so it is the same for
 * every image of one size and placement. It is rasterised at the plate's own position in the image: the outline's
 * coordinates are floats, so a plate drawn elsewhere and moved would differ in a few edge pixels (by the rounding of
 * coordinates near 2000 against near 0); at the same position the pixels are Java2D's own, bit for bit
 * ({@code PlateMaskTest}).
 *
 * <p>Used for upright {@code TYPE_3BYTE_BGR} images (what ImageIO's JPEG and PNG readers return for opaque colour) in
 * their stored orientation; any other image is drawn by Java2D as before. ({@code TYPE_INT_RGB} is not: Java2D's fill
 * stores its colour's unused top byte where a whole tile is covered and not elsewhere, which the coverage cannot tell.)
 */
final class PlateMask {
    /** Java2D's {@code mul8table}: {@code round(a * b / 255)} as its fixed-point loop builds it. */
    private static final byte[] MUL8 = mul8Table();

    private record Key(String text, int target, int plateX, int plateY) {}

    private static final ConcurrentHashMap<Key, PlateMask> CACHE = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 64;

    /** The mask's box in the image (the plate and a margin for the outline's stroke). */
    private final int x0;
    private final int y0;
    private final int w;
    private final int h;
    /** Per pass and pixel: the pass's premultiplied colour after coverage, and the destination factor (255: untouched). */
    private final byte[][] res;
    private final byte[][] dstF;

    private PlateMask(int x0, int y0, int w, int h, byte[][] res, byte[][] dstF) {
        this.x0 = x0;
        this.y0 = y0;
        this.w = w;
        this.h = h;
        this.res = res;
        this.dstF = dstF;
    }

    /** Whether {@link #drawOn} can blend into {@code img} (an opaque layout it writes in place). */
    static boolean supports(BufferedImage img) {
        WritableRaster r = img.getRaster();
        if (r.getSampleModelTranslateX() != 0 || r.getSampleModelTranslateY() != 0) {
            return false;
        }
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return r.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1 && db.getOffset() == 0
                    && r.getSampleModel() instanceof PixelInterleavedSampleModel sm && sm.getPixelStride() == 3
                    && java.util.Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0});
        }
        return false;
    }

    /**
     * The mask of layout {@code l} with the plate's top-left corner at ({@code px}, {@code py}) of the image (made once per
     * text, glyph height and position, shared by every thread; a service labelling one output size draws from it).
     */
    static PlateMask of(VisibleLabelRenderer.Layout l, int px, int py) {
        Key key = new Key(l.options().text(), l.target(), px, py);
        PlateMask m = CACHE.get(key);
        if (m != null) {
            return m;
        }
        m = make(l, px, py);
        if (CACHE.size() >= MAX_CACHED) {
            CACHE.clear();
        }
        CACHE.putIfAbsent(key, m);
        return m;
    }

    private static PlateMask make(VisibleLabelRenderer.Layout l, int px, int py) {
        // the outline's stroke reaches past the glyphs by half its width; the padding is wider, a margin keeps it safe
        int margin = (int) Math.ceil(Math.max(1f, l.target() / 18f)) + 2;
        int x0 = Math.max(0, px - margin);
        int y0 = Math.max(0, py - margin);
        int x1 = px + l.plateW() + margin;
        int y1 = py + l.plateH() + margin;
        int w = x1 - x0;
        int h = y1 - y0;
        Rectangle plate = new Rectangle(px, py, l.plateW(), l.plateH());
        byte[][] res = new byte[3][w * h];
        byte[][] dstF = new byte[3][w * h];
        // one grey canvas reaching the plate, so the shapes are rasterised at their own coordinates
        BufferedImage cov = new BufferedImage(x1, y1, BufferedImage.TYPE_BYTE_GRAY);
        byte[] c = ((DataBufferByte) cov.getRaster().getDataBuffer()).getData();
        int[] srcA = {Math.round(VisibleLabelRenderer.PLATE_ALPHA * 255), VisibleLabelRenderer.OUTLINE_ALPHA, 255};
        int[] colour = {0, 0, 255};
        for (int pass = 0; pass < 3; pass++) {
            if (pass > 0) {
                for (int y = y0; y < y1; y++) {
                    java.util.Arrays.fill(c, y * x1 + x0, y * x1 + x1, (byte) 0);
                }
            }
            // the pass in opaque white on black grey: its grey level is the coverage Java2D's mask fill blends with
            Graphics2D g = cov.createGraphics();
            try {
                VisibleLabelRenderer.drawPass(g, l, plate, pass, true);
            } finally {
                g.dispose();
            }
            int a = srcA[pass];
            int src = a == 255 ? colour[pass] : mul8(a, colour[pass]); // premultiplied, as the fill's colour
            for (int y = y0; y < y1; y++) {
                for (int x = x0, i = (y - y0) * w; x < x1; x++, i++) {
                    int path = c[y * x1 + x] & 0xFF;
                    int rc = 0;
                    int f = 255;
                    if (path != 0) {
                        // Java2D's SrcOver mask fill on an opaque pixel: res = src * path; dst * (1 - resA) added
                        int ra = path == 255 ? a : mul8(path, a);
                        rc = path == 255 ? src : mul8(path, src);
                        f = ra == 255 ? 0 : mul8(255 - ra, 255);
                    }
                    res[pass][i] = (byte) rc;
                    dstF[pass][i] = (byte) f;
                }
            }
        }
        return new PlateMask(x0, y0, w, h, res, dstF);
    }

    /** Blends the label into {@code img} (at the position the mask was made for). */
    void drawOn(BufferedImage img) {
        int xTo = Math.min(img.getWidth(), x0 + w);
        int yTo = Math.min(img.getHeight(), y0 + h);
        WritableRaster r = img.getRaster();
        byte[] data = ((DataBufferByte) r.getDataBuffer()).getData();
        int scan = ((PixelInterleavedSampleModel) r.getSampleModel()).getScanlineStride();
        byte[] r0 = res[0];
        byte[] r1 = res[1];
        byte[] r2 = res[2];
        byte[] f0 = dstF[0];
        byte[] f1 = dstF[1];
        byte[] f2 = dstF[2];
        for (int y = y0; y < yTo; y++) {
            int m = (y - y0) * w;
            for (int x = x0, p = y * scan + 3 * x0; x < xTo; x++, p += 3, m++) {
                // each pass: c = res + mul8(dstF, c) per channel; dstF 255 leaves the pixel to the next pass
                int a = f0[m] & 0xFF;
                int b = f1[m] & 0xFF;
                int c = f2[m] & 0xFF;
                for (int ch = 0; ch < 3; ch++) {
                    int v = data[p + ch] & 0xFF;
                    if (a != 255) {
                        v = (r0[m] & 0xFF) + (MUL8[a << 8 | v] & 0xFF);
                    }
                    if (b != 255) {
                        v = (r1[m] & 0xFF) + (MUL8[b << 8 | v] & 0xFF);
                    }
                    if (c != 255) {
                        v = (r2[m] & 0xFF) + (MUL8[c << 8 | v] & 0xFF);
                    }
                    data[p + ch] = (byte) v;
                }
            }
        }
    }

    static int mul8(int a, int b) {
        return MUL8[a << 8 | b] & 0xFF;
    }

    private static byte[] mul8Table() {
        byte[] t = new byte[256 * 256];
        for (int i = 1; i < 256; i++) {
            long inc = (i << 16) + (i << 8) + i; // about 2^24 * i / 255
            long val = inc + (1 << 23);
            for (int j = 1; j < 256; j++) {
                t[i << 8 | j] = (byte) (val >> 24);
                val += inc;
            }
        }
        return t;
    }
}
