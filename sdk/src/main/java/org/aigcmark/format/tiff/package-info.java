/**
 * TIFF, read-only: {@link org.aigcmark.format.tiff.TiffHandler} finds XMP in tag 700 and the EXIF-style
 * ImageDescription and Software. Writing is an absent capability, reported as such.
 */
package org.aigcmark.format.tiff;
