package org.aigcmark.video;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.aigcmark.visible.VisibleLabelOptions;
import org.aigcmark.visible.VisibleLabelRenderer;

/**
 * The visible label, rendered once by the sdk's {@link VisibleLabelRenderer} into a transparent ARGB canvas and kept
 * as per-pixel alpha and luma over the label's bounding box (plus 2x2-averaged alpha for 4:2:0 chroma). Blending
 * straight into Y/U/V planes avoids converting every frame to RGB and back: the label is black/white/grey, so in
 * any YCbCr matrix its chroma is neutral (128) and blending is linear in Y, U and V alike.
 */
public final class YuvLabelOverlay {
    private final int x0;
    private final int y0;
    private final int bw;
    private final int bh;
    /** alpha 0..256 per pixel of the box (256 = opaque), row-major bw x bh. */
    private final short[] alpha;
    /** overlay luma (already in the frame's range) per pixel of the box. */
    private final byte[] luma;
    private final int cx0;
    private final int cy0;
    private final int cbw;
    private final int cbh;
    /** 4:2:0 chroma alpha 0..256 over the chroma box. */
    private final short[] chromaAlpha;
    private final VisibleLabelRenderer.Placement placement;

    private YuvLabelOverlay(int x0, int y0, int bw, int bh, short[] alpha, byte[] luma, int cx0, int cy0, int cbw,
                            int cbh, short[] chromaAlpha, VisibleLabelRenderer.Placement placement) {
        this.x0 = x0;
        this.y0 = y0;
        this.bw = bw;
        this.bh = bh;
        this.alpha = alpha;
        this.luma = luma;
        this.cx0 = cx0;
        this.cy0 = cy0;
        this.cbw = cbw;
        this.cbh = cbh;
        this.chromaAlpha = chromaAlpha;
        this.placement = placement;
    }

