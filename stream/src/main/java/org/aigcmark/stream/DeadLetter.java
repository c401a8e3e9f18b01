package org.aigcmark.stream;

/**
 * Why an event went to the dead-letter topic. The dead letter is the event's own record (key and value unchanged, so
 * it can be replayed once fixed) with these headers: {@value #REASON_HEADER} (the {@link #id()}),
 * {@value #MESSAGE_HEADER} (a sentence naming what was wrong), {@value #SOURCE_HEADER} ({@code topic/partition@offset}
 * of the event) and, when the event got that far, {@value #EVENT_ID_HEADER}.
 */
public enum DeadLetter {
    /** The value is not a JSON object. */
    BAD_JSON("bad-json"),
    /** A field is missing or of the wrong type. */
    INVALID_EVENT("invalid-event"),
    /** The inline bytes are over {@code aigcmark.inline.max.bytes}. */
    INLINE_TOO_LARGE("inline-too-large"),
    /** The object reference names nothing readable in the object store. */
    OBJECT_UNREADABLE("object-unreadable"),
    /** The object is over {@code aigcmark.object.max.bytes}. */
    OBJECT_TOO_LARGE("object-too-large"),
    /** The detector refused the file (empty, unsupported format, unparseable, over a limit), or failed on it. */
    DETECTION_FAILED("detection-failed");

    /** The header with the reason's id. */
    public static final String REASON_HEADER = "aigcmark.dlt.reason";
    /** The header with the sentence that says what was wrong. */
    public static final String MESSAGE_HEADER = "aigcmark.dlt.message";
    /** The header with where the event was read: {@code topic/partition@offset}. */
    public static final String SOURCE_HEADER = "aigcmark.dlt.source";
    /** The header with the event's id, when it could be read. */
    public static final String EVENT_ID_HEADER = "aigcmark.event.id";

    private final String id;

    DeadLetter(String id) {
        this.id = id;
    }

    /** @return the reason as the {@value #REASON_HEADER} header writes it, e.g. {@code "inline-too-large"} */
    public String id() {
        return id;
    }
}
