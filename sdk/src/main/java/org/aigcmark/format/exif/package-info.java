/**
 * EXIF, the schema side shared by the JPEG, PNG, WebP and TIFF handlers: {@link org.aigcmark.format.exif.Exif} reads
 * ImageDescription, Software, Orientation and UserComment from a TIFF structure, with the byte position of each
 * value so a label can be cleared in place.
 */
package org.aigcmark.format.exif;
