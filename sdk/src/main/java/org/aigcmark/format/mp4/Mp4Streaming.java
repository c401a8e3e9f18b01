package org.aigcmark.format.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.internal.ChannelSource;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;

/**
 * {@link Mp4Handler} over a file on disk, for movies too big to read into memory. The top-level boxes are walked
 * by their headers; {@code moov} (capped by {@link Limits#maxSegmentBytes()}), the small container boxes and
 * XMP/C2PA {@code uuid} boxes are read and go through the same code as in memory; {@code mdat} is never read but
 * copied by range (by the OS when both ends are files) and hashed by range. The output, the scan and the content
 * digest equal the in-memory handler's for the same file.
 */
final class Mp4Streaming implements FormatHandler.Streaming {
    private final Mp4Handler handler;

    Mp4Streaming(Mp4Handler handler) {
        this.handler = handler;
    }

    /** One top-level box on disk. */
    private record Top(String type, long start, int headerSize, long end) {
        long payloadStart() {
            return start + headerSize;
        }

        long size() {
            return end - start;
        }
    }

    /** What a walk over the top-level boxes found; {@code moov} is the first one, read and parsed. */
    private static final class Walk {
        final List<Top> top = new ArrayList<>();
        final List<String> damage = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        Top moov;
        Boxes moovTree;
    }

    // ---------------------------------------------------------------- reading

    @Override
    public ContainerScan scan(SeekableByteChannel in, Limits limits) {
        ChannelSource src = ChannelSource.of(in, "the file");
        return scan(src, walk(src, limits), limits);
    }

