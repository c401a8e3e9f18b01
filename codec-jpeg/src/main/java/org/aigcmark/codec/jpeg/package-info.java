/**
 * JPEG decoding for detection by the system's libjpeg-turbo. {@link org.aigcmark.codec.jpeg.TurboJpegDecoder}
 * implements the sdk's {@code JpegDecoder} and is found by {@link java.util.ServiceLoader}: with this module on the
 * class path and libturbojpeg installed, detection decodes a plain YCbCr JPEG with libjpeg-turbo (ImageIO's pixels,
 * bit for bit, about three times faster). See docs/SERVICE.md and docs/IMAGE-CODECS.md.
 */
package org.aigcmark.codec.jpeg;
