/**
 * Faster decoding for detection by libraries of the system, through the JDK's foreign function API: {@link
 * org.aigcmark.codec.system.TurboJpegDecoder} (libjpeg-turbo) implements the sdk's {@code JpegDecoder}, {@link
 * org.aigcmark.codec.system.LibdeflateInflater} (libdeflate) its {@code ZlibInflater} for PNG, {@link
 * org.aigcmark.codec.system.SystemWebpDecoder} (libwebp) its {@code WebpDecoder}; each is found by
 * {@link java.util.ServiceLoader}, and each answers "not here" where its library is not installed. See
 * docs/SERVICE.md and docs/IMAGE-CODECS.md.
 */
package org.aigcmark.codec.system;
