package org.aigcmark.text;

/** Where an explicit text label goes (GB 45438 5.1: start, end, or an appropriate place in the middle). */
public enum LabelPosition {
    START, END, BOTH;

    /** Whether the label goes at the start ({@link #START} and {@link #BOTH}). */
    public boolean atStart() {
        return this != END;
    }

    /** Whether the label goes at the end ({@link #END} and {@link #BOTH}). */
    public boolean atEnd() {
        return this != START;
    }
}
