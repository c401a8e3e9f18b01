package org.aigcmark.detect.ocr;

import java.awt.Rectangle;

/**
 * One line of text read in the image, with what it says about a visible AI label.
 *
 * @param text         what the recogniser read (several boxes on one line are joined)
 * @param confidence   mean per-character probability of the recognised text, 0..1
 * @param box          the text box in image pixels
 * @param textHeight   the measured glyph (ink) height in pixels
 * @param heightRatio  {@code textHeight} over the image's shortest side (GB 45438 asks for at least 0.05)
 * @param position     corner, edge or interior
 * @param hasAiElement         whether the (confusion-repaired) text has "AI" / "人工智能"
 * @param hasGenerationElement whether it has "生成" / "合成" / "generated" / "synthesized"
 * @param matchedPhrase the span of the repaired text from the AI element to the generation element, or the
 *                      repaired text when only one element is there
 * @param compliant    both elements, height at least 5% (within {@link VisibleLabelFinder#HEIGHT_TOLERANCE_PIXELS}) and
 *                     on an edge or corner
 * @param angle        the text line's tilt in degrees (0 for level text; positive runs down to the right); the
 *                     box is then the tilted line's bounding box, and the height is measured across the line
 */
public record LabelFinding(String text, double confidence, Rectangle box, int textHeight, double heightRatio,
                           LabelPosition position, boolean hasAiElement, boolean hasGenerationElement,
                           String matchedPhrase, boolean compliant, double angle) {

    /** Whether the text reads as an explicit AI label (both elements), whatever its size and place. */
    public boolean isLabelText() {
        return hasAiElement && hasGenerationElement;
    }
}
