package org.aigcmark.format.png;

/**
 * A faster zlib inflater for detection's PNG reader, plugged in through {@link java.util.ServiceLoader} (the
 * aigcmark-codec-system module provides libdeflate). Inflating is most of a PNG's decode (about two thirds of it for a
 * 1080p photo with the JDK's zlib); libdeflate gives the same bytes in about 40% of zlib's time. Without one, or when
 * it declines, the reader inflates with {@link java.util.zip.Inflater}.
 */
public interface ZlibInflater {

    /**
     * Inflates the zlib stream {@code in[off, off + len)} into all of {@code out}.
     *
     * @return true when the stream decoded to exactly {@code out.length} bytes; false when it did not (shorter,
     *     longer, corrupt) or the library is not here: the caller then inflates with the JDK's zlib, which decides
     */
    boolean inflate(byte[] in, int off, int len, byte[] out);

    /** For notes and logs: the library, e.g. "libdeflate (libdeflate.so.0)". */
    String name();
}
