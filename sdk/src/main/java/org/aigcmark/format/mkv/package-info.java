/**
 * Matroska and WebM. {@link org.aigcmark.format.mkv.MkvHandler} reads and writes the record as a {@code SimpleTag}
 * named AIGC, never moving a cluster, in memory or streaming from disk; {@link org.aigcmark.format.mkv.Ebml} decodes
 * the EBML integers every part of it reads. See docs/VIDEO-CONTAINERS.md.
 */
package org.aigcmark.format.mkv;
