package org.aigcmark.internal;

import java.io.IOException;

/** The one wording of an I/O failure in messages, for reads and writes alike. */
public final class IoErrors {
    private IoErrors() {}

    /** The exception's kind and, when it has one, its message: "NoSuchFileException (/a/b)". */
    public static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
