package org.aigcmark.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds explicit AIGC label prompts in text: an AI element and a generation element within a few words of each
 * other, tolerant of fullwidth/halfwidth forms, case, punctuation, spacing and zero-width characters (NFKC, then
 * word units). Each finding says whether it sits in the start window, the end window or the body.
 */
public final class ExplicitLabelDetector {
    /** Default size (in chars) of the start and end windows, where GB 45438 places text labels. */
    public static final int DEFAULT_WINDOW = 64;

    private final int window;

    public ExplicitLabelDetector() {
        this(DEFAULT_WINDOW);
    }

    public ExplicitLabelDetector(int window) {
        this.window = Math.max(1, window);
    }

    /** All label prompts in the text, in order. */
    public List<ExplicitLabelFinding> find(String text) {
        List<ExplicitLabelFinding> out = new ArrayList<>();
        int n = text.length();
        int contentStart = 0;
        while (contentStart < n && Character.isWhitespace(text.charAt(contentStart))) {
            contentStart++;
        }
        int contentEnd = n;
        while (contentEnd > contentStart && Character.isWhitespace(text.charAt(contentEnd - 1))) {
            contentEnd--;
        }
        for (LabelElements.Match m : LabelElements.pairs(LabelElements.units(text))) {
            int fromStart = m.start() - contentStart;
            int fromEnd = contentEnd - m.end();
            // In a short text both windows overlap: the nearer edge wins.
            ExplicitLabelFinding.Location loc = fromStart < window && fromStart <= fromEnd ? ExplicitLabelFinding.Location.START
                    : fromEnd < window ? ExplicitLabelFinding.Location.END
                    : fromStart < window ? ExplicitLabelFinding.Location.START
                    : ExplicitLabelFinding.Location.BODY;
            out.add(new ExplicitLabelFinding(m.start(), m.end(), text.substring(m.start(), m.end()), loc));
        }
        return out;
    }

    /** Whether a label sits in the start window or the end window (what a compliant provider emits). */
    public boolean hasStartOrEndLabel(String text) {
        return find(text).stream().anyMatch(f -> f.location() != ExplicitLabelFinding.Location.BODY);
    }
}
