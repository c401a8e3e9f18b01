package org.aigcmark.detect.ocr;

import java.awt.Rectangle;

/**
 * A text box that may be rotated: centre, angle of the text line (radians, image y axis down, so a positive angle
 * runs down to the right), length along the line and thickness across it, in image pixels. An axis-aligned box
 * ({@code angle == 0}) is sampled exactly as the {@link Rectangle} it came from.
 */
record Quad(double cx, double cy, double angle, double length, double thickness) {

    /** The axis-aligned box of a rectangle. */
    static Quad of(Rectangle r) {
        return new Quad(r.x + r.width / 2.0, r.y + r.height / 2.0, 0, r.width, r.height);
    }

    boolean axisAligned() {
        return angle == 0;
    }

    /** The rectangle of an axis-aligned quad; the bounding box of a rotated one. */
    Rectangle bounds() {
        if (axisAligned()) {
            return new Rectangle((int) Math.round(cx - length / 2), (int) Math.round(cy - thickness / 2),
                    (int) Math.round(length), (int) Math.round(thickness));
        }
        double c = Math.abs(Math.cos(angle));
        double s = Math.abs(Math.sin(angle));
        double hw = (length * c + thickness * s) / 2;
        double hh = (length * s + thickness * c) / 2;
        int x0 = (int) Math.floor(cx - hw);
        int y0 = (int) Math.floor(cy - hh);
        return new Rectangle(x0, y0, (int) Math.ceil(cx + hw) - x0, (int) Math.ceil(cy + hh) - y0);
    }

    /** {@link #bounds()} clamped to a {@code w x h} image. */
    Rectangle bounds(int w, int h) {
        return bounds().intersection(new Rectangle(0, 0, w, h));
    }

    /** Grown by {@code along} on each end of the line and {@code across} on each side of it. */
    Quad grow(double along, double across) {
        return new Quad(cx, cy, angle, length + 2 * along, thickness + 2 * across);
    }

    /** Angle in degrees. */
    double degrees() {
        return Math.toDegrees(angle);
    }
}
