/**
 * PNG. {@link org.aigcmark.format.png.PngHandler} finds and writes the record by chunk surgery (XMP in iTXt, AIGC
 * text chunks, eXIf, C2PA caBX), keeping the image data byte-identical. When pixels change, its codec re-encodes
 * losslessly in the input's colour type, palette and bit depth, carrying the ancillary chunks over.
 */
package org.aigcmark.format.png;