    private ContainerScan scan(ChannelSource src, Walk w, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.MP4);
        scan.damage().addAll(w.damage);
        scan.notes().addAll(w.notes);
        long moovs = w.top.stream().filter(t -> t.type().equals("moov")).count();
        if (moovs == 0) {
            scan.damage().add("no 'moov' box (movie header): the file is truncated or is not a complete movie");
        } else if (moovs > 1) {
            scan.damage().add(moovs + " 'moov' boxes: players disagree on which one counts");
        }
        boolean hasMdat = w.top.stream().anyMatch(t -> t.type().equals("mdat"));
        if (w.moovTree != null) {
            handler.scanMoov(w.moovTree, w.moovTree.top.get(0), hasMdat, w.damage.isEmpty(), SampleTable.Media.of(src), scan);
        }
        for (Top t : w.top) {
            if (t.type().equals("uuid") && t.size() >= t.headerSize() + 16) {
                String uuid = HexFormat.of().formatHex(src.read(t.payloadStart(), 16));
                if (uuid.equals(Mp4Handler.C2PA_UUID)) {
                    if (t.size() - t.headerSize() - 16 > limits.maxSegmentBytes()) {
                        scan.c2pa().add("mp4-uuid");
                        scan.notes().add("a C2PA uuid box of " + t.size() + " bytes, over the segment limit, was not read");
                    } else {
                        byte[] payload = src.read(t.payloadStart(), (int) (t.size() - t.headerSize()));
                        Mp4Handler.addC2paStore(payload, 16, payload.length, scan);
                    }
                } else if (uuid.equals(Mp4Handler.XMP_UUID)) {
                    Xmp.scan(xmpText(src, t, scan), "xmp", scan);
                }
            }
        }
        return scan;
    }

    /**
     * The top-level boxes, framed exactly as {@link Boxes} frames them (same checks, same messages). Container boxes
     * are read one at a time and parsed for damage; only the first {@code moov} is kept.
     */
    private static Walk walk(ChannelSource src, Limits limits) {
        Walk w = new Walk();
        long to = src.size();
        long p = 0;
        int count = 0;
        while (p < to) {
            if (to - p < 8) {
                if (!allZero(src.read(p, (int) (to - p)))) {
                    w.damage.add("truncated inside a box header at byte " + p);
                }
                break;
            }
            if (++count > Boxes.MAX_BOXES) {
                w.damage.add("more than " + Boxes.MAX_BOXES + " boxes (over the limit)");
                break;
            }
            byte[] h = src.read(p, (int) Math.min(16, to - p));
            long size = Boxes.u32(h, 0);
            String type = new String(h, 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                if (to - p < 16) {
                    w.damage.add("box '" + Boxes.printable(type) + "' at byte " + p + " is cut inside its 64-bit size");
                    break;
                }
                size = Boxes.u64(h, 8);
                header = 16;
            } else if (size == 0) {
                size = to - p; // the last box runs to the end of the file
            }
            if (size < header) {
                w.damage.add("box '" + Boxes.printable(type) + "' at byte " + p + " declares " + size
                        + " bytes, less than its own header (corrupt file)");
                break;
            }
            if (size > to - p) {
                w.damage.add("box '" + Boxes.printable(type) + "' at byte " + p + " declares " + size + " bytes but only "
                        + (to - p) + " remain in the file (truncated file or oversized box)");
                break;
            }
            Top box = new Top(type, p, header, p + size);
            w.top.add(box);
            if (Boxes.CONTAINERS.contains(type)) {
                if (size > limits.maxSegmentBytes()) {
                    String tooBig = "'" + Boxes.printable(type) + "' box at byte " + p + " holds " + size
                            + " bytes, over the limit of " + limits.maxSegmentBytes() + " bytes of metadata held in memory";
                    if (type.equals("moov")) {
                        w.damage.add(tooBig + " (a hostile file?)");
                    } else {
                        w.notes.add(tooBig + ": not checked");
                    }
                } else {
                    Boxes t = Boxes.parseTopBox(src.read(p, (int) size), p, count - 1);
                    count = t.count();
                    w.damage.addAll(t.damage);
                    w.notes.addAll(t.notes);
                    if (type.equals("moov") && w.moov == null) {
                        w.moov = box;
                        w.moovTree = t;
                    }
                }
            }
            p = box.end();
        }
        return w;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The XMP packet of a top-level XMP {@code uuid} box, or "" (with a note when {@code scan} is given) when too big. */
    private static String xmpText(ChannelSource src, Top t, ContainerScan scan) {
        long from = t.payloadStart() + 16;
        long length = t.end() - from;
        if (length > Xmp.MAX_PACKET) {
            return Mp4Handler.skippedXmp(length, scan);
        }
        byte[] packet = src.read(from, (int) length);
        return Mp4Handler.xmpText(packet, 0, packet.length, scan);
    }

    // ---------------------------------------------------------------- writing

    /** A piece of the output: new bytes, a box copied from the input, or a {@code free} box of zeros. */
    private sealed interface Piece permits Bytes, Copy, Free {}

    private record Bytes(byte[] bytes) implements Piece {}

    private record Copy(Top box) implements Piece {}

    private record Free(long size) implements Piece {}

    @Override
    public void writeLabel(SeekableByteChannel in, AigcLabel label, WritableByteChannel out, Limits limits) throws IOException {
        ChannelSource src = ChannelSource.of(in, "the file");
        Walk w = walk(src, limits);
        ContainerScan check = scan(src, w, limits);
        if (check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged MP4: " + check.damage().get(0));
        }
        if (w.moovTree == null) {
            throw AigcmarkException.corrupt("cannot relabel an MP4 without a 'moov' box");
        }
        String json = label.toBareJson();
        byte[] newMoov = handler.rebuildMoov(w.moovTree, w.moovTree.top.get(0), json);
        long growth = newMoov.length - w.moov.size();

        // The same layout as Mp4Handler.writeLabel, in file offsets.
        List<Top> top = w.top;
        int n = top.size();
        long[] newStart = new long[n];
        boolean[] rewritten = new boolean[n];
        List<Piece> pieces = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < n; i++) {
            Top t = top.get(i);
            newStart[i] = size;
            if (t == w.moov) {
                rewritten[i] = true;
                pieces.add(new Bytes(newMoov));
                size += newMoov.length;
                Top next = i + 1 < n ? top.get(i + 1) : null;
                if (growth < 0 && -growth >= 8) {
                    pieces.add(new Free(-growth)); // keep every later offset where it was
                    size += -growth;
                } else if (growth > 0 && next != null && Mp4Handler.isFree(next.type(), next.headerSize())
                        && Mp4Handler.absorbs(next.size(), growth) && next.size() - growth <= 0xFFFFFFFFL) {
                    i++;
                    newStart[i] = size;
                    rewritten[i] = true;
                    if (next.size() > growth) {
                        pieces.add(new Free(next.size() - growth));
                        size += next.size() - growth;
                    }
                }
            } else if (t.type().equals("uuid") && t.size() >= 24
                    && HexFormat.of().formatHex(src.read(t.payloadStart(), 16)).equals(Mp4Handler.XMP_UUID)
                    && Xmp.hasLabel(xmpText(src, t, null))) {
                rewritten[i] = true;
                String packet = Mp4Handler.xmpWithoutLabel(xmpText(src, t, null), json);
                byte[] box = Boxes.box("uuid", HexFormat.of().parseHex(Mp4Handler.XMP_UUID),
                        packet.getBytes(StandardCharsets.UTF_8));
                pieces.add(new Bytes(box));
                size += box.length;
            } else {
                pieces.add(new Copy(t));
                size += t.size();
            }
        }
        OffsetFixer fixer = offsetFixer(top, newStart, rewritten, src.size(), size);
        if (fixer.moved()) {
            Boxes parsed = Boxes.parse(newMoov);
            if (!parsed.damage.isEmpty()) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "rewritten 'moov' does not parse: " + parsed.damage.get(0));
            }
            fixer.fixBox(newMoov, parsed.top.get(0));
        }
        for (Piece piece : pieces) {
            switch (piece) {
                case Bytes b -> writeAll(out, ByteBuffer.wrap(b.bytes()));
                case Free f -> writeFree(out, f.size());
                case Copy c when fixer.moved() && OffsetFixer.holdsOffsets(c.box().type()) ->
                        writeAll(out, ByteBuffer.wrap(withOffsetsMoved(src, c.box(), fixer, limits)));
                case Copy c -> src.copyTo(c.box().start(), c.box().end(), out);
            }
        }
    }

    private static OffsetFixer offsetFixer(List<Top> top, long[] newStart, boolean[] rewritten, long oldLength, long newLength) {
        int n = top.size();
        String[] type = new String[n];
        long[] start = new long[n];
        long[] end = new long[n];
        for (int i = 0; i < n; i++) {
            type[i] = top.get(i).type();
            start[i] = top.get(i).start();
            end[i] = top.get(i).end();
        }
        return new OffsetFixer(type, start, end, newStart, rewritten, oldLength, newLength);
    }

    /** A movie fragment ({@code moof}) or fragment index ({@code mfra}) read and its absolute offsets moved. */
    private static byte[] withOffsetsMoved(ChannelSource src, Top t, OffsetFixer fixer, Limits limits) {
        if (t.size() > limits.maxSegmentBytes()) {
            throw AigcmarkException.limit("'" + Boxes.printable(t.type()) + "' box at byte " + t.start() + " holds "
                    + t.size() + " bytes, over the limit of " + limits.maxSegmentBytes()
                    + " bytes of metadata held in memory, and its offsets must move");
        }
        byte[] box = src.read(t.start(), (int) t.size());
        Boxes parsed = Boxes.parseTopBox(box, t.start(), 0);
        if (!parsed.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot move the offsets in a damaged '" + t.type() + "': " + parsed.damage.get(0));
        }
        fixer.fixBox(box, parsed.top.get(0));
        return box;
    }

    /** A {@code free} box of {@code size} bytes, the zeros written a block at a time. */
    private static void writeFree(WritableByteChannel out, long size) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8).putInt((int) size).put("free".getBytes(StandardCharsets.ISO_8859_1)).flip();
        writeAll(out, header);
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, size - 8)));
        for (long left = size - 8; left > 0; left -= zeros.limit()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), left));
            writeAll(out, zeros);
        }
    }

    private static void writeAll(WritableByteChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    // ---------------------------------------------------------------- presentation digest

    @Override
    public void digestPresentation(SeekableByteChannel in, MessageDigest digest, Limits limits) {
        Walk w = walk(ChannelSource.of(in, "the file"), limits);
        if (w.moovTree != null) {
            Mp4Handler.digestPresentation(w.moovTree.b, w.moovTree.top.get(0), digest);
        }
    }

    // ---------------------------------------------------------------- content digest

    @Override
    public void digestContent(SeekableByteChannel in, MessageDigest digest, Limits limits) {
        ChannelSource src = ChannelSource.of(in, "the file");
        Walk w = walk(src, limits);
        if (!w.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot hash a damaged MP4: " + w.damage.get(0));
        }
        boolean any = false;
        for (Top t : w.top) {
            if (t.type().equals("mdat")) {
                src.digest(t.payloadStart(), t.end(), digest);
                any = true;
            }
        }
        if (!any) {
            throw AigcmarkException.corrupt("the MP4 has no 'mdat' box: there is no media data to hash");
        }
    }
}
