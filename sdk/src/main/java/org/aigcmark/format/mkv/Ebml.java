package org.aigcmark.format.mkv;

import java.util.function.LongToIntFunction;

/**
 * The one reader of EBML variable-length integers (RFC 8794 section 4), the element ids and sizes of Matroska and
 * WebM. Bytes come from a {@code byteAt} function (an unsigned byte at an offset), so an array, a file or a head
 * of a file read the same way. Callers decide what a bad or cut integer means for them (damage, an exception, or
 * "not found"); this class only measures and decodes.
 */
public final class Ebml {
    private Ebml() {}

    /** The length in bytes (1..8) of the integer whose first byte is {@code first}, or 0 when it is 0 (invalid). */
    public static int vintLength(int first) {
        return first == 0 ? 0 : Integer.numberOfLeadingZeros(first & 0xFF) - 23;
    }

    /** The length of the integer at {@code p} (1..8), or 0 when it is invalid or runs past {@code limit}. */
    public static int vintLength(LongToIntFunction byteAt, long p, long limit) {
        if (p >= limit) {
            return 0;
        }
        int len = vintLength(byteAt.applyAsInt(p));
        return len > 0 && p + len <= limit ? len : 0;
    }

    /** The {@code len}-byte integer at {@code p} without its length marker: an element size. */
    public static long vintValue(LongToIntFunction byteAt, long p, int len) {
        long v = byteAt.applyAsInt(p) & (0xFF >> len);
        for (int i = 1; i < len; i++) {
            v = (v << 8) | byteAt.applyAsInt(p + i);
        }
        return v;
    }

    /** Whether a {@code len}-byte size of value {@code v} is the reserved all-ones "unknown size". */
    public static boolean unknownSize(long v, int len) {
        return v == (1L << (7 * len)) - 1;
    }

    /** The {@code len}-byte integer at {@code p} with its marker kept, as element ids are written. */
    public static int elementId(LongToIntFunction byteAt, long p, int len) {
        int id = 0;
        for (int i = 0; i < len; i++) {
            id = (id << 8) | byteAt.applyAsInt(p + i);
        }
        return id;
    }
}
