/**
 * Visible labels on images. {@link org.aigcmark.visible.VisibleLabelRenderer} draws the label with the bundled CJK
 * font, glyph ink at least 5% of the shortest side, in the calmest corner by default and in display orientation;
 * {@link org.aigcmark.visible.VisibleLabelOptions} says what and where; {@link
 * org.aigcmark.visible.VisibleLabelFinder} finds a label we drew in the pixels, so relabelling does not stack a
 * second one.
 */
package org.aigcmark.visible;
