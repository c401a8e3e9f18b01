package org.aigcmark.format.mkv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.internal.ChannelSource;

/**
 * A Matroska output described as pieces in order: ranges of the input (clusters are never held in memory), new
 * bytes, and new bytes padded with a {@code Void} to a given length. It is turned into an array (in memory) or
 * written to a channel (streaming), and can be read as a {@link Src} before that, for the position check.
 */
final class Output {
    private sealed interface Piece permits Copy, Bytes, Padded {
        long length();
    }

    private record Copy(long from, long to) implements Piece {
        public long length() {
            return to - from;
        }
    }

    private record Bytes(byte[] data) implements Piece {
        public long length() {
            return data.length;
        }
    }

    /** {@code data}, then a Void element filling the rest of {@code length} (zeros inside, as in place). */
    private record Padded(byte[] data, long length) implements Piece {
        byte[] voidHeader() {
            long rest = length - data.length;
            if (rest == 0) {
                return new byte[0];
            }
            byte[] h = rest - 2 <= 126 ? new byte[2] : new byte[9];
            h[0] = (byte) MkvWriter.VOID;
            if (h.length == 2) {
                h[1] = (byte) (0x80 | (rest - 2));
            } else {
                long v = rest - 9;
                for (int i = 8; i >= 1; i--) {
                    h[i] = (byte) v;
                    v >>>= 8;
                }
                h[1] |= 0x01;
            }
            return h;
        }
    }

    private final Src src;
    private final List<Piece> pieces = new ArrayList<>();
    private final List<Long> starts = new ArrayList<>();
    private long length;

    Output(Src src) {
        this.src = src;
    }

    long length() {
        return length;
    }

    Output copy(long from, long to) {
        return to > from ? add(new Copy(from, to)) : this;
    }

    Output bytes(byte[] data) {
        return data.length > 0 ? add(new Bytes(data)) : this;
    }

    /** {@code data} padded with a Void to {@code length} (the caller checked it fits: equal, or 2 bytes to spare). */
    Output padded(byte[] data, long length) {
        return add(new Padded(data, length));
    }

    private Output add(Piece p) {
        starts.add(length);
        pieces.add(p);
        length += p.length();
        return this;
    }

    /** The whole output in one array (the in-memory path). */
    byte[] toArray() {
        if (length > Integer.MAX_VALUE - 16) {
            throw AigcmarkException.limit("the labeled file would exceed 2 GiB");
        }
        byte[] out = new byte[(int) length];
        int p = 0;
        for (Piece piece : pieces) {
            switch (piece) {
                case Copy c -> src.copy(c.from(), out, p, (int) c.length());
                case Bytes b -> System.arraycopy(b.data(), 0, out, p, b.data().length);
                case Padded d -> {
                    System.arraycopy(d.data(), 0, out, p, d.data().length);
                    byte[] h = d.voidHeader();
                    System.arraycopy(h, 0, out, p + d.data().length, h.length);
                }
            }
            p += (int) piece.length();
        }
        return out;
    }

    /** Writes the output, copying input ranges from {@code file} (the same file {@link #src} reads). */
    void writeTo(ChannelSource file, WritableByteChannel out) throws IOException {
        for (Piece piece : pieces) {
            switch (piece) {
                case Copy c -> file.copyTo(c.from(), c.to(), out);
                case Bytes b -> writeAll(out, ByteBuffer.wrap(b.data()));
                case Padded d -> {
                    writeAll(out, ByteBuffer.wrap(d.data()));
                    byte[] h = d.voidHeader();
                    writeAll(out, ByteBuffer.wrap(h));
                    ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
                    for (long left = d.length() - d.data().length - h.length; left > 0; left -= zeros.limit()) {
                        zeros.clear().limit((int) Math.min(zeros.capacity(), left));
                        writeAll(out, zeros);
                    }
                }
            }
        }
    }

    private static void writeAll(WritableByteChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    /** The output as a {@link Src}, before it is written. */
    Src view() {
        return new Src() {
            public long length() {
                return length;
            }

            public int at(long p) {
                int i = java.util.Collections.binarySearch(starts, p);
                if (i < 0) {
                    i = -i - 2;
                }
                long off = p - starts.get(i);
                return switch (pieces.get(i)) {
                    case Copy c -> src.at(c.from() + off);
                    case Bytes b -> b.data()[(int) off] & 0xFF;
                    case Padded d -> {
                        if (off < d.data().length) {
                            yield d.data()[(int) off] & 0xFF;
                        }
                        byte[] h = d.voidHeader();
                        long inPad = off - d.data().length;
                        yield inPad < h.length ? h[(int) inPad] & 0xFF : 0;
                    }
                };
            }

            public byte[] bytes(long from, int n) {
                byte[] out = new byte[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) at(from + i);
                }
                return out;
            }
        };
    }
}
