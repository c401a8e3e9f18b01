package org.aigcmark.text;

/**
 * An explicit label prompt found in a text.
 *
 * @param start    char index of its first element
 * @param end      char index just after its last element
 * @param text     the matched text, as written
 * @param location START (within the first window), END (within the last window) or BODY
 */
public record ExplicitLabelFinding(int start, int end, String text, Location location) {
    /** Which part of the text a finding sits in: the start window, the end window, or between them. */
    public enum Location { START, END, BODY }
}
