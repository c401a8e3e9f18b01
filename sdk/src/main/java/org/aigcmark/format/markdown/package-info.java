/**
 * Text documents. {@link org.aigcmark.format.markdown.MarkdownHandler} reads and writes the record as a YAML
 * front-matter block; {@link org.aigcmark.format.markdown.PlainTextHandler} reads plain UTF-8 text, which has no
 * metadata slot, so only an explicit label can mark it. Both give their text through
 * {@link org.aigcmark.format.FormatHandler#text()}, where the sdk looks for explicit label prompts and reports them as
 * hints, the same way as for documents.
 */
package org.aigcmark.format.markdown;
