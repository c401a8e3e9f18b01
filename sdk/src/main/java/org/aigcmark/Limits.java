package org.aigcmark;

import org.aigcmark.AigcmarkException;

/**
 * Allocation limits for hostile input. Every allocation whose size comes from the input goes through
 * {@link #checkBytes} or {@link #checkPixels}. Defaults can be raised with system properties
 * {@code aigcmark.maxFileBytes} and {@code aigcmark.maxPixels}.
 */
public record Limits(long maxFileBytes, long maxPixels, int maxSegmentBytes, int maxInflatedBytes) {
    public static final Limits DEFAULT = new Limits(
            Long.getLong("aigcmark.maxFileBytes", 512L << 20),
            Long.getLong("aigcmark.maxPixels", 100_000_000L),
            64 << 20,
            16 << 20);

    /**
     * The most metadata packets (XMP, comments, text chunks) a handler reads from one file; the rest are reported as
     * damage, not read: a file needs one record (GB 45438 §6.1 c), and thousands of copies cost gigabytes.
     */
    public static final int MAX_METADATA_PACKETS = 64;

    /**
     * Refuses a size a file declares (or has) over {@code maxFileBytes}, or a negative one, before anything of that
     * size is allocated: {@code AigcmarkException} with {@code LIMIT_EXCEEDED}. {@code what} names it in the message.
     */
    public void checkBytes(long n, String what) {
        if (n < 0 || n > maxFileBytes) {
            throw AigcmarkException.limit(what + " declares " + n + " bytes, over the limit of " + maxFileBytes
                    + " (raise -Daigcmark.maxFileBytes if this file is genuine)");
        }
    }

    /**
     * Refuses image dimensions before pixels are allocated: an empty image is {@code CORRUPT_INPUT}, more than
     * {@code maxPixels} pixels is {@code LIMIT_EXCEEDED}. {@code what} names the image in the message.
     */
    public void checkPixels(long width, long height, String what) {
        if (width <= 0 || height <= 0) {
            throw AigcmarkException.corrupt(what + " declares an empty image of " + width + "x" + height);
        }
        if (width * height > maxPixels) {
            throw AigcmarkException.limit(what + " declares " + width + "x" + height + " = " + (width * height)
                    + " pixels, over the limit of " + maxPixels
                    + " (a decompression bomb?; raise -Daigcmark.maxPixels if this image is genuine)");
        }
    }
}
