/**
 * C2PA manifest stores (JUMBF boxes), as found by the image and video handlers. {@link
 * org.aigcmark.format.c2pa.C2paReader} reads the active manifest's claim generator, actions and digitalSourceType
 * with a bounded walk; {@link org.aigcmark.format.c2pa.C2paValidator} checks its claim signature, assertion hashes,
 * hard binding and certificate chain against trust anchors the caller supplies. See docs/C2PA.md.
 */
package org.aigcmark.format.c2pa;
