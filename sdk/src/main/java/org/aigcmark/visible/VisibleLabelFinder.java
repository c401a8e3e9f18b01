package org.aigcmark.visible;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.visible.VisibleLabelOptions.Position;

/**
 * Finds a visible label that we drew, in the pixels: our plate and glyphs are rendered again for the image's size
 * at every position we could have used, and each is correlated with the image's luma there (Pearson, over the
 * plate's pixels, the label composited over mid-grey as the expected pattern), the same test {@code VideoDetector}
 * runs on frames. It reads the pixels, not metadata, so stripped metadata cannot hide a label that is there, and
 * copied metadata cannot claim one that is not.
 *
 * <p>Limits: it finds labels drawn by this SDK with one of the {@code templates}' texts and heights (see
 * {@link #templatesFor}), at the image's
 * current size (a resized copy still matches, the layout scales with the shortest side), not a label moved by a
 * crop, nor anyone else's label (OCR in the detect module does that).
 */
public final class VisibleLabelFinder {
    /** Our label correlates above 0.9 even after JPEG re-encoding; unlabelled photo corners stay far below. */
    public static final double THRESHOLD = 0.6;
    private static final Position[] POSITIONS = {Position.BOTTOM_RIGHT, Position.BOTTOM_LEFT, Position.TOP_RIGHT,
        Position.TOP_LEFT, Position.BOTTOM, Position.TOP};

    private VisibleLabelFinder() {}

    /** Heights (fraction of the shortest side) tried besides the requested one: the minimum, our default, and common choices. */
    /** Our default text and the standard's other usual wording (GB 45438 examples; docs/gb45438 §8). */
    static final List<String> COMMON_TEXTS = List.of(VisibleLabelOptions.DEFAULT_TEXT, "人工智能生成");

    static final double[] COMMON_HEIGHTS = {VisibleLabelOptions.MIN_FRACTION, VisibleLabelOptions.DEFAULT_FRACTION, 0.08, 0.10};

    /**
     * The labels to look for before drawing {@code wanted}: its text and the {@link #COMMON_TEXTS}, each at its
     * height and at the {@link #COMMON_HEIGHTS}, so an earlier label drawn with another common text or size is found.
     */
    public static List<VisibleLabelOptions> templatesFor(VisibleLabelOptions wanted) {
        List<VisibleLabelOptions> t = new ArrayList<>();
        java.util.Set<String> texts = new java.util.LinkedHashSet<>();
        texts.add(wanted.text());
        texts.addAll(COMMON_TEXTS);
        for (String text : texts) {
            t.add(new VisibleLabelOptions(text, Position.AUTO, wanted.heightFraction()));
            for (double h : COMMON_HEIGHTS) {
                t.add(new VisibleLabelOptions(text, Position.AUTO, h));
            }
        }
        return t;
    }

    /**
     * Where a label of ours was found, with the template that matched and its correlation.
     *
     * @param position the position it sits at (display orientation)
     * @param text the label text of the template that matched
     * @param heightFraction that template's glyph height over the shortest side
     * @param correlation its Pearson correlation with the image's luma there, at least {@link #THRESHOLD}
     */
    public record Found(Position position, String text, double heightFraction, double correlation) {}

