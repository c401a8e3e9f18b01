package org.aigcmark.stream;

/**
 * Where the files that upload events name live. The topology reads an object by the reference in the event and writes
 * the propagated copy back under a reference of its own choosing; an implementation maps references to its storage
 * (a local folder: {@link LocalObjectStore}; S3: {@link S3ObjectStore}; an HDFS one implements the same three calls).
 * References come from events, so they are hostile: an implementation refuses one that leaves its storage.
 */
public interface ObjectStore {
    /**
     * The object's bytes, at most {@code maxBytes} of them.
     *
     * @param ref the reference from the event
     * @param maxBytes the most bytes to read; a larger object is refused before it is read
     * @return the whole object
     * @throws org.aigcmark.AigcmarkException {@code INPUT_UNREADABLE} when the object is missing or unreadable, or the
     *     reference is not one this store serves; {@code LIMIT_EXCEEDED} when it is larger than {@code maxBytes}
     */
    byte[] read(String ref, long maxBytes);

    /**
     * The refusal {@link #read} gives for an object over its limit, the same words from every store.
     *
     * @param ref the reference from the event
     * @param maxBytes the limit it is over
     * @return the {@code LIMIT_EXCEEDED} error to throw
     */
    static org.aigcmark.AigcmarkException tooLarge(String ref, long maxBytes) {
        return org.aigcmark.AigcmarkException.limit("object " + ref + " is larger than the limit of " + maxBytes + " bytes");
    }

    /**
     * Writes {@code bytes} as the object {@code ref}, all or nothing, replacing an earlier one (a retried event writes
     * the same bytes again, so the write is idempotent).
     *
     * @param ref the reference to write, as {@link #propagatedRef} made it
     * @param bytes the whole object
     * @return the reference written, as a later {@link #read} takes it
     * @throws org.aigcmark.AigcmarkException {@code OUTPUT_NOT_WRITABLE} when it cannot be written
     */
    String write(String ref, byte[] bytes);

    /**
     * Where the propagated copy of {@code sourceRef} goes: by default {@code propagated/TENANT/EVENTID.EXT} with every
     * part reduced to letters, digits, dot, dash and underscore, so an event cannot steer the write elsewhere.
     *
     * @param sourceRef the uploaded object's reference
     * @param tenant the event's tenant
     * @param eventId the event's id
     * @param extension the format's usual file extension, without the dot
     * @return the reference to pass to {@link #write}
     */
    default String propagatedRef(String sourceRef, String tenant, String eventId, String extension) {
        return "propagated/" + safe(tenant) + "/" + safe(eventId) + "." + safe(extension);
    }

    /**
     * {@code s} with every character outside {@code [A-Za-z0-9._-]} replaced by {@code _}, no leading dot, at most 100
     * characters: a name that is one path segment on any store.
     *
     * @param s a value from an event
     * @return the safe segment, {@code "_"} for an empty one
     */
    static String safe(String s) {
        String t = s == null ? "" : s.replaceAll("[^A-Za-z0-9._-]", "_");
        if (t.length() > 100) {
            t = t.substring(0, 100);
        }
        t = t.replaceFirst("^\\.+", "_");
        return t.isEmpty() ? "_" : t;
    }
}
