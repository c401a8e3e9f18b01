package org.aigcmark.format.webp;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * A WebP decoder for detection's pixel checks, plugged in through {@link java.util.ServiceLoader} (the
 * aigcmark-codec-webp module provides libwebp, the format's reference decoder). Without one the checks read
 * TwelveMonkeys' pure-Java VP8 decoder, which is about eight times slower on a 1080p photo and, on lossy files, does not
 * give libwebp's pixels (a mean difference of 3-12 levels a sample on the bench's WebPs, up to 71; see docs/SERVICE.md).
 */
public interface WebpDecoder {

    /**
     * The still image of {@code file}, a WebP {@link WebpPixels} has already checked (not damaged, not animated, its
     * sizes within the limits): {@code TYPE_INT_RGB}, or {@code TYPE_INT_ARGB} with an alpha channel.
     *
     * @throws IOException when the file does not decode
     * @throws RuntimeException or {@link LinkageError} when the decoder cannot run here (say, no native library for
     *     this platform): the caller falls back to the pure-Java reader
     */
    BufferedImage decode(byte[] file) throws IOException;

    /** For notes: the library and version, e.g. "libwebp 1.6.0 (webp-imageio 0.11.0)". */
    String name();
}
