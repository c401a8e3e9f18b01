/**
 * Lossy and lossless WebP encoding by libwebp, for the sdk's WebP pixel codec. {@link
 * org.aigcmark.codec.webp.LibwebpEncoder} implements the sdk's {@code WebpEncoder} and is found by {@link
 * java.util.ServiceLoader}: with this module on the class path a lossy WebP whose pixels change is written lossy at
 * its estimated quality, where the sdk alone writes it lossless. See docs/IMAGE-CODECS.md.
 */
package org.aigcmark.codec.webp;
