/**
 * JPEG. {@link org.aigcmark.format.jpeg.JpegHandler} finds and writes the record by segment surgery (XMP in APP1,
 * EXIF, bare AIGC blobs in APPn/COM, C2PA in APP11), keeping the entropy-coded data byte-identical. When pixels
 * change, its codec re-encodes at the input's quality ({@link org.aigcmark.format.jpeg.JpegQuality}), chroma
 * subsampling and scan mode, carrying the original segments over.
 */
package org.aigcmark.format.jpeg;
