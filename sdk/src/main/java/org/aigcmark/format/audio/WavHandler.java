package org.aigcmark.format.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
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
    record Chunk(String id, int start, int dataStart, int size, int end) {}

    /** The chunk list of a RIFF/RF64 WAVE file. */
    record Riff(boolean rf64, int riffEnd, List<Chunk> chunks) {}

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
        ContainerScan scan = new ContainerScan(MediaType.WAV);
        Riff riff = parse(b, scan);
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
                String text = text(b, c.dataStart(), c.size());
                if (text != null && LabelParser.parse(text).isPresent()) {
                    scan.addSlot("wav-aigc", text);
                } else {
                    scan.notes().add("the wav AIGC chunk at byte " + c.start() + " is not a readable AIGC record");
                }
            } else if (c.id().equals("LIST") && isInfo(b, c)) {
                for (Chunk e : infoEntries(b, c, scan)) {
                    String text = text(b, e.dataStart(), e.size());
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
                if (Id3.at(b, c.dataStart())) {
                    Id3.read(b, c.dataStart(), c.dataStart() + c.size(), "wav-id3", scan, limits);
                } else {
                    scan.notes().add("the wav id3 chunk does not hold an ID3v2 tag");
                }
            }
        }
        return scan;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        return write(b, label.toBareJson(), limits);
    }

    /** The file with every record dropped and {@code json} appended as the one {@code AIGC} chunk. */
    static byte[] write(byte[] b, String json, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.WAV);
        Riff riff = parse(b, check);
        if (riff == null || check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged WAV: " + check.damage().get(0));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + json.length() + 64);
        out.write(b, 0, 12);
        int ds64 = -1;
        for (Chunk c : riff.chunks()) {
            if (c.id().equalsIgnoreCase(CHUNK)) {
                continue;
            }
            if (c.id().equals("LIST") && isInfo(b, c)) {
                ByteArrayOutputStream list = new ByteArrayOutputStream(c.size());
                list.write(b, c.dataStart(), 4);
                int kept = 0;
                for (Chunk e : infoEntries(b, c, new ContainerScan(MediaType.WAV))) {
                    String text = text(b, e.dataStart(), e.size());
                    if (e.id().equalsIgnoreCase(CHUNK) || (text != null && LabelParser.parse(text).isPresent())) {
                        continue;
                    }
                    list.write(b, e.start(), e.end() - e.start());
                    if (e.end() - e.dataStart() < e.size() + (e.size() & 1)) {
                        list.write(0); // the entry's pad byte was missing
                    }
                    kept++;
                }
                if (kept > 0) {
                    writeChunk(out, "LIST", list.toByteArray());
                }
                continue;
            }
            if (isId3(c) && Id3.at(b, c.dataStart())) {
                ContainerScan s = new ContainerScan(MediaType.WAV);
                Id3.Tag tag = Id3.read(b, c.dataStart(), c.dataStart() + c.size(), "wav-id3", s, limits);
                if (tag == null) {
                    throw AigcmarkException.corrupt("cannot relabel a WAV whose id3 chunk is damaged: " + s.damage().get(0));
                }
                if (tag.frames().stream().anyMatch(Id3.Frame::record)) {
                    writeChunk(out, c.id(), Id3.rewrite(tag, null, "the WAV's id3 chunk"));
                    continue;
                }
            }
            if (c.id().equals("ds64")) {
                ds64 = out.size() + 8;
            }
            out.write(b, c.start(), c.end() - c.start());
            if ((c.size() & 1) == 1 && c.end() - c.dataStart() == c.size()) {
                out.write(0); // an odd last chunk without its pad byte: another chunk follows now
            }
        }
        writeChunk(out, CHUNK, json.getBytes(StandardCharsets.UTF_8));
        int riffEnd = out.size();
        out.write(b, riff.riffEnd(), b.length - riff.riffEnd()); // bytes after the RIFF's end stay after it
        byte[] o = out.toByteArray();
        long riffSize = riffEnd - 8L;
        if (riff.rf64()) {
            if (ds64 < 0) {
                throw AigcmarkException.corrupt("cannot relabel an RF64 file without a ds64 chunk");
            }
            putLe(o, ds64, riffSize, 8);
        } else {
            if (riffSize > 0xFFFF_FFFFL) {
                throw AigcmarkException.limit("the labelled WAV would pass the 4 GiB RIFF limit");
            }
            putLe(o, 4, riffSize, 4);
        }
        return o;
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.WAV);
        Riff riff = parse(b, check);
        if (riff == null || check.damaged()) {
            throw AigcmarkException.corrupt("cannot hash a damaged WAV: " + check.damage().get(0));
        }
        for (Chunk c : riff.chunks()) {
            if (c.id().equals("fmt ") || c.id().equals("data")) {
                digest.update(c.id().getBytes(StandardCharsets.ISO_8859_1));
                digest.update(b, c.dataStart(), c.size());
            }
        }
    }

    /** The chunk list; null (damage in {@code scan}) when the header is not a WAVE header. */
    static Riff parse(byte[] b, ContainerScan scan) {
        if (b.length < 12) {
            scan.damage().add("the RIFF header is cut short (" + b.length + " bytes; truncated)");
            return null;
        }
        boolean rf64 = b[0] == 'R' && b[1] == 'F' && b[2] == '6' && b[3] == '4';
        long declared = le(b, 4, 4);
        long riffEnd = rf64 ? b.length : Math.min(b.length, declared + 8);
        if (!rf64 && declared + 8 > b.length) {
            scan.damage().add("the RIFF header declares " + (declared + 8) + " bytes, the file has " + b.length + " (truncated)");
        } else if (riffEnd < b.length) {
            scan.notes().add((b.length - riffEnd) + " bytes after the end the RIFF header declares; kept as they are");
        }
        List<Chunk> chunks = new ArrayList<>();
        long ds64Data = -1;
        int p = 12;
        while (p + 8 <= riffEnd) {
            if (chunks.size() >= MAX_CHUNKS) {
                scan.damage().add("more than " + MAX_CHUNKS + " RIFF chunks");
                return null;
            }
            String id = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            long size = le(b, p + 4, 4);
            if (rf64 && id.equals("ds64") && size >= 24 && p + 8 + 24 <= b.length) {
                ds64Data = le(b, p + 8 + 8, 8);
            }
            if (rf64 && id.equals("data") && size == 0xFFFF_FFFFL && ds64Data >= 0) {
                size = ds64Data;
            }
            if (p + 8 + size > riffEnd) {
                scan.damage().add("RIFF chunk '" + id.strip() + "' at byte " + p + " declares " + size
                        + " bytes, past the end of the file (truncated)");
                return new Riff(rf64, (int) riffEnd, chunks);
            }
            int end = (int) Math.min(riffEnd, p + 8 + size + (size & 1));
            chunks.add(new Chunk(id, p, p + 8, (int) size, end));
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
        return new Riff(rf64, (int) riffEnd, chunks);
    }

    private static boolean isId3(Chunk c) {
        return c.id().equals("id3 ") || c.id().equals("ID3 ");
    }

    private static boolean isInfo(byte[] b, Chunk c) {
        return c.size() >= 4 && b[c.dataStart()] == 'I' && b[c.dataStart() + 1] == 'N' && b[c.dataStart() + 2] == 'F'
                && b[c.dataStart() + 3] == 'O';
    }

    /** The entries of a {@code LIST/INFO} chunk; one running past the list is a note and ends the walk. */
    private static List<Chunk> infoEntries(byte[] b, Chunk list, ContainerScan scan) {
        List<Chunk> out = new ArrayList<>();
        int end = list.dataStart() + list.size();
        int p = list.dataStart() + 4;
        while (p + 8 <= end && out.size() < MAX_CHUNKS) {
            String id = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            long size = le(b, p + 4, 4);
            if (p + 8 + size > end) {
                scan.notes().add("LIST/INFO entry '" + id.strip() + "' runs past its list; the rest of the list is not read");
                break;
            }
            int e = (int) Math.min(end, p + 8 + size + (size & 1));
            out.add(new Chunk(id, p, p + 8, (int) size, e));
            p = e;
        }
        return out;
    }

    /** The chunk's text (UTF-8, trailing NULs dropped), or null when it is too long to be a record. */
    private static String text(byte[] b, int off, int len) {
        if (len > 4 * LabelParser.MAX_LENGTH) {
            return null;
        }
        int e = off + len;
        while (e > off && b[e - 1] == 0) {
            e--;
        }
        return new String(b, off, e - off, StandardCharsets.UTF_8);
    }

    private static void writeChunk(ByteArrayOutputStream out, String id, byte[] data) {
        out.write(id.getBytes(StandardCharsets.ISO_8859_1), 0, 4);
        byte[] size = new byte[4];
        putLe(size, 0, data.length, 4);
        out.write(size, 0, 4);
        out.write(data, 0, data.length);
        if ((data.length & 1) == 1) {
            out.write(0);
        }
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
