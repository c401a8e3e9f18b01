package org.aigcmark.visible;

import org.aigcmark.AigcmarkException;
import org.aigcmark.label.ExplicitLabelText;

/**
 * How to draw a visible label. {@code heightFraction} is the glyph (ink) height as a fraction of the image's
 * shortest side: at least 0.05 (GB 45438 §5.2); the default 0.06 leaves a margin for resampling.
 */
public record VisibleLabelOptions(String text, Position position, double heightFraction) {
    public static final String DEFAULT_TEXT = "AI生成";
    public static final double MIN_FRACTION = 0.05;
    public static final double DEFAULT_FRACTION = 0.06;

    /** Where the label goes: a corner, the middle of an edge, or AUTO (the corner with least visual conflict). */
    public enum Position { AUTO, BOTTOM_RIGHT, BOTTOM_LEFT, TOP_RIGHT, TOP_LEFT, BOTTOM, TOP }

    public VisibleLabelOptions {
        if (text == null) {
            text = DEFAULT_TEXT;
        }
        if (position == null) {
            position = Position.AUTO;
        }
        ExplicitLabelText.requireCompliant(text);
        if (!(heightFraction >= MIN_FRACTION) || heightFraction > 0.5) {
            throw AigcmarkException.invalid("label height must be between 5% and 50% of the shortest side, got "
                    + heightFraction * 100 + "%");
        }
    }

    public static VisibleLabelOptions defaults() {
        return new VisibleLabelOptions(DEFAULT_TEXT, Position.AUTO, DEFAULT_FRACTION);
    }

    public VisibleLabelOptions withText(String t) {
        return new VisibleLabelOptions(t, position, heightFraction);
    }

    public VisibleLabelOptions withPosition(Position p) {
        return new VisibleLabelOptions(text, p, heightFraction);
    }
}
