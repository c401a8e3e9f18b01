package org.aigcmark.format.jpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.internal.ChannelSource;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;

/**
 * {@link JpegHandler}'s metadata label from file to file (issue 19: a label costs about a copy of the file): only
 * the segments before the scan data are read, and the scan data is copied by the OS ({@code transferTo}), never
 * brought into memory. Everything a label reads of a JPEG sits before the first SOS, except the end-of-image marker,
 * so the handler's own code runs on a stand-in: the head through the first SOS segment, then {@code FF D9} for the
 * rest, which ends with it. A file whose last two bytes are not {@code FF D9} (data after the end of the image), or
 * whose head is over {@link Limits#maxSegmentBytes()}, is read whole. Outputs, scans and digests equal the in-memory
 * handler's for the same file.
 */
final class JpegStreaming implements FormatHandler.Streaming {
    /** A generated image's head (JFIF or EXIF, a profile, XMP) mostly fits: larger ones take a few more reads. */
    private static final int FIRST_READ = 16 << 10;
    private static final byte[] EOI = {(byte) 0xFF, (byte) 0xD9};

    private final JpegHandler handler;
    /**
     * The view of the channel read last, with that channel and its size: a label reads its input's head three times
     * (scan, digest, write), each a few syscalls and the head's bytes, against a file copy's handful. One instance
     * serves one label call ({@link JpegHandler#labelStreaming()} makes a new one), so this needs no lock.
     */
    private SeekableByteChannel lastChannel;
    private long lastSize = -1;
    private View last;
    /** The length of the head {@link #writeLabel} wrote last: a read of another file's head starts with that much. */
    private int writtenHead;
    /**
     * What {@link #writeLabel} wrote last: the channel, the handler's output it came from (the head, then the stand-in's
     * {@code FF D9} where the copied rest went, or the whole file) and the file's size once written. The read-back of
     * that channel scans these bytes, as the in-memory label scans its output before writing it, once the written
     * file's size shows the rest was copied whole; reading back the head just written cost two reads per label.
     */
    private WritableByteChannel writtenTo;
    private byte[] written;
    private long writtenSize = -1;

    JpegStreaming(JpegHandler handler) {
        this.handler = handler;
    }

    /**
     * What the handler reads of a file: {@code bytes}, standing for the whole file. When {@code restFrom} is not -1,
     * {@code bytes} ends with {@code FF D9} in place of the file's bytes from {@code restFrom} on (which end with it).
     * A file damaged before its first SOS may be given by its bytes through the damage (the handler's parse stops
     * there, so its scan and its refusals are the whole file's).
     */
    private record View(byte[] bytes, long restFrom, ChannelSource src) {
        boolean whole() {
            return restFrom < 0;
        }
    }

    private View view(SeekableByteChannel in, Limits limits) {
        ChannelSource src = ChannelSource.of(in, "the JPEG");
        if (in == lastChannel && src.size() == lastSize) {
            return last;
        }
        View v = in == writtenTo && src.size() == writtenSize
                ? new View(written, writtenHead == written.length ? -1 : writtenHead, src)
                : read(src, limits, writtenHead);
        lastChannel = in;
        lastSize = src.size();
        last = v;
        return v;
    }

    /**
     * The head of {@code src}, read from its first {@code firstRead} bytes ({@value #FIRST_READ} when 0) on, doubling
     * while the segments before the first SOS go on past what was read.
     */
    private static View read(ChannelSource src, Limits limits, int firstRead) {
        long size = src.size();
        limits.checkBytes(size, "the JPEG");
        int cap = (int) Math.min(size, Math.max(FIRST_READ, limits.maxSegmentBytes()));
        for (int n = (int) Math.min(cap, firstRead > 0 ? firstRead : FIRST_READ); ; n = (int) Math.min(cap, 2L * n)) {
            byte[] prefix = src.read(0, n);
            JpegSegments s = JpegSegments.parse(prefix);
            if (s.scanStart >= 0) {
                int sosEnd = s.segments.get(s.segments.size() - 1).end();
                if (sosEnd + 2L <= size && java.util.Arrays.equals(src.read(size - 2, 2), EOI)) {
                    byte[] head = java.util.Arrays.copyOf(prefix, sosEnd + 2);
                    head[sosEnd] = EOI[0];
                    head[sosEnd + 1] = EOI[1];
                    return new View(head, sosEnd, src);
                }
                break; // data after the end of the image: the whole file, as the in-memory handler reads it
            }
            if (n == size || !s.cut) {
                // the whole file, damaged; or damaged at a byte already read (not where the read ended): the handler
                // stops at that damage in the whole file too, so these bytes give its scan and its refusals
                return new View(prefix, -1, src);
            }
            if (n == cap) {
                break;
            }
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw AigcmarkException.limit("the JPEG is " + size + " bytes, over the 2 GiB a file read whole can be");
        }
        return new View(src.read(0, (int) size), -1, src);
    }

    @Override
    public ContainerScan scan(SeekableByteChannel in, Limits limits) {
        return handler.scan(view(in, limits).bytes(), limits);
    }

    @Override
    public void writeLabel(SeekableByteChannel in, AigcLabel label, WritableByteChannel out, Limits limits) throws IOException {
        View v = view(in, limits);
        byte[] written = handler.writeLabel(v.bytes(), label, limits);
        // The written file ends with the stand-in's scan segment and FF D9: the file's rest replaces that FF D9.
        ByteBuffer head = ByteBuffer.wrap(written, 0, v.whole() ? written.length : written.length - EOI.length);
        writtenTo = null;
        writtenHead = head.remaining();
        while (head.hasRemaining()) {
            out.write(head);
        }
        if (!v.whole()) {
            v.src().copyTo(v.restFrom(), v.src().size(), out);
        }
        this.written = written;
        writtenSize = writtenHead + (v.whole() ? 0 : v.src().size() - v.restFrom());
        writtenTo = out;
    }

    @Override
    public void digestContent(SeekableByteChannel in, MessageDigest digest, Limits limits) {
        View v = view(in, limits);
        if (v.whole()) {
            handler.digestContent(v.bytes(), digest, limits);
            return;
        }
        byte[] b = v.bytes();
        JpegSegments s = JpegSegments.parse(b);
        if (JpegHandler.digestContentHead(s, b, digest)) { // the head as JpegHandler's, then the scan data through the end
            digest.update(b, s.scanStart, (int) v.restFrom() - s.scanStart);
            v.src().digest(v.restFrom(), v.src().size(), digest);
        }
    }

    @Override
    public void digestPresentation(SeekableByteChannel in, MessageDigest digest, Limits limits) {
        handler.digestPresentation(view(in, limits).bytes(), digest, limits); // the segments before the scan only
    }
}
