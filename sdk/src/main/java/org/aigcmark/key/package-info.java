/**
 * The watermark secret. {@link org.aigcmark.key.WatermarkKey} holds the 32 random bytes behind the image and text
 * watermarks, reads and writes its key file, and derives a separate HMAC-SHA256 sub-key for each purpose, so the
 * image and text marks never share key material.
 */
package org.aigcmark.key;
