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
        // videos of the same size with the same label reuses the result. Overlays are immutable, so threads share them.
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

    /**
     * The label's pixels for one frame geometry and label (position aside): the ARGB of the tight box around its ink,
     * where that box lies in the stored frame, and the placement it was drawn at.
     */
    private record Plate(int[] argb, Rectangle box, VisibleLabelRenderer.Placement placement) {}

    private record PlateKey(int width, int height, int rotationDegrees, VisibleLabelOptions options) {}

    /** Plates drawn lately for {@link #template} (each ~100-400 KB at 1080p), least recently used dropped first. */
    private static final java.util.Map<PlateKey, Plate> PLATES = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<PlateKey, Plate> eldest) {
            return size() > 8;
        }
    };

    private static YuvLabelOverlay renderUncached(int width, int height, int rotationDegrees, VisibleLabelOptions options,
                                                  boolean fullRange) {
        return fromPlate(drawPlate(width, height, rotationDegrees, resolved(options)), width, height, fullRange);
    }

    /** AUTO looks for the calmest corner of a picture; a blank canvas has none, and a video's content changes, so video
     * uses the corner GB 45438 Annex C shows. */
    private static VisibleLabelOptions resolved(VisibleLabelOptions options) {
        return options.position() == VisibleLabelOptions.Position.AUTO
                ? options.withPosition(VisibleLabelOptions.Position.BOTTOM_RIGHT) : options;
    }

    /**
     * Our label as the checks for it look for it ({@link StartCheck}, {@link VideoDetector}: six positions of one or
     * two labels, in limited range): the plate drawn once per geometry and label, moved to {@code options}' position.
     * Positions are integer rectangles of one size, so a moved plate has the placement and box of one drawn there; its
     * anti-aliased edges may differ by 1/256 of alpha (the glyph outline's float coordinates round differently), far
     * below what a correlation sees. Before, each position cost a whole-frame canvas (8 MB at 1080p) drawn and
     * scanned: twelve of them in every fresh labelling process. What is drawn on frames always comes from
     * {@link #render}, drawn at its own position.
     */
    static YuvLabelOverlay template(int width, int height, int rotationDegrees, VisibleLabelOptions options) {
        VisibleLabelOptions o = resolved(options);
        PlateKey key = new PlateKey(width, height, rotationDegrees, o.withPosition(VisibleLabelOptions.Position.BOTTOM_RIGHT));
        Plate plate;
        synchronized (PLATES) {
            plate = PLATES.get(key);
        }
        if (plate == null) {
            plate = drawPlate(width, height, rotationDegrees, key.options());
            synchronized (PLATES) {
                PLATES.put(key, plate);
            }
        }
        Plate moved = moveTo(plate, o.position(), width, height, rotationDegrees);
        return moved == null ? render(width, height, rotationDegrees, o, false) : fromPlate(moved, width, height, false);
    }

    /** Draws the label on a transparent whole-frame canvas and keeps the tight box around its ink. */
    static Plate drawPlate(int width, int height, int rotationDegrees, VisibleLabelOptions o) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        VisibleLabelRenderer.Placement p = VisibleLabelRenderer.render(canvas, o, orientationFor(rotationDegrees));
        int[] px = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
        Rectangle box = opaqueBounds(px, width, height);
        int[] argb = new int[box.width * box.height];
        for (int y = 0; y < box.height; y++) {
            System.arraycopy(px, (box.y + y) * width + box.x, argb, y * box.width, box.width);
        }
        return new Plate(argb, box, p);
    }

    /**
     * The plate drawn at {@code position} instead, by translation; null when the moved box would leave the frame
     * (then it is drawn).
     */
    private static Plate moveTo(Plate plate, VisibleLabelOptions.Position position, int width, int height, int rotationDegrees) {
        VisibleLabelRenderer.Placement p = plate.placement();
        if (p.position() == position) {
            return plate;
        }
        Rectangle from = p.plate();
        int dw = p.displayWidth();
        int dh = p.displayHeight();
        // the margin, from the reference position (bottom right: dw - margin - plate width)
        int m = dw - from.x - from.width;
        Rectangle to = VisibleLabelRenderer.plateAt(position, dw, dh, from.width, from.height, m);
        int dx = to.x - from.x;
        int dy = to.y - from.y;
        // display offset to stored offset (the linear part of the renderer's display-to-stored map)
        int sx;
        int sy;
        switch (((rotationDegrees % 360) + 360) % 360) {
            case 90 -> { sx = dy; sy = -dx; }
            case 180 -> { sx = -dx; sy = -dy; }
            case 270 -> { sx = -dy; sy = dx; }
            default -> { sx = dx; sy = dy; }
        }
        Rectangle box = new Rectangle(plate.box());
        box.translate(sx, sy);
        if (box.width > 0 && (box.x < 0 || box.y < 0 || box.x + box.width > width || box.y + box.height > height)) {
            return null;
        }
        Rectangle glyph = new Rectangle(p.glyphBox());
        glyph.translate(dx, dy);
        return new Plate(plate.argb(), box, new VisibleLabelRenderer.Placement(position, glyph, to, dw, dh));
    }

    /** Alpha and luma over the even-aligned box of the plate's ink, and the chroma alpha. */
    private static YuvLabelOverlay fromPlate(Plate plate, int width, int height, boolean fullRange) {
        Rectangle box = plate.box();
        int[] px = plate.argb();
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
                int px0 = x0 + x - box.x;
                int py0 = y0 + y - box.y;
                // outside the tight box the canvas is transparent black
                int argb = px0 >= 0 && py0 >= 0 && px0 < box.width && py0 < box.height ? px[py0 * box.width + px0] : 0;
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
        return new YuvLabelOverlay(x0, y0, bw, bh, alpha, luma, x0 / 2, y0 / 2, cbw, cbh, ca, plate.placement());
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
