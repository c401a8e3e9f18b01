/**
 * Container formats, told apart by magic bytes. {@link org.aigcmark.format.MediaType} sniffs a file's type,
 * including formats the SDK recognises but cannot label, so errors can name them. A {@link
 * org.aigcmark.format.FormatHandler} per container finds the label slots and provenance hints and reports them,
 * with any damage, as a {@link org.aigcmark.format.ContainerScan}; its optional capabilities write the record
 * ({@code MetadataWriter}), decode and re-encode pixels ({@code PixelCodec}) and work on a file on disk with bounded
 * memory ({@code Streaming}). {@link org.aigcmark.format.FormatRegistry} holds the handlers in an explicit, ordered
 * list; {@link org.aigcmark.format.ZipKinds} tells ZIP packages apart by their central directory.
 */
package org.aigcmark.format;
