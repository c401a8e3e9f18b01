package org.aigcmark.visible;

import org.aigcmark.AigcmarkException;
import org.aigcmark.label.ExplicitLabelText;

/**
 * How to draw a visible label.
 *
 * @param text the label text; null means {@link #DEFAULT_TEXT}. It must hold an AI element and a generation element
 *     ({@link ExplicitLabelText#requireCompliant}), else {@link AigcmarkException.Reason#INVALID_ARGUMENT}
 * @param position where the label goes; null means {@link Position#AUTO}
 * @param heightFraction the glyph (ink) height as a fraction of the image's shortest side: at least 0.05
 *     (GB 45438 §5.2) and at most 0.5, else {@link AigcmarkException.Reason#INVALID_ARGUMENT}; the default 0.06
 *     leaves a margin for resampling
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

    /** "AI生成" in the calmest corner ({@link Position#AUTO}) at 6% of the shortest side. */
    public static VisibleLabelOptions defaults() {
        return new VisibleLabelOptions(DEFAULT_TEXT, Position.AUTO, DEFAULT_FRACTION);
    }

    /**
     * A copy with another text; null means {@link #DEFAULT_TEXT}.
     *
     * @throws AigcmarkException with {@link AigcmarkException.Reason#INVALID_ARGUMENT} when the text lacks the AI or
     *     the generation element ({@link ExplicitLabelText#requireCompliant})
     */
    public VisibleLabelOptions withText(String t) {
        return new VisibleLabelOptions(t, position, heightFraction);
    }

    /** A copy at another position; null means {@link Position#AUTO}. */
    public VisibleLabelOptions withPosition(Position p) {
        return new VisibleLabelOptions(text, p, heightFraction);
    }
}
