/**
 * Office Open XML (DOCX, XLSX, PPTX). {@link org.aigcmark.format.ooxml.OoxmlHandler} keeps the record in the custom
 * document property {@code AIGC} ({@code docProps/custom.xml}, TC260-PG-20258A), copies every other ZIP entry raw
 * and edits the package parts by splicing text, so the rest of the document stays byte-identical. Archives are
 * hostile input: entry count, inflated sizes and the compression ratio are capped while inflating. The document's
 * text is searched for explicit labels through {@link org.aigcmark.format.FormatHandler#text()}.
 */
package org.aigcmark.format.ooxml;
