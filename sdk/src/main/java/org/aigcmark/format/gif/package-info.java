/**
 * GIF: {@link org.aigcmark.format.gif.GifHandler} reads and writes XMP in the {@code XMP DataXMP} application
 * extension (the Adobe/exiftool layout with its 258-byte magic trailer) and reads AIGC records in comments; the
 * visible label re-encodes the first frame only, every other block staying byte-identical.
 */
package org.aigcmark.format.gif;
