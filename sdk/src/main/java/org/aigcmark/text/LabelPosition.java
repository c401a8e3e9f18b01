package org.aigcmark.text;

/** Where an explicit text label goes (GB 45438 5.1: start, end, or an appropriate place in the middle). */
public enum LabelPosition {
    START, END, BOTH;

    public boolean atStart() {
        return this != END;
    }

    public boolean atEnd() {
        return this != START;
    }
}
