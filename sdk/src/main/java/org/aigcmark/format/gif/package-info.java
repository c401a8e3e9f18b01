/**
 * GIF, read-only: {@link org.aigcmark.format.gif.GifHandler} finds XMP in the {@code XMP DataXMP} application
 * extension and AIGC records in comment extensions. Writing is an absent capability, reported as such.
 */
package org.aigcmark.format.gif;
