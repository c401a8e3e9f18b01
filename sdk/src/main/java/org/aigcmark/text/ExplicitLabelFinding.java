package org.aigcmark.text;

import java.util.List;
import java.util.Locale;

/**
 * An explicit label prompt found in a text.
 *
 * @param start    char index of its first element
 * @param end      char index just after its last element
 * @param text     the matched text, as written
 * @param location START (within the first window), END (within the last window) or BODY
 * @param evasions how the label was disguised (look-alike letters, letters written apart); empty for a plain label
 */
public record ExplicitLabelFinding(int start, int end, String text, Location location, List<Evasion> evasions) {
    /** Which part of the text a finding sits in: the start window, the end window, or between them. */
    public enum Location { START, END, BODY }

    /**
     * A way a label was written so that plain string matching misses it. The label is still there (and reported),
     * but a platform should know it was disguised.
     */
    public enum Evasion {
        /** Latin letters replaced by Cyrillic or Greek look-alikes ("Gеnеrаtеd by АI" with Cyrillic е, а, А). */
        HOMOGLYPHS,
        /** Letters written apart by spaces, dots or invisible characters ("G e n e r a t e d  b y  A I", "A I 生 成"). */
        LETTER_SPACED;

        /** The name reports use: {@code homoglyphs}, {@code letter-spaced}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Copies the evasions. */
    public ExplicitLabelFinding {
        evasions = List.copyOf(evasions);
    }

    /** A finding written plainly (no evasion). */
    public ExplicitLabelFinding(int start, int end, String text, Location location) {
        this(start, end, text, location, List.of());
    }

    /** Whether the label was disguised. */
    public boolean evasive() {
        return !evasions.isEmpty();
    }
}
