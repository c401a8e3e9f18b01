package org.aigcmark.visible;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.visible.VisibleLabelOptions.Position;

/**
 * Draws an explicit label on an image: the bundled CJK font (never a system font, so output is identical on every
 * machine), glyph ink height at least the requested fraction of the shortest side, on a translucent dark plate
 * with white text so it reads on any background, in display orientation (EXIF Orientation is honoured).
 */
public final class VisibleLabelRenderer {
    static final String FONT_RESOURCE = "/org/aigcmark/fonts/NotoSansSC-Bold-subset.ttf";
    private static final Font BASE_FONT = loadFont();
    /** Legibility floor: below this a label is not readable whatever the percentage says. */
    static final int MIN_GLYPH_PX = 8;
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);
    /** Candidate corners for AUTO, in order of preference (GB 45438 Annex C shows bottom-right). */
    private static final Position[] AUTO_ORDER = {Position.BOTTOM_RIGHT, Position.BOTTOM_LEFT, Position.TOP_RIGHT, Position.TOP_LEFT};

    private VisibleLabelRenderer() {}

    /**
     * Where the label went, in display coordinates (after EXIF Orientation).
     *
     * @param position the position used; never {@code AUTO}, which is resolved to a corner
     * @param glyphBox the box of the glyph ink, in pixels
     * @param plate the box of the dark plate behind the text, in pixels
     * @param displayWidth the image width as displayed, in pixels
     * @param displayHeight the image height as displayed, in pixels
     */
    public record Placement(Position position, Rectangle glyphBox, Rectangle plate, int displayWidth, int displayHeight) {
        /** Glyph ink height over the shortest side. */
        public double heightRatio() {
            return glyphBox.height / (double) Math.min(displayWidth, displayHeight);
        }
    }

    /** Draws in place. {@code exifOrientation} is 1..8 (1 when unknown). */
    public static Placement render(BufferedImage img, VisibleLabelOptions o, int exifOrientation) {
        int orientation = exifOrientation >= 1 && exifOrientation <= 8 ? exifOrientation : 1;
        int w = img.getWidth();
        int h = img.getHeight();
        boolean swap = orientation >= 5;
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        Layout l = layout(o, dw, dh);
        AffineTransform displayToStored = displayToStored(orientation, w, h);
        Position pos = o.position() == Position.AUTO ? leastConflict(img, displayToStored, dw, dh, l.plateW, l.plateH, l.margin)
                : o.position();
        Rectangle plate = plateAt(pos, dw, dh, l.plateW, l.plateH, l.margin);
        if (orientation == 1 && PlateMask.supports(img)) {
            // the label's coverage rasterised once per size and place, blended here (no glyph filled again)
            PlateMask.of(l, plate.x, plate.y).drawOn(img);
        } else {
            Graphics2D g = img.createGraphics();
            try {
                g.transform(displayToStored);
                draw(g, l, plate);
            } finally {
                g.dispose();
            }
        }
        Rectangle glyphBox = new Rectangle((int) Math.floor(plate.x + l.pad), (int) Math.floor(plate.y + l.pad),
                (int) Math.ceil(l.ink.getWidth()), (int) Math.ceil(l.ink.getHeight()));
        return new Placement(pos, glyphBox, plate, dw, dh);
    }

    /** Sizes of our label on a display of {@code dw} x {@code dh}: font, glyphs, padding, margin, plate. */
    record Layout(VisibleLabelOptions options, int target, Font font, Rectangle2D ink, int pad, int margin,
                  int plateW, int plateH) {}

    /** A label text at a glyph height: its font and the ink box of its glyphs (never mutated once cached). */
    private record Sized(Font font, Rectangle2D ink) {}

    private record SizeKey(String text, int target) {}

    /**
     * Fonts sized per text and glyph height, shared by every thread: sizing searches font sizes with glyph vectors,
     * the costliest part of a label after the pixels; a service draws a few sizes over and over. Bounded: cleared
     * when it grows past {@value #MAX_SIZED} entries.
     */
    private static final java.util.concurrent.ConcurrentHashMap<SizeKey, Sized> SIZED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SIZED = 256;

    static Layout layout(VisibleLabelOptions o, int dw, int dh) {
        int shortest = Math.min(dw, dh);
        int target = Math.max(MIN_GLYPH_PX, (int) Math.ceil(o.heightFraction() * shortest));
        Sized sized = sized(o.text(), target);
        Font font = sized.font();
        Rectangle2D ink = sized.ink();
        int pad = Math.max(2, (int) Math.round(target * 0.30));
        int margin = Math.max(2, (int) Math.round(shortest * 0.015));
        int plateW = (int) Math.ceil(ink.getWidth()) + 2 * pad;
        int plateH = (int) Math.ceil(ink.getHeight()) + 2 * pad;
        if (plateW + 2 * margin > dw || plateH + 2 * margin > dh) {
            throw new AigcmarkException(AigcmarkException.Reason.CAPACITY_EXCEEDED, "the image (" + dw + "x" + dh
                    + ") is too small for the label \"" + o.text() + "\" at " + Math.round(o.heightFraction() * 100)
                    + "% of its shortest side");
        }
        return new Layout(o, target, font, ink, pad, margin, plateW, plateH);
    }

    private static Sized sized(String text, int target) {
        SizeKey key = new SizeKey(text, target);
        Sized s = SIZED.get(key);
        if (s != null) {
            return s;
        }
        if (baseFont().canDisplayUpTo(text) != -1) {
            int bad = baseFont().canDisplayUpTo(text);
            throw AigcmarkException.invalid("the bundled label font cannot draw '" + text.charAt(bad)
                    + "' in \"" + text + "\"; use common Chinese or Latin characters");
        }
        Font font = sizeFor(text, target);
        s = new Sized(font, font.createGlyphVector(FRC, text).getVisualBounds());
        if (SIZED.size() >= MAX_SIZED) {
            SIZED.clear();
        }
        SIZED.putIfAbsent(key, s);
        return s;
    }

    /** Alpha of the dark plate behind the text. */
    static final float PLATE_ALPHA = 0.62f;
    /** Alpha of the dark outline around the glyphs. */
    static final int OUTLINE_ALPHA = 200;

    /** Draws the plate, outline and glyphs at {@code plate} (display coordinates of {@code g}). */
    static void draw(Graphics2D g, Layout l, Rectangle plate) {
        for (int pass = 0; pass < 3; pass++) {
            drawPass(g, l, plate, pass, false);
        }
    }

    /**
     * One of the label's three passes at {@code plate}: 0 the translucent plate, 1 the glyphs' dark outline, 2 the
     * white glyphs. With {@code coverageOnly} in opaque white without extra alpha, so that on black grey the pass's
     * grey level is the coverage Java2D's mask fill blends with ({@link PlateMask}).
     */
    static void drawPass(Graphics2D g, Layout l, Rectangle plate, int pass, boolean coverageOnly) {
        // Ink origin: the glyph box starts pad inside the plate.
        double originX = plate.x + l.pad - l.ink.getX();
        double originY = plate.y + l.pad - l.ink.getY();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        if (pass == 0) {
            double arc = plate.height * 0.25;
            g.setComposite(coverageOnly ? AlphaComposite.SrcOver : AlphaComposite.getInstance(AlphaComposite.SRC_OVER, PLATE_ALPHA));
            g.setColor(coverageOnly ? Color.WHITE : Color.BLACK);
            g.fill(new RoundRectangle2D.Double(plate.x, plate.y, plate.width, plate.height, arc, arc));
            return;
        }
        g.setComposite(AlphaComposite.SrcOver);
        Shape outline = l.font.createGlyphVector(FRC, l.options.text()).getOutline((float) originX, (float) originY);
        if (pass == 1) {
            g.setColor(coverageOnly ? Color.WHITE : new Color(0, 0, 0, OUTLINE_ALPHA));
            g.setStroke(new BasicStroke(Math.max(1f, l.target / 18f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(outline);
        } else {
            g.setColor(Color.WHITE);
            g.fill(outline);
        }
    }

    /** The font size whose ink height for {@code text} is at least {@code target} pixels. */
    static Font sizeFor(String text, int target) {
        double inkAt100 = baseFont().deriveFont(100f).createGlyphVector(FRC, text).getVisualBounds().getHeight();
        if (inkAt100 <= 0) {
            throw AigcmarkException.invalid("label text \"" + text + "\" has no visible glyphs");
        }
        float size = (float) (100.0 * target / inkAt100);
        Font f = baseFont().deriveFont(size);
        for (int i = 0; i < 20 && f.createGlyphVector(FRC, text).getVisualBounds().getHeight() < target; i++) {
            size *= 1.01f;
            f = baseFont().deriveFont(size);
        }
        return f;
    }

    /**
     * Where the renderer puts a plate of {@code pw x ph} with margin {@code m} on a {@code dw x dh} display at
     * position {@code p}: the one placement rule, which the video module's frame overlay follows too.
     */
    public static Rectangle plateAt(Position p, int dw, int dh, int pw, int ph, int m) {
        return switch (p) {
            case TOP_LEFT -> new Rectangle(m, m, pw, ph);
            case TOP_RIGHT -> new Rectangle(dw - m - pw, m, pw, ph);
            case BOTTOM_LEFT -> new Rectangle(m, dh - m - ph, pw, ph);
            case TOP -> new Rectangle((dw - pw) / 2, m, pw, ph);
            case BOTTOM -> new Rectangle((dw - pw) / 2, dh - m - ph, pw, ph);
            default -> new Rectangle(dw - m - pw, dh - m - ph, pw, ph);
        };
    }

    /** The corner whose area has the least texture (luma variance plus gradient energy), sampled on a grid. */
    static Position leastConflict(BufferedImage img, AffineTransform t, int dw, int dh, int pw, int ph, int m) {
        Position best = AUTO_ORDER[0];
        double bestScore = Double.MAX_VALUE;
        for (Position p : AUTO_ORDER) {
            Rectangle r = plateAt(p, dw, dh, pw, ph, m);
            double score = conflict(img, t, r);
            if (score < bestScore * 0.9) { // prefer the earlier corner unless clearly calmer
                bestScore = score;
                best = p;
            }
        }
        return best;
    }

    private static double conflict(BufferedImage img, AffineTransform t, Rectangle r) {
        final int nx = 32;
        final int ny = 12;
        double[] luma = new double[nx * ny];
        double[] pt = new double[2];
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                pt[0] = r.x + (i + 0.5) * r.width / nx;
                pt[1] = r.y + (j + 0.5) * r.height / ny;
                t.transform(pt, 0, pt, 0, 1);
                int x = Math.min(img.getWidth() - 1, Math.max(0, (int) pt[0]));
                int y = Math.min(img.getHeight() - 1, Math.max(0, (int) pt[1]));
                int rgb = img.getRGB(x, y);
                luma[j * nx + i] = 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
            }
        }
        double mean = 0;
        for (double v : luma) {
            mean += v;
        }
        mean /= luma.length;
        double var = 0;
        double grad = 0;
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                double v = luma[j * nx + i];
                var += (v - mean) * (v - mean);
                if (i + 1 < nx) {
                    grad += Math.abs(luma[j * nx + i + 1] - v);
                }
                if (j + 1 < ny) {
                    grad += Math.abs(luma[(j + 1) * nx + i] - v);
                }
            }
        }
        return Math.sqrt(var / luma.length) + grad / luma.length;
    }

    /** Maps display coordinates (after EXIF orientation) to stored pixel coordinates. */
    static AffineTransform displayToStored(int orientation, int w, int h) {
        return switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, -1, 1, 0, 0, h);
            case 7 -> new AffineTransform(0, -1, -1, 0, w, h);
            case 8 -> new AffineTransform(0, 1, -1, 0, w, 0);
            default -> new AffineTransform();
        };
    }

    private static Font loadFont() {
        try (InputStream in = VisibleLabelRenderer.class.getResourceAsStream(FONT_RESOURCE)) {
            if (in == null) {
                return null;
            }
            return Font.createFont(Font.TRUETYPE_FONT, in);
        } catch (IOException | java.awt.FontFormatException e) {
            return null;
        }
    }

    /** Whether the bundled font is present (it always is in a correct build). */
    public static boolean fontAvailable() {
        return BASE_FONT != null;
    }

    static Font baseFont() {
        if (BASE_FONT == null) {
            throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE,
                    "the bundled label font " + FONT_RESOURCE + " is missing from the SDK jar");
        }
        return BASE_FONT;
    }
}
