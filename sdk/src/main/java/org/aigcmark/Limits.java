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
     * Pixels any image may decode to whatever its size in bytes (4096x4096): below this a decode costs at most a few
     * hundred MB, so only the pixel limit applies (issue 16).
     */
    public static final long DECODE_PIXELS_ANY_FILE = 1L << 24;

    /**
     * Pixels per byte of file an image above {@link #DECODE_PIXELS_ANY_FILE} may declare (default 64, i.e. at
     * least one bit per eight pixels; {@code -Daigcmark.maxPixelsPerByte} raises it): real photographs and renders
     * take one to a few bytes per pixel even as JPEG at low quality, while a decompression bomb declares hundreds of
     * pixels per byte (a 292 KB PNG of 10000x10000 zeros: 342), and its decoder would allocate the whole raster.
     */
    public static final long MAX_PIXELS_PER_BYTE = Long.getLong("aigcmark.maxPixelsPerByte", 64);

    /**
     * The most pixels one byte of GIF image data can describe: a {@code w}-bit LZW code names one table entry of at
     * most {@code 2^w} pixels, and {@code 2^w / w} grows with {@code w} up to the 12-bit maximum: 4096 pixels per 12
     * bits (issue 16: a 35-byte GIF declaring 4096x4096 cost {@code detect} 2 s of CPU and 200 MB of raster).
     */
    public static final long GIF_PIXELS_PER_BYTE = 4096 * 8 / 12 + 1;

    /**
     * The most pixels one byte of Huffman-coded JPEG data can describe: every 8x8 block of the full-resolution
     * component takes at least one bit (the shortest Huffman code for its DC difference), so 64 pixels per bit.
     * Arithmetic-coded JPEG has no such bound (and no decoder here).
     */
    public static final long JPEG_PIXELS_PER_BYTE = 64 * 8;

    /**
     * The most pixels one byte of zlib data can describe for a PNG of {@code bitsPerPixel}: deflate expands at most
     * 1032 times (a 258-byte match in two one-bit codes), so {@code 1032 * 8 / bitsPerPixel} pixels per byte.
     */
    public static long deflatePixelsPerByte(int bitsPerPixel) {
        return 1032L * 8 / Math.max(1, bitsPerPixel);
    }

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

    /**
     * Refuses, before a decoder allocates the raster, an image whose pixels its bytes cannot plausibly carry: what
     * {@link #checkPixels} refuses, and more than {@link #DECODE_PIXELS_ANY_FILE} pixels at more than
     * {@link #MAX_PIXELS_PER_BYTE} pixels per byte of the file ({@code LIMIT_EXCEEDED}, naming the ratio). Memory then
     * follows the file's size, not a size it declares. {@code what} names the image in the message.
     */
    public void checkDecode(long width, long height, long fileBytes, String what) {
        checkPixels(width, height, what);
        long pixels = width * height;
        if (pixels > DECODE_PIXELS_ANY_FILE && pixels > MAX_PIXELS_PER_BYTE * Math.max(1, fileBytes)) {
            throw AigcmarkException.limit(what + " declares " + width + "x" + height + " = " + pixels + " pixels in "
                    + fileBytes + " bytes, " + (pixels / Math.max(1, fileBytes)) + " pixels per byte, over the limit of "
                    + MAX_PIXELS_PER_BYTE + " per byte (a decompression bomb?; raise -Daigcmark.maxPixelsPerByte if"
                    + " this image is genuine)");
        }
    }

    /**
     * {@link #checkDecode(long, long, long, String)}, and then, at any size, refuses an image whose bytes cannot
     * carry the pixels it declares: more than {@code maxCodedPixelsPerByte} (the format's best possible coding:
     * {@link #GIF_PIXELS_PER_BYTE}, {@link #JPEG_PIXELS_PER_BYTE}, {@link #deflatePixelsPerByte}) pixels per byte of
     * the whole file means its data ends early or its size is false, and a decoder would allocate a raster the file
     * never fills: {@code CORRUPT_INPUT}, naming both rates. {@code what} names the image in the message.
     */
    public void checkDecode(long width, long height, long fileBytes, long maxCodedPixelsPerByte, String what) {
        checkDecode(width, height, fileBytes, what);
        long pixels = width * height;
        if (pixels > maxCodedPixelsPerByte * Math.max(1, fileBytes)) {
            throw AigcmarkException.corrupt(what + " declares " + width + "x" + height + " = " + pixels
                    + " pixels in " + fileBytes + " bytes (" + pixels / Math.max(1, fileBytes) + " per byte), more than"
                    + " its coding can carry (" + maxCodedPixelsPerByte + " pixels per byte at best): the data ends"
                    + " early or the size is false");
        }
    }
}
