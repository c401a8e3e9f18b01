/**
 * XMP, the schema side shared by every container that carries it: {@link org.aigcmark.format.xmp.Xmp} reads the
 * {@code TC260:AIGC} property in both its forms, IPTC DigitalSourceType and CreatorTool, and edits a packet so it
 * holds exactly one record while keeping every other property.
 */
package org.aigcmark.format.xmp;
