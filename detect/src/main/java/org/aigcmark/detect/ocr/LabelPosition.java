package org.aigcmark.detect.ocr;

import java.awt.Rectangle;

/** Where a text box sits in the image: a corner, the middle of an edge, or the interior. */
public enum LabelPosition {
    TOP_LEFT, TOP, TOP_RIGHT, LEFT, RIGHT, BOTTOM_LEFT, BOTTOM, BOTTOM_RIGHT, INTERIOR;

    /** Outer band, as a fraction of each side, that counts as "on the edge". */
    static final double EDGE_BAND = 0.25;
    /** A box that starts this close to the left (or ends this close to the right) counts as at that side. */
    static final double SIDE_ALIGN = 0.15;

    /** Whether this is a corner or an edge position (GB 45438 asks for a label on an edge or in a corner). */
    public boolean onEdgeOrCorner() {
        return this != INTERIOR;
    }

    /** Classifies a box in an image of the given size. */
    public static LabelPosition of(Rectangle box, int width, int height) {
        double cy = box.y + box.height / 2.0;
        double cx = box.x + box.width / 2.0;
        boolean top = cy <= EDGE_BAND * height;
        boolean bottom = cy >= (1 - EDGE_BAND) * height;
        boolean atLeft = box.x <= SIDE_ALIGN * width;
        boolean atRight = box.x + box.width >= (1 - SIDE_ALIGN) * width;
        if (atLeft && atRight) { // spans the width: it is centred, whatever its margins
            atLeft = false;
            atRight = false;
        }
        boolean left = atLeft || (!atRight && cx <= EDGE_BAND * width);
        boolean right = atRight || (!atLeft && cx >= (1 - EDGE_BAND) * width);
        if (top) {
            return left ? TOP_LEFT : right ? TOP_RIGHT : TOP;
        }
        if (bottom) {
            return left ? BOTTOM_LEFT : right ? BOTTOM_RIGHT : BOTTOM;
        }
        return left ? LEFT : right ? RIGHT : INTERIOR;
    }
}
