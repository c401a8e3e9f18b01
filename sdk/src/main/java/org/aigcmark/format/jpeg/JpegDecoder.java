package org.aigcmark.format.jpeg;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * A faster JPEG decoder for detection's pixel checks, plugged in through {@link java.util.ServiceLoader} (the
 * aigcmark-codec-system module provides libjpeg-turbo's TurboJPEG). It is asked only for the files where it gives
 * ImageIO's pixels bit for bit: 8-bit Huffman-coded YCbCr (SOF0-2) without an ICC profile (ImageIO converts from an
 * embedded profile to sRGB) or an Adobe segment; everything else, and anything it declines, goes to ImageIO.
 */
public interface JpegDecoder {

    /**
     * The pixels of {@code file}, a JPEG {@link JpegPixels} has already checked (not damaged, its sizes within the
     * limits), as a {@code TYPE_INT_RGB} image; or null when it leaves this file to ImageIO (not YCbCr, a warning
     * while decoding, a sample precision it does not read).
     *
     * @throws IOException when the file does not decode
     * @throws RuntimeException or {@link LinkageError} when the decoder cannot run here (no native library): the
     *     caller falls back to ImageIO
     */
    BufferedImage decode(byte[] file) throws IOException;

    /** For notes and logs: the library, e.g. "libjpeg-turbo (TurboJPEG, libturbojpeg.so.0)". */
    String name();
}
