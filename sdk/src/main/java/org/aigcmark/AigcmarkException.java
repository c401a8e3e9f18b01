package org.aigcmark;

/**
 * The one exception type of the SDK. It is unchecked and carries a {@link Reason}, so a caller (or the CLI)
 * can react to the kind of failure without parsing messages. Problems that do not stop the work are never
 * thrown: they become data in the report.
 */
public final class AigcmarkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the work could not proceed. Stable: scripts and the CLI exit codes depend on it. */
    public enum Reason {
        /** A label value or option is not acceptable (bad charset, missing required field, bad text). */
        INVALID_ARGUMENT,
        /** The input is not a format this SDK handles (decided by magic bytes, never by extension). */
        UNSUPPORTED_FORMAT,
        /** The input is truncated, damaged or inconsistent. */
        CORRUPT_INPUT,
        /** The input asks for more memory, pixels or nesting than the configured limits allow. */
        LIMIT_EXCEEDED,
        /** The input could not be read at all (missing, a directory, permission). */
        INPUT_UNREADABLE,
        /** The output could not be written; nothing was left behind. */
        OUTPUT_NOT_WRITABLE,
        /** A key file is missing, unreadable or of the wrong kind. */
        KEY_INVALID,
        /** The content is too small (or too short) to carry the requested mark. */
        CAPACITY_EXCEEDED,
        /** A model or optional native component is not available. */
        UNAVAILABLE,
        /** A bug or an unexpected state inside the SDK. */
        INTERNAL
    }

    private final Reason reason;

    /**
     * @param reason why the work stopped; the CLI maps it to its exit code
     * @param message a sentence for the user, naming the file or value at fault
     */
    public AigcmarkException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason why the work stopped; the CLI maps it to its exit code
     * @param message a sentence for the user, naming the file or value at fault
     * @param cause the underlying failure, kept for the stack trace
     */
    public AigcmarkException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The kind of failure, for callers that react to it; never null when constructed with one. */
    public Reason reason() {
        return reason;
    }

    /** An exception with {@link Reason#CORRUPT_INPUT}: the input is truncated, damaged or inconsistent. */
    public static AigcmarkException corrupt(String message) {
        return new AigcmarkException(Reason.CORRUPT_INPUT, message);
    }

    /** An exception with {@link Reason#INVALID_ARGUMENT}: a label value, option or request is not acceptable. */
    public static AigcmarkException invalid(String message) {
        return new AigcmarkException(Reason.INVALID_ARGUMENT, message);
    }

    /** An exception with {@link Reason#LIMIT_EXCEEDED}: the input asks for more than the configured limits allow. */
    public static AigcmarkException limit(String message) {
        return new AigcmarkException(Reason.LIMIT_EXCEEDED, message);
    }
}