    /** The best match at or above {@link #THRESHOLD}, if any. {@code exifOrientation} as for rendering. */
    public static Optional<Found> find(BufferedImage img, int exifOrientation, List<VisibleLabelOptions> templates) {
        int orientation = exifOrientation >= 1 && exifOrientation <= 8 ? exifOrientation : 1;
        int w = img.getWidth();
        int h = img.getHeight();
        int dw = orientation >= 5 ? h : w;
        int dh = orientation >= 5 ? w : h;
        AffineTransform displayToStored = VisibleLabelRenderer.displayToStored(orientation, w, h);
        PixelMap map = PixelMap.of(displayToStored);
        Found best = null;
        Pixels pixels = Pixels.of(img);
        List<String> seen = new ArrayList<>();
        for (VisibleLabelOptions t : templates) {
            String key = t.text() + "@" + t.heightFraction();
            if (seen.contains(key)) {
                continue;
            }
            seen.add(key);
            VisibleLabelRenderer.Layout l;
            try {
                l = VisibleLabelRenderer.layout(t, dw, dh);
            } catch (AigcmarkException e) {
                continue; // too small for this label: it cannot be there
            }
            Stamp stamp = stamp(l);
            for (Position p : POSITIONS) {
                Rectangle plate = VisibleLabelRenderer.plateAt(p, dw, dh, l.plateW(), l.plateH(), l.margin());
                if (stamp.sparse() != null && correlation(pixels, displayToStored, map, stamp, plate, stamp.sparse()) < SPARSE_GATE) {
                    continue; // clearly not our label here: the sparse grid already says so
                }
                double c = correlation(pixels, displayToStored, map, stamp, plate, null);
                if (c >= THRESHOLD && (best == null || c > best.correlation())) {
                    best = new Found(p, t.text(), t.heightFraction(), c);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * For tests: one template's correlations at one position, on the sparse grid, on every pixel through the integer
     * map, and on every pixel through the transform (the way before the map), in that order; the first is NaN for a
     * plate too small for the grid.
     */
    static double[] correlations(BufferedImage img, int orientation, VisibleLabelOptions t, Position p) {
        int w = img.getWidth();
        int h = img.getHeight();
        int dw = orientation >= 5 ? h : w;
        int dh = orientation >= 5 ? w : h;
        AffineTransform displayToStored = VisibleLabelRenderer.displayToStored(orientation, w, h);
        VisibleLabelRenderer.Layout l = VisibleLabelRenderer.layout(t, dw, dh);
        Stamp stamp = stamp(l);
        Rectangle plate = VisibleLabelRenderer.plateAt(p, dw, dh, l.plateW(), l.plateH(), l.margin());
        Pixels pixels = Pixels.of(img);
        PixelMap map = PixelMap.of(displayToStored);
        if (map == null) {
            throw new IllegalStateException("no integer map for orientation " + orientation);
        }
        return new double[] {stamp.sparse() == null ? Double.NaN : correlation(pixels, displayToStored, map, stamp, plate, stamp.sparse()),
            correlation(pixels, displayToStored, map, stamp, plate, null),
            correlation(pixels, displayToStored, null, stamp, plate, null)};
    }

    /**
     * A rendered plate as the correlation reads it: the offsets of its non-transparent pixels and their expected luma
     * (composited over mid-grey), in row order. Depends only on the text and the glyph height, so it is rendered once
     * per pair and shared by every thread (the arrays are never written after construction).
     */
    private record Stamp(int[] xs, int[] ys, double[] expected, int[] sparse) {}

    /**
     * The sparse grid: every {@value #SPARSE_STEP}th pixel of every {@value #SPARSE_STEP}th plate row, for a first,
     * 16x cheaper correlation that lets the full one run only where the plate could be. Our label correlates above
     * 0.9 on the grid as on the whole plate (the plate is a smooth dark box with large glyphs), so a grid value below
     * {@link #SPARSE_GATE} (well under {@link #THRESHOLD}) cannot come from it; unlabelled corners score near 0 on both.
     */
    static final int SPARSE_STEP = 4;
    static final double SPARSE_GATE = THRESHOLD - 0.25;
    /** Plates with fewer grid pixels than this are correlated whole (they are cheap anyway). */
    private static final int MIN_SPARSE = 256;

    private record StampKey(String text, int target) {}

    private static final java.util.concurrent.ConcurrentHashMap<StampKey, Stamp> STAMPS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_STAMPS = 256;

    private static Stamp stamp(VisibleLabelRenderer.Layout l) {
        StampKey key = new StampKey(l.options().text(), l.target());
        Stamp cached = STAMPS.get(key);
        if (cached != null) {
            return cached;
        }
        BufferedImage img = new BufferedImage(l.plateW(), l.plateH(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            VisibleLabelRenderer.draw(g, l, new Rectangle(0, 0, l.plateW(), l.plateH()));
        } finally {
            g.dispose();
        }
        int[] argbs = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        int n = 0;
        for (int argb : argbs) {
            n += argb >>> 24 == 0 ? 0 : 1;
        }
        int[] xs = new int[n];
        int[] ys = new int[n];
        double[] expected = new double[n];
        int i = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int argb = argbs[y * img.getWidth() + x];
                int a = argb >>> 24;
                if (a == 0) {
                    continue;
                }
                xs[i] = x;
                ys[i] = y;
                expected[i++] = 128 + (luma(argb) - 128) * a / 255.0;
            }
        }
        int m = 0;
        for (int k = 0; k < n; k++) {
            m += xs[k] % SPARSE_STEP == 0 && ys[k] % SPARSE_STEP == 0 ? 1 : 0;
        }
        int[] sparse = null;
        if (m >= MIN_SPARSE) {
            sparse = new int[m];
            for (int k = 0, j = 0; k < n; k++) {
                if (xs[k] % SPARSE_STEP == 0 && ys[k] % SPARSE_STEP == 0) {
                    sparse[j++] = k;
                }
            }
        }
        Stamp s = new Stamp(xs, ys, expected, sparse);
        if (STAMPS.size() >= MAX_STAMPS) {
            STAMPS.clear();
        }
        STAMPS.putIfAbsent(key, s);
        return s;
    }

    /**
     * The plate's correlation with the image's luma, over all its pixels ({@code subset} null) or those listed.
     * {@code map}, when not null, is {@code t} in integers (the same pixels, without a transform per pixel).
     */
    private static double correlation(Pixels img, AffineTransform t, PixelMap map, Stamp stamp, Rectangle plate, int[] subset) {
        if (map != null && img.bytes != null && img.pixelStride == 3 && map.inside(plate, img.width, img.height)) {
            return bgrCorrelation(img, map, stamp, plate, subset);
        }
        PlateCorrelation corr = new PlateCorrelation();
        double[] pt = new double[2];
        int[] xs = stamp.xs();
        int[] ys = stamp.ys();
        double[] expected = stamp.expected();
        int count = subset == null ? xs.length : subset.length;
        for (int k = 0; k < count; k++) {
            int i = subset == null ? k : subset[k];
            int ix;
            int iy;
            if (map != null) {
                int x = plate.x + xs[i];
                int y = plate.y + ys[i];
                ix = map.xx() * x + map.xy() * y + map.x0();
                iy = map.yx() * x + map.yy() * y + map.y0();
            } else {
                pt[0] = plate.x + xs[i] + 0.5;
                pt[1] = plate.y + ys[i] + 0.5;
                t.transform(pt, 0, pt, 0, 1);
                ix = (int) Math.floor(pt[0]);
                iy = (int) Math.floor(pt[1]);
            }
            if (ix < 0 || iy < 0 || ix >= img.width || iy >= img.height) {
                continue;
            }
            corr.add(expected[i], img.luma(ix, iy));
        }
        return corr.value();
    }

    /**
     * {@link #correlation} for a plate wholly inside a 3-byte BGR image (a decoded JPEG: the relabel check's usual case),
     * the same pixels' luma added in the same order: the stored pixel's byte offset is linear in the display
     * coordinates, so each pixel costs one multiply-add pair instead of the map and the bounds tests (the check reads
     * ~110 000 pixels of a 1080p image per label).
     */
    private static double bgrCorrelation(Pixels img, PixelMap map, Stamp stamp, Rectangle plate, int[] subset) {
        PlateCorrelation corr = new PlateCorrelation();
        byte[] b = img.bytes;
        int scan = img.scanline;
        int perX = map.yx() * scan + map.xx() * 3;
        int perY = map.yy() * scan + map.xy() * 3;
        int origin = map.y0() * scan + map.x0() * 3 + plate.x * perX + plate.y * perY;
        int[] xs = stamp.xs();
        int[] ys = stamp.ys();
        double[] expected = stamp.expected();
        int count = subset == null ? xs.length : subset.length;
        for (int k = 0; k < count; k++) {
            int i = subset == null ? k : subset[k];
            int p = origin + xs[i] * perX + ys[i] * perY;
            corr.add(expected[i], LUMA_R[b[p + 2] & 0xFF] + LUMA_G[b[p + 1] & 0xFF] + LUMA_B[b[p] & 0xFF]);
        }
        return corr.value();
    }

    /**
     * An EXIF orientation's display-to-stored transform in integers: the stored pixel under display pixel (x, y)'s
     * centre is {@code (xx*x + xy*y + x0, yx*x + yy*y + y0)}, exactly what transforming the centre and flooring gives
     * (the coefficients are 0 or ±1 and the offsets whole, so every value is exact in doubles).
     */
    private record PixelMap(int xx, int xy, int x0, int yx, int yy, int y0) {
        /** The map, or null for a transform that is not a flip or quarter turn with a whole offset. */
        static PixelMap of(AffineTransform t) {
            double[] m = new double[6];
            t.getMatrix(m); // m00 m10 m01 m11 m02 m12
            if (!unitRow(m[0], m[2]) || !unitRow(m[1], m[3]) || m[4] != Math.rint(m[4]) || m[5] != Math.rint(m[5])
                    || Math.abs(m[4]) > 1 << 20 || Math.abs(m[5]) > 1 << 20) {
                return null;
            }
            return new PixelMap((int) m[0], (int) m[2], (int) Math.floor(0.5 * (m[0] + m[2]) + m[4]),
                    (int) m[1], (int) m[3], (int) Math.floor(0.5 * (m[1] + m[3]) + m[5]));
        }

        /** Whether every display pixel of {@code plate} maps to a stored pixel of a {@code w} x {@code h} image. */
        boolean inside(Rectangle plate, int w, int h) {
            // the map turns the plate into a rectangle: its corners' images bound every pixel's
            long x1 = (long) plate.x + plate.width - 1;
            long y1 = (long) plate.y + plate.height - 1;
            return plate.width > 0 && plate.height > 0 && insidePoint(plate.x, plate.y, w, h) && insidePoint(x1, plate.y, w, h)
                    && insidePoint(plate.x, y1, w, h) && insidePoint(x1, y1, w, h);
        }

        private boolean insidePoint(long x, long y, int w, int h) {
            long ix = xx * x + xy * y + x0;
            long iy = yx * x + yy * y + y0;
            return ix >= 0 && iy >= 0 && ix < w && iy < h;
        }

        private static boolean unitRow(double a, double b) {
            return (a == 0 || Math.abs(a) == 1) && (b == 0 || Math.abs(b) == 1) && Math.abs(a) + Math.abs(b) == 1;
        }
    }

    /**
     * An image's pixels as {@code getRGB} gives them, read from the array for the layouts decoders return (8-bit
     * interleaved BGR/ABGR, packed int RGB/ARGB), where {@code getRGB} would go through the colour model per pixel.
     */
    private static final class Pixels {
        final BufferedImage img;
        final int width;
        final int height;
        final byte[] bytes;
        final int[] ints;
        final int scanline;
        final int pixelStride;

        private Pixels(BufferedImage img, byte[] bytes, int[] ints, int scanline, int pixelStride) {
            this.img = img;
            this.width = img.getWidth();
            this.height = img.getHeight();
            this.bytes = bytes;
            this.ints = ints;
            this.scanline = scanline;
            this.pixelStride = pixelStride;
        }

        static Pixels of(BufferedImage img) {
            java.awt.image.WritableRaster r = img.getRaster();
            int type = img.getType();
            boolean unshifted = r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0;
            if (unshifted && (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
                    && r.getDataBuffer() instanceof java.awt.image.DataBufferByte db && db.getNumBanks() == 1
                    && db.getOffset() == 0 && r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm) {
                int stride = type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
                int[] o = sm.getBandOffsets();
                boolean standard = sm.getPixelStride() == stride && (stride == 3
                        ? o.length == 3 && o[0] == 2 && o[1] == 1 && o[2] == 0
                        : o.length == 4 && o[0] == 3 && o[1] == 2 && o[2] == 1 && o[3] == 0);
                if (standard) {
                    return new Pixels(img, db.getData(), null, sm.getScanlineStride(), stride);
                }
            }
            if (unshifted && (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
                    && r.getDataBuffer() instanceof java.awt.image.DataBufferInt db && db.getNumBanks() == 1
                    && db.getOffset() == 0 && r.getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel sm) {
                return new Pixels(img, null, db.getData(), sm.getScanlineStride(), 1);
            }
            return new Pixels(img, null, null, 0, 0);
        }

        /** As {@code img.getRGB(x, y)}. */
        int rgb(int x, int y) {
            if (bytes != null) {
                int p = y * scanline + x * pixelStride;
                return pixelStride == 3
                        ? 0xFF000000 | (bytes[p + 2] & 0xFF) << 16 | (bytes[p + 1] & 0xFF) << 8 | (bytes[p] & 0xFF)
                        : (bytes[p] & 0xFF) << 24 | (bytes[p + 3] & 0xFF) << 16 | (bytes[p + 2] & 0xFF) << 8 | (bytes[p + 1] & 0xFF);
            }
            if (ints != null) {
                int v = ints[y * scanline + x];
                return img.getType() == BufferedImage.TYPE_INT_RGB ? 0xFF000000 | v : v;
            }
            return img.getRGB(x, y);
        }

        /** As {@code luma(rgb(x, y))}, bit for bit: the same products from tables, added in the same order. */
        double luma(int x, int y) {
            if (bytes != null && pixelStride == 3) {
                int p = y * scanline + x * 3;
                return LUMA_R[bytes[p + 2] & 0xFF] + LUMA_G[bytes[p + 1] & 0xFF] + LUMA_B[bytes[p] & 0xFF];
            }
            int rgb = rgb(x, y);
            return LUMA_R[rgb >> 16 & 0xFF] + LUMA_G[rgb >> 8 & 0xFF] + LUMA_B[rgb & 0xFF];
        }
    }

    private static final double[] LUMA_R = new double[256];
    private static final double[] LUMA_G = new double[256];
    private static final double[] LUMA_B = new double[256];

    static {
        for (int v = 0; v < 256; v++) {
            LUMA_R[v] = 0.299 * v;
            LUMA_G[v] = 0.587 * v;
            LUMA_B[v] = 0.114 * v;
        }
    }

    private static double luma(int rgb) {
        return 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
    }
}