    /**
     * Renders the label for a {@code width x height} stored frame shown with {@code rotationDegrees} clockwise
     * (0, 90, 180, 270). {@code fullRange}: Y in 0..255 (JPEG range) rather than 16..235.
     */
    public static YuvLabelOverlay render(int width, int height, int rotationDegrees, VisibleLabelOptions options,
                                         boolean fullRange) {
        // Rendering draws the label on a whole-frame canvas (8 MB at 1080p) and scans it: a service labelling
        // videos of the same size with the same label, and each labelling's check for a label already there (six
        // positions), reuse the result. Overlays are immutable, so threads share them.
        Key key = new Key(width, height, rotationDegrees, options, fullRange);
        synchronized (CACHE) {
            YuvLabelOverlay cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        YuvLabelOverlay made = renderUncached(width, height, rotationDegrees, options, fullRange);
        synchronized (CACHE) {
            CACHE.put(key, made);
        }
        return made;
    }

    private record Key(int width, int height, int rotationDegrees, VisibleLabelOptions options, boolean fullRange) {}

    /** Recently rendered overlays, least recently used dropped first (each holds its box only, ~100 KB at 1080p). */
    private static final java.util.Map<Key, YuvLabelOverlay> CACHE = new java.util.LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Key, YuvLabelOverlay> eldest) {
            return size() > 32;
        }
    };

    private static YuvLabelOverlay renderUncached(int width, int height, int rotationDegrees, VisibleLabelOptions options,
                                                  boolean fullRange) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        VisibleLabelOptions o = options.position() == VisibleLabelOptions.Position.AUTO
                // AUTO looks for the calmest corner of a picture; a blank canvas has none, and a video's content
                // changes, so video uses the corner GB 45438 Annex C shows.
                ? options.withPosition(VisibleLabelOptions.Position.BOTTOM_RIGHT) : options;
        VisibleLabelRenderer.Placement p = VisibleLabelRenderer.render(canvas, o, orientationFor(rotationDegrees));
        int[] px = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
        Rectangle box = opaqueBounds(px, width, height);
        // even-aligned so the chroma box covers whole 2x2 luma blocks
        int x0 = box.x & ~1;
        int y0 = box.y & ~1;
        int x1 = Math.min(width, (box.x + box.width + 1) & ~1);
        int y1 = Math.min(height, (box.y + box.height + 1) & ~1);
        int bw = Math.max(0, x1 - x0);
        int bh = Math.max(0, y1 - y0);
        short[] alpha = new short[bw * bh];
        byte[] luma = new byte[bw * bh];
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                int argb = px[(y0 + y) * width + x0 + x];
                int a = argb >>> 24;
                int r = (argb >> 16) & 0xff;
                int g = (argb >> 8) & 0xff;
                int b = argb & 0xff;
                double yFull = 0.2126 * r + 0.7152 * g + 0.0722 * b; // grey anyway: any matrix gives the same Y
                double yv = fullRange ? yFull : 16 + yFull * 219.0 / 255.0;
                alpha[y * bw + x] = (short) (a + (a >> 7)); // 0..255 -> 0..256
                luma[y * bw + x] = (byte) Math.round(yv);
            }
        }
        int cbw = (bw + 1) / 2;
        int cbh = (bh + 1) / 2;
        short[] ca = new short[cbw * cbh];
        for (int y = 0; y < cbh; y++) {
            for (int x = 0; x < cbw; x++) {
                int s = 0;
                int n = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int yy = 2 * y + dy;
                        int xx = 2 * x + dx;
                        if (yy < bh && xx < bw) {
                            s += alpha[yy * bw + xx];
                            n++;
                        }
                    }
                }
                ca[y * cbw + x] = (short) (n == 0 ? 0 : s / n);
            }
        }
        return new YuvLabelOverlay(x0, y0, bw, bh, alpha, luma, x0 / 2, y0 / 2, cbw, cbh, ca, p);
    }

    /** EXIF orientation that shows a stored frame the way a clockwise display rotation does. */
    static int orientationFor(int rotationDegrees) {
        return switch (((rotationDegrees % 360) + 360) % 360) {
            case 90 -> 6;
            case 180 -> 3;
            case 270 -> 8;
            default -> 1;
        };
    }

    private static Rectangle opaqueBounds(int[] px, int w, int h) {
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < h; y++) {
            int off = y * w;
            for (int x = 0; x < w; x++) {
                if ((px[off + x] >>> 24) != 0) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? new Rectangle(0, 0, 0, 0) : new Rectangle(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /** Where the label is, in display coordinates (as the sdk's renderer reports it). */
    public VisibleLabelRenderer.Placement placement() {
        return placement;
    }

    /** The label's bounding box in stored frame coordinates. */
    public Rectangle box() {
        return new Rectangle(x0, y0, bw, bh);
    }

    /** Overlay alpha (0..256) at box-relative (x, y). */
    int alphaAt(int x, int y) {
        return alpha[y * bw + x];
    }

    /** Overlay luma at box-relative (x, y). */
    int lumaAt(int x, int y) {
        return luma[y * bw + x] & 0xff;
    }

    /** Blends into a luma plane in place. No allocation. */
    public void blendLuma(byte[] y, int stride) {
        for (int row = 0; row < bh; row++) {
            int o = (y0 + row) * stride + x0;
            int a = row * bw;
            for (int x = 0; x < bw; x++) {
                int al = alpha[a + x];
                if (al != 0) {
                    int base = y[o + x] & 0xff;
                    y[o + x] = (byte) (base + (((luma[a + x] & 0xff) - base) * al >> 8));
                }
            }
        }
    }

    /** Blends into one 4:2:0 chroma plane (U or V) in place, pulling it toward neutral 128. No allocation. */
    public void blendChroma(byte[] c, int stride) {
        for (int row = 0; row < cbh; row++) {
            int o = (cy0 + row) * stride + cx0;
            int a = row * cbw;
            for (int x = 0; x < cbw; x++) {
                int al = chromaAlpha[a + x];
                if (al != 0) {
                    int base = c[o + x] & 0xff;
                    c[o + x] = (byte) (base + ((128 - base) * al >> 8));
                }
            }
        }
    }

    int chromaY0() {
        return cy0;
    }

    int chromaHeight() {
        return cbh;
    }
}
