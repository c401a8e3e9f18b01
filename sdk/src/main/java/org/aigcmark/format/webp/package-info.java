/**
 * WebP. {@link org.aigcmark.format.webp.WebpHandler} writes the record as an {@code XMP } chunk by RIFF chunk
 * surgery, keeping the bitstream byte-identical. When pixels change, a lossy input is re-encoded lossy at the
 * quality {@link org.aigcmark.format.webp.Vp8Quality} reads from it through a plugged-in {@link
 * org.aigcmark.format.webp.WebpEncoder} (found by {@link java.util.ServiceLoader}; aigcmark-codec-webp provides
 * one); without that encoder it comes back lossless, written by {@link org.aigcmark.format.webp.Vp8lEncoder}, with a
 * note. See docs/IMAGE-CODECS.md.
 */
package org.aigcmark.format.webp;
