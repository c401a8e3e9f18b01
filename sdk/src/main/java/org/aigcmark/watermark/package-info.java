/**
 * Invisible image watermarks. {@link org.aigcmark.watermark.ImageWatermarker} embeds and detects our keyed, blind
 * mark (a Fourier-domain periodic tile with a sync reference, CRC and convolutional code; scalar and Vector API
 * kernels), tuned by {@link org.aigcmark.watermark.WatermarkOptions}; {@link
 * org.aigcmark.watermark.WatermarkPayload} is the 64 bits it carries, bound to ContentProducer and ProduceID; {@link
 * org.aigcmark.watermark.SdxlWatermarkDecoder} reads the public Stable Diffusion mark as a {@link
 * org.aigcmark.watermark.ThirdPartyMark}. See docs/WATERMARK.md.
 */
package org.aigcmark.watermark;
