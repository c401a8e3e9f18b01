package org.aigcmark.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import org.aigcmark.AigcmarkException;

/**
 * A file read in pieces: positional reads of the few bytes a parser asks for, and ranges copied or hashed without
 * holding them in memory ({@link FileChannel#transferTo} when the channel is a file, so the OS moves the bytes).
 * Read failures become {@link AigcmarkException.Reason#INPUT_UNREADABLE}; a read past the end is a parser bug, not
 * damage (parsers check declared sizes against {@link #size()} first).
 */
public final class ChannelSource {
    private static final int COPY_BUFFER = 1 << 20;

    private final SeekableByteChannel channel;
    private final long size;
    private final String name;
    /** The bytes {@link #byteAt} read last: a small window, as such peeks come in runs. */
    private static final int WINDOW = 4096;
    private byte[] window = new byte[0];
    private long windowStart;
    private int windowLength;

    private ChannelSource(SeekableByteChannel channel, long size, String name) {
        this.channel = channel;
        this.size = size;
        this.name = name;
    }

    /** {@code name} appears only in error messages. */
    public static ChannelSource of(SeekableByteChannel channel, String name) {
        try {
            return new ChannelSource(channel, channel.size(), name);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /** The channel's size in bytes, as read when this source was made. */
    public long size() {
        return size;
    }

    /** The {@code length} bytes at {@code position}; the caller has bounded {@code length}. */
    public byte[] read(long position, int length) {
        if (position < 0 || length < 0 || position + length > size) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL,
                    "read of " + length + " bytes at " + position + " outside " + name + " (" + size + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        readFully(position, buf);
        return buf.array();
    }

    private void readFully(long position, ByteBuffer buf) {
        try {
            long p = position;
            while (buf.hasRemaining()) {
                int n = channel instanceof FileChannel fc ? fc.read(buf, p) : channel.position(p).read(buf);
                if (n < 0) {
                    throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE,
                            name + " shrank while it was read (at byte " + p + ")");
                }
                p += n;
            }
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /** Copies bytes {@code [from, to)} to {@code out}; the OS does the copy when both ends are files. */
    public void copyTo(long from, long to, WritableByteChannel out) throws IOException {
        long p = from;
        if (channel instanceof FileChannel fc) {
            while (p < to) {
                long n = fc.transferTo(p, to - p, out);
                if (n <= 0 && p < to) {
                    if (p >= fc.size()) {
                        throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE,
                                name + " shrank while it was copied (at byte " + p + ")");
                    }
                    continue; // a zero-byte transfer (non-blocking target) is retried
                }
                p += n;
            }
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(COPY_BUFFER, Math.max(1, to - from)));
        while (p < to) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - p));
            readFully(p, buf);
            buf.flip();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            p += buf.limit();
        }
    }

    /** Feeds bytes {@code [from, to)} to {@code digest}, one buffer at a time. */
    public void digest(long from, long to, MessageDigest digest) {
        // A heap buffer: MessageDigest.update(byte[]) runs the intrinsic over the whole block; a direct buffer is
        // fed through a small temp array.
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(COPY_BUFFER, Math.max(1, to - from)));
        long p = from;
        while (p < to) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - p));
            readFully(p, buf);
            digest.update(buf.array(), 0, buf.limit());
            p += buf.limit();
        }
    }

    /** Random single-byte access through a small window, for parsers that peek at headers spread over the media. */
    public int byteAt(long position) {
        if (position < windowStart || position >= windowStart + windowLength) {
            int n = (int) Math.min(WINDOW, size - position);
            window = read(position, n);
            windowStart = position;
            windowLength = n;
        }
        return window[(int) (position - windowStart)] & 0xFF;
    }

    private static AigcmarkException unreadable(String name, IOException e) {
        return new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE,
                "cannot read " + name + ": " + IoErrors.describe(e), e);
    }
}
