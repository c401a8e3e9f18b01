package org.aigcmark.format.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.internal.ChannelSource;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;

/**
 * WAV (RIFF/WAVE, and RF64 for files past 4 GiB): the record is a RIFF subchunk {@code AIGC} whose data is the JSON,
 * padded to an even length (TC260-PG-202510A). Writing appends that chunk after the others and fixes the RIFF size
 * (RF64: the {@code ds64} size), so {@code fmt } and {@code data} stay where and what they were. Also read, and
 * replaced on write: a {@code LIST/INFO} entry holding the record (an {@code AIGC} entry, or a comment such as
 * {@code ICMT} whose text is one) and an {@code id3 } chunk with {@code TXXX:AIGC}.
 */
public final class WavHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final String CHUNK = "AIGC";
    private static final int MAX_CHUNKS = 100_000;

    /** One chunk: its id, where it starts (header), its data and where it ends (pad byte included when present). */
    record Chunk(String id, long start, long dataStart, long size, long end) {}

    /** The chunk list of a RIFF/RF64 WAVE file. */
    record Riff(boolean rf64, long riffEnd, List<Chunk> chunks) {}

    @Override
    public MediaType type() {
        return MediaType.WAV;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        return scan(Source.of(b), limits);
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        return write(b, label.toBareJson(), limits);
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        for (Chunk c : content(Source.of(b))) {
            digest.update(c.id().getBytes(StandardCharsets.ISO_8859_1));
            digest.update(b, (int) c.dataStart(), (int) c.size());
        }
    }

    /** Labels and inspects from disk: only chunk headers and the metadata chunks are read, {@code data} is copied. */
    @Override
    public Optional<Streaming> streaming() {
        return Optional.of(new Streaming() {
            @Override
            public ContainerScan scan(SeekableByteChannel in, Limits limits) {
                return WavHandler.scan(Source.of(ChannelSource.of(in, "the file")), limits);
            }

            @Override
            public void writeLabel(SeekableByteChannel in, AigcLabel label, WritableByteChannel out, Limits limits)
                    throws IOException {
                ChannelSource file = ChannelSource.of(in, "the file");
                for (Piece piece : plan(Source.of(file), label.toBareJson(), limits)) {
                    if (piece.bytes() != null) {
                        ByteBuffer buf = ByteBuffer.wrap(piece.bytes());
                        while (buf.hasRemaining()) {
                            out.write(buf);
                        }
                    } else {
                        file.copyTo(piece.from(), piece.to(), out);
                    }
                }
            }

            @Override
            public void digestContent(SeekableByteChannel in, MessageDigest digest, Limits limits) {
                ChannelSource file = ChannelSource.of(in, "the file");
                for (Chunk c : content(Source.of(file))) {
                    digest.update(c.id().getBytes(StandardCharsets.ISO_8859_1));
                    file.digest(c.dataStart(), c.dataStart() + c.size(), digest);
                }
            }
        });
    }

    /** The bytes of a WAV: an array, or a file read only where asked (chunk headers and metadata chunks). */
    private interface Source {
        long length();

        /** The {@code n} bytes at {@code from}; callers bound {@code n} (a header, a metadata chunk under the limit). */
        byte[] read(long from, int n);

        static Source of(byte[] b) {
            return new Source() {
                public long length() {
                    return b.length;
                }

                public byte[] read(long from, int n) {
                    return Arrays.copyOfRange(b, (int) from, (int) from + n);
                }
            };
        }

        static Source of(ChannelSource file) {
            return new Source() {
                public long length() {
                    return file.size();
                }

                public byte[] read(long from, int n) {
                    return file.read(from, n);
                }
            };
        }
    }

    private static ContainerScan scan(Source src, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.WAV);
        Riff riff = parse(src, scan);
        if (riff == null) {
            return scan;
        }
        int records = 0;
        for (Chunk c : riff.chunks()) {
            if (c.id().equalsIgnoreCase(CHUNK)) {
                if (++records > Limits.MAX_METADATA_PACKETS) {
                    scan.damage().add("more than " + Limits.MAX_METADATA_PACKETS + " AIGC chunks; the rest are not read");
                    break;
                }
                String text = c.size() > 4 * LabelParser.MAX_LENGTH ? null : text(src.read(c.dataStart(), (int) c.size()));
                if (text != null && LabelParser.parse(text).isPresent()) {
                    scan.addSlot("wav-aigc", text);
                } else {
                    scan.notes().add("the wav AIGC chunk at byte " + c.start() + " is not a readable AIGC record");
                }
            } else if (isInfo(src, c)) {
                if (c.size() > limits.maxSegmentBytes()) {
                    scan.damage().add(overLimit(c, "LIST/INFO", limits));
                    continue;
                }
                byte[] list = src.read(c.dataStart(), (int) c.size());
                for (Chunk e : infoEntries(list, scan)) {
                    String text = text(list, e);
                    String source = "wav-info:" + e.id();
                    if (e.id().equalsIgnoreCase(CHUNK) || (text != null && LabelParser.parse(text).isPresent())) {
                        if (text != null && LabelParser.parse(text).isPresent()) {
                            scan.addSlot(source, text);
                        } else {
                            scan.notes().add(source + " is not a readable AIGC record");
                        }
                    } else if (e.id().equals("ISFT") && text != null && !text.isBlank()) {
                        scan.addHint(ContainerScan.HintKind.GENERATOR, source, text);
                    }
                }
            } else if (isId3(c)) {
                if (id3Length(src, c) > limits.maxSegmentBytes() + 20L) {
                    scan.damage().add(overLimit(c, "id3", limits));
                    continue;
                }
                byte[] tag = id3Bytes(src, c, limits);
                if (Id3.at(tag, 0)) {
                    Id3.read(tag, 0, (int) c.size(), c.dataStart(), src.length(), "wav-id3", scan, limits);
                } else {
                    scan.notes().add("the wav id3 chunk does not hold an ID3v2 tag");
                }
            }
        }
        return scan;
    }

    /** The file with every record dropped and {@code json} appended as the one {@code AIGC} chunk. */
    static byte[] write(byte[] b, String json, Limits limits) {
        List<Piece> plan = plan(Source.of(b), json, limits);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + json.length() + 64);
        for (Piece piece : plan) {
            if (piece.bytes() != null) {
                out.write(piece.bytes(), 0, piece.bytes().length);
            } else {
                out.write(b, (int) piece.from(), (int) (piece.to() - piece.from()));
            }
        }
        return out.toByteArray();
    }

    /** A part of a label write's output: bytes made here, or the input's bytes {@code [from, to)} as they are. */
    private record Piece(byte[] bytes, long from, long to) {
        static Piece of(byte[] bytes) {
            return new Piece(bytes, 0, 0);
        }

        long length() {
            return bytes != null ? bytes.length : to - from;
        }
    }

    /**
     * The output of a label write, in order: every record dropped and {@code json} appended as the one {@code AIGC}
     * chunk; metadata chunks are read and rebuilt, every other chunk ({@code data}) is a range of the input.
     */
    private static List<Piece> plan(Source src, String json, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.WAV);
        Riff riff = parse(src, check);
        if (riff == null || check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged WAV: " + check.damage().get(0));
        }
        List<Piece> out = new ArrayList<>();
        byte[] header = src.read(0, 12);
        out.add(Piece.of(header));
        byte[] ds64 = null;
        for (Chunk c : riff.chunks()) {
            if (c.id().equalsIgnoreCase(CHUNK)) {
                continue;
            }
            if (isInfo(src, c)) {
                byte[] data = metadata(src, c, limits, "LIST/INFO");
                ByteArrayOutputStream list = new ByteArrayOutputStream(data.length);
                list.write(data, 0, 4);
                int kept = 0;
                for (Chunk e : infoEntries(data, new ContainerScan(MediaType.WAV))) {
                    String text = text(data, e);
                    if (e.id().equalsIgnoreCase(CHUNK) || (text != null && LabelParser.parse(text).isPresent())) {
                        continue;
                    }
                    list.write(data, (int) e.start(), (int) (e.end() - e.start()));
                    if (e.end() - e.dataStart() < e.size() + (e.size() & 1)) {
                        list.write(0); // the entry's pad byte was missing
                    }
                    kept++;
                }
                if (kept > 0) {
                    out.add(Piece.of(chunk("LIST", list.toByteArray())));
                }
                continue;
            }
            if (isId3(c)) {
                byte[] bytes = id3Bytes(src, c, limits);
                if (Id3.at(bytes, 0)) {
                    ContainerScan s = new ContainerScan(MediaType.WAV);
                    Id3.Tag tag = Id3.read(bytes, 0, (int) c.size(), c.dataStart(), src.length(), "wav-id3", s, limits);
                    if (tag == null) {
                        throw AigcmarkException.corrupt("cannot relabel a WAV whose id3 chunk is damaged: " + s.damage().get(0));
                    }
                    if (tag.frames().stream().anyMatch(Id3.Frame::record)) {
                        out.add(Piece.of(chunk(c.id(), Id3.rewrite(tag, null, "the WAV's id3 chunk"))));
                        continue;
                    }
                }
            }
            if (c.id().equals("ds64")) { // the last one gets the size, as the in-memory writer always did
                ds64 = metadataChunk(src, c, limits);
                out.add(Piece.of(ds64));
            } else {
                out.add(new Piece(null, c.start(), c.end()));
            }
            if ((c.size() & 1) == 1 && c.end() - c.dataStart() == c.size()) {
                out.add(Piece.of(new byte[1])); // an odd last chunk without its pad byte: another chunk follows now
            }
        }
        out.add(Piece.of(chunk(CHUNK, json.getBytes(StandardCharsets.UTF_8))));
        long riffEnd = out.stream().mapToLong(Piece::length).sum();
        out.add(new Piece(null, riff.riffEnd(), src.length())); // bytes after the RIFF's end stay after it
        long riffSize = riffEnd - 8L;
        if (riff.rf64()) {
            if (ds64 == null) {
                throw AigcmarkException.corrupt("cannot relabel an RF64 file without a ds64 chunk");
            }
            putLe(ds64, 8, riffSize, 8);
        } else {
            if (riffSize > 0xFFFF_FFFFL) {
                throw AigcmarkException.limit("the labelled WAV would pass the 4 GiB RIFF limit");
            }
            putLe(header, 4, riffSize, 4);
        }
        return out;
    }

    /** The {@code fmt } and {@code data} chunks, whose ids and data the content digest covers. */
    private static List<Chunk> content(Source src) {
        ContainerScan check = new ContainerScan(MediaType.WAV);
        Riff riff = parse(src, check);
        if (riff == null || check.damaged()) {
            throw AigcmarkException.corrupt("cannot hash a damaged WAV: " + check.damage().get(0));
        }
        return riff.chunks().stream().filter(c -> c.id().equals("fmt ") || c.id().equals("data")).toList();
    }

    /** The chunk list; null (damage in {@code scan}) when the header is not a WAVE header. */
    private static Riff parse(Source src, ContainerScan scan) {
        long length = src.length();
        if (length < 12) {
            scan.damage().add("the RIFF header is cut short (" + length + " bytes; truncated)");
            return null;
        }
        byte[] head = src.read(0, 12);
        boolean rf64 = head[0] == 'R' && head[1] == 'F' && head[2] == '6' && head[3] == '4';
        long declared = le(head, 4, 4);
        long riffEnd = rf64 ? length : Math.min(length, declared + 8);
        if (!rf64 && declared + 8 > length) {
            scan.damage().add("the RIFF header declares " + (declared + 8) + " bytes, the file has " + length + " (truncated)");
        } else if (riffEnd < length) {
            scan.notes().add((length - riffEnd) + " bytes after the end the RIFF header declares; kept as they are");
        }
        List<Chunk> chunks = new ArrayList<>();
        long ds64Data = -1;
        long p = 12;
        while (p + 8 <= riffEnd) {
            if (chunks.size() >= MAX_CHUNKS) {
                scan.damage().add("more than " + MAX_CHUNKS + " RIFF chunks");
                return null;
            }
            byte[] h = src.read(p, 8);
            String id = new String(h, 0, 4, StandardCharsets.ISO_8859_1);
            long size = le(h, 4, 4);
            if (rf64 && id.equals("ds64") && size >= 24 && p + 8 + 24 <= length) {
                ds64Data = le(src.read(p + 8 + 8, 8), 0, 8);
            }
            if (rf64 && id.equals("data") && size == 0xFFFF_FFFFL && ds64Data >= 0) {
                size = ds64Data;
            }
            if (p + 8 + size > riffEnd) {
                scan.damage().add("RIFF chunk '" + id.strip() + "' at byte " + p + " declares " + size
                        + " bytes, past the end of the file (truncated)");
                return new Riff(rf64, riffEnd, chunks);
            }
            long end = Math.min(riffEnd, p + 8 + size + (size & 1));
            chunks.add(new Chunk(id, p, p + 8, size, end));
            p = end;
        }
        if (p < riffEnd) {
            scan.damage().add((riffEnd - p) + " stray bytes at the end of the RIFF data (truncated chunk header)");
        }
        if (chunks.stream().noneMatch(c -> c.id().equals("fmt "))) {
            scan.damage().add("no 'fmt ' chunk: not a playable WAVE file");
        }
        if (chunks.stream().noneMatch(c -> c.id().equals("data"))) {
            scan.damage().add("no 'data' chunk: not a playable WAVE file");
        }
        return new Riff(rf64, riffEnd, chunks);
    }

    /** The data of a metadata chunk; one over {@link Limits#maxSegmentBytes()} is refused, not read. */
    private static byte[] metadata(Source src, Chunk c, Limits limits, String what) {
        if (c.size() > limits.maxSegmentBytes()) {
            throw AigcmarkException.limit(overLimit(c, what, limits));
        }
        return src.read(c.dataStart(), (int) c.size());
    }

    private static String overLimit(Chunk c, String what, Limits limits) {
        return "the WAV's " + what + " chunk at byte " + c.start() + " holds " + c.size()
                + " bytes, over the metadata limit of " + limits.maxSegmentBytes();
    }

    /** A whole chunk (header, data, pad byte), read as {@link #metadata} bounds it. */
    private static byte[] metadataChunk(Source src, Chunk c, Limits limits) {
        metadata(src, c, limits, c.id().strip());
        return src.read(c.start(), (int) (c.end() - c.start()));
    }

    /**
     * An id3 chunk's data as {@link Id3} reads it: at least its 10-byte header when the file has them (the tag's
     * header is checked against the file, as in memory), at most the tag limit plus two headers.
     */
    private static byte[] id3Bytes(Source src, Chunk c, Limits limits) {
        long n = id3Length(src, c);
        if (n > limits.maxSegmentBytes() + 20L) {
            throw AigcmarkException.limit(overLimit(c, "id3", limits));
        }
        return src.read(c.dataStart(), (int) n);
    }

    private static long id3Length(Source src, Chunk c) {
        return Math.min(src.length() - c.dataStart(), Math.max(c.size(), 10));
    }

    private static boolean isId3(Chunk c) {
        return c.id().equals("id3 ") || c.id().equals("ID3 ");
    }

    private static boolean isInfo(Source src, Chunk c) {
        if (!c.id().equals("LIST") || c.size() < 4) {
            return false;
        }
        byte[] type = src.read(c.dataStart(), 4);
        return type[0] == 'I' && type[1] == 'N' && type[2] == 'F' && type[3] == 'O';
    }

    /**
     * The entries of a {@code LIST/INFO} chunk's data {@code list} (offsets into it); one running past the list is a
     * note and ends the walk.
     */
    private static List<Chunk> infoEntries(byte[] list, ContainerScan scan) {
        List<Chunk> out = new ArrayList<>();
        int end = list.length;
        int p = 4;
        while (p + 8 <= end && out.size() < MAX_CHUNKS) {
            String id = new String(list, p, 4, StandardCharsets.ISO_8859_1);
            long size = le(list, p + 4, 4);
            if (p + 8 + size > end) {
                scan.notes().add("LIST/INFO entry '" + id.strip() + "' runs past its list; the rest of the list is not read");
                break;
            }
            int e = (int) Math.min(end, p + 8 + size + (size & 1));
            out.add(new Chunk(id, p, p + 8, size, e));
            p = e;
        }
        return out;
    }

    /** An entry's text in {@code list}, as {@link #text(byte[])} reads it. */
    private static String text(byte[] list, Chunk e) {
        return e.size() > 4 * LabelParser.MAX_LENGTH ? null
                : text(Arrays.copyOfRange(list, (int) e.dataStart(), (int) (e.dataStart() + e.size())));
    }

    /** The text (UTF-8, trailing NULs dropped), or null when it is too long to be a record. */
    private static String text(byte[] b) {
        if (b.length > 4 * LabelParser.MAX_LENGTH) {
            return null;
        }
        int e = b.length;
        while (e > 0 && b[e - 1] == 0) {
            e--;
        }
        return new String(b, 0, e, StandardCharsets.UTF_8);
    }

    /** A chunk: header, {@code data}, and the pad byte of an odd size. */
    private static byte[] chunk(String id, byte[] data) {
        byte[] out = new byte[8 + data.length + (data.length & 1)];
        System.arraycopy(id.getBytes(StandardCharsets.ISO_8859_1), 0, out, 0, 4);
        putLe(out, 4, data.length, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }

    static long le(byte[] b, int p, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }

    static void putLe(byte[] b, int p, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[p + i] = (byte) (v >>> (8 * i));
        }
    }
}
