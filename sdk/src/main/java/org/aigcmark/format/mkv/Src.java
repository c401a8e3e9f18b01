package org.aigcmark.format.mkv;

import org.aigcmark.internal.ChannelSource;

/**
 * The file as the EBML code reads it: unsigned bytes at {@code long} offsets, from an array (in memory) or from
 * disk (streaming, where only the bytes asked for are read). Offsets past {@link #length()} are the caller's bug.
 */
interface Src {
    long length();

    int at(long p);

    byte[] bytes(long from, int n);

    /** Copies {@code n} bytes from {@code from} into {@code dst} at {@code at}. */
    default void copy(long from, byte[] dst, int at, int n) {
        System.arraycopy(bytes(from, n), 0, dst, at, n);
    }

    static Src of(byte[] b) {
        return new Src() {
            public long length() {
                return b.length;
            }

            public int at(long p) {
                return b[(int) p] & 0xFF;
            }

            public byte[] bytes(long from, int n) {
                return java.util.Arrays.copyOfRange(b, (int) from, (int) from + n);
            }

            @Override
            public void copy(long from, byte[] dst, int at, int n) {
                System.arraycopy(b, (int) from, dst, at, n);
            }
        };
    }

    static Src of(ChannelSource file) {
        return new Src() {
            public long length() {
                return file.size();
            }

            public int at(long p) {
                return file.byteAt(p);
            }

            public byte[] bytes(long from, int n) {
                return file.read(from, n);
            }
        };
    }
}
