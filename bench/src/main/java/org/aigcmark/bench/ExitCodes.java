package org.aigcmark.bench;

import org.aigcmark.AigcmarkException;

/**
 * The CLI's exit codes (cli's {@code ExitCodes}), repeated here: the bench jar must not pull in the CLI, nor the CLI
 * the bench, so the two keep one small table each. Keep them the same.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int USAGE = 2;
    public static final int BAD_INPUT = 3;
    public static final int OUTPUT_NOT_WRITABLE = 4;

    private ExitCodes() {}

    static int of(AigcmarkException.Reason reason) {
        return switch (reason) {
            case INVALID_ARGUMENT, KEY_INVALID -> USAGE;
            case UNSUPPORTED_FORMAT, CORRUPT_INPUT, LIMIT_EXCEEDED, INPUT_UNREADABLE, CAPACITY_EXCEEDED, UNAVAILABLE -> BAD_INPUT;
            case OUTPUT_NOT_WRITABLE -> OUTPUT_NOT_WRITABLE;
            case INTERNAL -> INTERNAL_ERROR;
        };
    }
}
