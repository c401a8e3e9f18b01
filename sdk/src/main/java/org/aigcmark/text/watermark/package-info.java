/**
 * The generation-time text watermark of a language model. {@link
 * org.aigcmark.text.watermark.WatermarkLogitsProcessor} biases (KGW) or chooses (Gumbel) each sampled token under a
 * {@link org.aigcmark.key.WatermarkKey}; {@link org.aigcmark.text.watermark.WatermarkDetector} tests token ids for the
 * mark with a bounded false-positive rate, needing only the key, the {@link
 * org.aigcmark.text.watermark.WatermarkConfig} and the model's tokenizer, never the model. See docs/TEXT.md.
 */
package org.aigcmark.text.watermark;
