/**
 * Text documents. {@link org.aigcmark.format.markdown.MarkdownHandler} reads and writes the record as a YAML
 * front-matter block; {@link org.aigcmark.format.markdown.PlainTextHandler} reads plain UTF-8 text, which has no
 * metadata slot, so only an explicit label can mark it; {@link org.aigcmark.format.markdown.ExplicitLabelHints}
 * reports the explicit label prompts found in either as hints.
 */
package org.aigcmark.format.markdown;
