package org.aigcmark.audio;

/** Where the rhythm cue goes (GB 45438 §5.3 d: start, end, or an appropriate place in the middle). */
public enum CuePosition {
    /** Before the content: the cue starts the file. */
    START,
    /** After the content: the cue ends the file. */
    END,
    /** In the middle, at the quietest moment within a second of the midpoint. */
    MIDDLE;

    /** The position named {@code start}, {@code end} or {@code middle} (any case). */
    public static CuePosition of(String name) {
        for (CuePosition p : values()) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("cue position must be start, end or middle: " + name);
    }
}
