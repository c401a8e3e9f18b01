/**
 * TIFF and BigTIFF: {@link org.aigcmark.format.tiff.TiffHandler} reads and writes XMP in IFD0 tag 700 (a new IFD0
 * appended, nothing moved, so strips and tiles stay byte-identical) and reads the EXIF-style ImageDescription and
 * Software; the visible label goes through the JDK's TIFF plugin.
 */
package org.aigcmark.format.tiff;
