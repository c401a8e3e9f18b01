package org.aigcmark.format;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The records of a version 2 content digest's presentation part (docs/SIGNATURES.md): each is its ASCII name, a 0
 * byte, the value's length as 8 big-endian bytes and the value, so no two different sequences of records feed the
 * digest the same bytes.
 */
public final class PresentationDigest {
    /** What separates the content bytes from the presentation records in a version 2 digest. */
    private static final byte[] SEPARATOR = "\0aigcmark-presentation/2\0".getBytes(StandardCharsets.US_ASCII);

    private PresentationDigest() {}

    /** Starts the presentation part: called once, after the content bytes, before any record. */
    public static void begin(MessageDigest digest) {
        digest.update(SEPARATOR);
    }

    /** One record whose value is {@code len} bytes of {@code b} from {@code off}. */
    public static void add(MessageDigest digest, String name, byte[] b, int off, int len) {
        digest.update(name.getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        for (int s = 56; s >= 0; s -= 8) {
            digest.update((byte) ((long) len >>> s));
        }
        digest.update(b, off, len);
    }

    /** One record whose value is {@code value}'s bytes. */
    public static void add(MessageDigest digest, String name, byte[] value) {
        add(digest, name, value, 0, value.length);
    }

    /** One record whose value is a number, as decimal ASCII. */
    public static void add(MessageDigest digest, String name, long value) {
        add(digest, name, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** One record whose value is text, as UTF-8. */
    public static void add(MessageDigest digest, String name, String value) {
        add(digest, name, value.getBytes(StandardCharsets.UTF_8));
    }
}
