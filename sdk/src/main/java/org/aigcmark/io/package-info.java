/**
 * Input and output helpers that every aigcmark module and application may use: {@link org.aigcmark.io.AtomicFiles}
 * (an output is written to a temporary file beside it, synced and renamed into place, so a failure leaves nothing
 * behind), {@link org.aigcmark.io.Sha256} (hex digests for key ids, model pins and fingerprints) and {@link
 * org.aigcmark.io.HardenedXml} (the one DOM parser and serialiser setup for hostile XML: DOCTYPEs and external
 * entities refused).
 */
package org.aigcmark.io;
