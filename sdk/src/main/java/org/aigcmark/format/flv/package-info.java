/**
 * FLV: {@link org.aigcmark.format.flv.FlvHandler} reads and writes the record as the {@code AIGC} key of the
 * {@code onMetaData} script tag (AMF0), as ffmpeg's {@code -metadata AIGC=...} writes it; audio and video tags stay
 * byte-identical.
 */
package org.aigcmark.format.flv;
