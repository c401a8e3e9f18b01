/**
 * PDF. {@link org.aigcmark.format.pdf.PdfHandler} keeps the record in the document information dictionary entry
 * {@code /AIGC} (TC260-PG-20258A) and also reads a {@code TC260:AIGC} property in the XMP stream. Apache PDFBox
 * parses the file; writing is an incremental update, so the original bytes stay a prefix of the output and nothing
 * is re-rendered. Every stream PDFBox would decode is first measured with a capped, streaming inflate
 * (decompression bombs). The text of the first and last pages is searched for explicit labels through
 * {@link org.aigcmark.format.FormatHandler#text()}.
 */
package org.aigcmark.format.pdf;
