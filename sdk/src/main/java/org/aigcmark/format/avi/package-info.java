/**
 * AVI: {@link org.aigcmark.format.avi.AviHandler} reads the record in a RIFF {@code AIGC} chunk or a
 * {@code LIST/INFO} entry and writes it as an {@code AIGC} chunk appended to the RIFF, nothing before it moved.
 */
package org.aigcmark.format.avi;
