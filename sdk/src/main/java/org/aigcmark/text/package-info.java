/**
 * Text labels. {@link org.aigcmark.text.ExplicitTextLabel} adds the explicit label prompt at the start and/or end of
 * a text (GB 45438 §5.1) and {@link org.aigcmark.text.StreamingLabeler} does it for a streamed answer; {@link
 * org.aigcmark.text.ExplicitLabelDetector} finds such prompts; {@link org.aigcmark.text.InvisibleCharacterScanner}
 * reports hidden characters and homoglyphs; {@link org.aigcmark.text.ZeroWidthMark} is an optional, fragile
 * invisible mark. The generation-time watermark lives in {@code org.aigcmark.text.watermark}, and {@link
 * org.aigcmark.text.Tokenizer} turns text into the token ids it scores. See docs/TEXT.md.
 */
package org.aigcmark.text;
