package org.aigcmark;

/**
 * The exit codes of aigcmark's command-line tools (the CLI and the bench jar), one table for both: users' scripts
 * rely on them, so keep them stable. {@link #of} maps an {@link AigcmarkException.Reason} to its code.
 */
public final class ExitCodes {
    /** The work was done. */
    public static final int OK = 0;
    /** A bug or an unexpected state. */
    public static final int INTERNAL_ERROR = 1;
    /** A bad option, label value or key. */
    public static final int USAGE = 2;
    /** The input is unreadable, damaged, unsupported or over a limit. */
    public static final int BAD_INPUT = 3;
    /** The output could not be written (nothing was left behind). */
    public static final int OUTPUT_NOT_WRITABLE = 4;

    private ExitCodes() {}

    /** The exit code for a failure of this reason. */
    public static int of(AigcmarkException.Reason reason) {
        return switch (reason) {
            case INVALID_ARGUMENT, KEY_INVALID -> USAGE;
            case UNSUPPORTED_FORMAT, CORRUPT_INPUT, LIMIT_EXCEEDED, INPUT_UNREADABLE, CAPACITY_EXCEEDED, UNAVAILABLE -> BAD_INPUT;
            case OUTPUT_NOT_WRITABLE -> OUTPUT_NOT_WRITABLE;
            case INTERNAL -> INTERNAL_ERROR;
        };
    }
}
