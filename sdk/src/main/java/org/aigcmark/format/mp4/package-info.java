/**
 * ISO BMFF: MP4, MOV and M4A. {@link org.aigcmark.format.mp4.Mp4Handler} writes the record into
 * {@code moov/udta/meta} (mdta keys and ilst), moving the chunk offsets with it, and reads the vendor variants
 * found in the wild; its streaming capability does the same for files on disk too big for memory, copying
 * {@code mdat} by range. See docs/VIDEO-CONTAINERS.md. {@link org.aigcmark.format.mp4.HeifHandler} reads and writes
 * HEIF/HEIC and AVIF item files with the same box parser: the record in an XMP item, {@code iloc} offsets moved
 * (docs/HEIF.md).
 */
package org.aigcmark.format.mp4;
