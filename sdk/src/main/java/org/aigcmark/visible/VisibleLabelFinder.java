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
        Found best = null;
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
            BufferedImage stamp = new BufferedImage(l.plateW(), l.plateH(), BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = stamp.createGraphics();
            try {
                VisibleLabelRenderer.draw(g, l, new Rectangle(0, 0, l.plateW(), l.plateH()));
            } finally {
                g.dispose();
            }
            for (Position p : POSITIONS) {
                Rectangle plate = VisibleLabelRenderer.plateAt(p, dw, dh, l.plateW(), l.plateH(), l.margin());
                double c = correlation(img, displayToStored, stamp, plate);
                if (c >= THRESHOLD && (best == null || c > best.correlation())) {
                    best = new Found(p, t.text(), t.heightFraction(), c);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static double correlation(BufferedImage img, AffineTransform t, BufferedImage stamp, Rectangle plate) {
        PlateCorrelation corr = new PlateCorrelation();
        double[] pt = new double[2];
        for (int y = 0; y < stamp.getHeight(); y++) {
            for (int x = 0; x < stamp.getWidth(); x++) {
                int argb = stamp.getRGB(x, y);
                int a = argb >>> 24;
                if (a == 0) {
                    continue;
                }
                double e = 128 + (luma(argb) - 128) * a / 255.0;
                pt[0] = plate.x + x + 0.5;
                pt[1] = plate.y + y + 0.5;
                t.transform(pt, 0, pt, 0, 1);
                int ix = (int) Math.floor(pt[0]);
                int iy = (int) Math.floor(pt[1]);
                if (ix < 0 || iy < 0 || ix >= img.getWidth() || iy >= img.getHeight()) {
                    continue;
                }
                double f = luma(img.getRGB(ix, iy));
                corr.add(e, f);
            }
        }
        return corr.value();
    }

    private static double luma(int rgb) {
        return 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
    }
}
