package org.aigcmark.format.webp;

import java.awt.image.BufferedImage;

/**
 * A WebP encoder plugged in through {@link java.util.ServiceLoader} (the aigcmark-codec-webp module provides one
 * backed by libwebp). The sdk itself only writes lossless VP8L ({@link Vp8lEncoder}); with a provider on the class
 * path a lossy WebP is re-encoded lossy at its estimated quality, and a lossless one with libwebp's stronger coder.
 */
public interface WebpEncoder {

    /**
     * A complete WebP file holding {@code image}: VP8 at {@code quality} (0..100, as cwebp's {@code -q}) when
     * {@code lossless} is false, VP8L otherwise; with the alpha channel (ALPH, lossless) when the image has one.
     *
     * @throws RuntimeException or {@link LinkageError} when the encoder cannot run here (say, no native library for
     *     this platform): the caller falls back to lossless and says so
     */
    byte[] encode(BufferedImage image, boolean lossless, int quality);

    /** For notes: the library and version, e.g. "libwebp 1.6.0 (webp-imageio 0.11.0)". */
    String name();
}
