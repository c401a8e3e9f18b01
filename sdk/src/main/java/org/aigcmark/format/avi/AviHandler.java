package org.aigcmark.format.avi;

import java.io.ByteArrayOutputStream;
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
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;

/**
 * AVI (RIFF {@code AVI }): the record as the {@code AIGC} entry of the {@code LIST/INFO} chunk, as TC260-PG-20257A
 * places it (stock ffmpeg cannot write it: its AVI muxer keeps only the INFO tags it knows, and drops
 * {@code -metadata AIGC=}); also read: a RIFF {@code AIGC} chunk (WAV's form) and any INFO entry whose text is a
 * record (ffmpeg's {@code -metadata comment=} writes {@code ICMT}). Writing moves nothing: the INFO list grows
 * into the {@code JUNK} chunk that muxers leave before {@code movi} (ffmpeg leaves about 1 KiB), where readers
 * such as ffmpeg find it; without room there, a {@code LIST/INFO} is appended at the end of the first RIFF (after
 * {@code idx1}, whose offsets are relative to {@code movi} or absolute and so unchanged). Other record slots turn
 * into {@code JUNK} of the same size, zeroed. An OpenDML file with {@code AVIX} RIFFs after the first is refused
 * (their absolute index offsets would shift).
 */
public final class AviHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final String CHUNK = "AIGC";
    static final int MAX_CHUNKS = 100_000;

    /** One chunk of the first RIFF: id, start of its header, data start, data size, end (pad byte included). */
    record Chunk(String id, int start, int dataStart, int size, int end) {}

    @Override
    public MediaType type() {
        return MediaType.AVI;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.AVI);
        List<Chunk> chunks = chunks(b, scan);
        int records = 0;
        for (Chunk c : chunks) {
            if (c.id().equalsIgnoreCase(CHUNK)) {
                if (++records > Limits.MAX_METADATA_PACKETS) {
                    scan.damage().add("more than " + Limits.MAX_METADATA_PACKETS + " AIGC chunks; the rest are not read");
                    break;
                }
                String text = text(b, c);
                if (text != null && LabelParser.parse(text).isPresent()) {
                    scan.addSlot("avi-aigc", text);
                } else {
                    scan.notes().add("the AVI AIGC chunk at byte " + c.start() + " is not a readable AIGC record");
                }
            } else if (isList(b, c, "INFO")) {
                for (Chunk e : children(b, c, scan)) {
                    String text = text(b, e);
                    String source = "avi-info:" + e.id();
                    boolean record = text != null && LabelParser.parse(text).isPresent();
                    if (record && ++records > Limits.MAX_METADATA_PACKETS) {
                        scan.damage().add("more than " + Limits.MAX_METADATA_PACKETS + " AIGC records; the rest are not read");
                        return scan;
                    }
                    if (record) {
                        scan.addSlot(source, text);
                    } else if (e.id().equalsIgnoreCase(CHUNK)) {
                        scan.notes().add(source + " is not a readable AIGC record");
                    } else if (e.id().equals("ISFT") && text != null && !text.isBlank()) {
                        scan.addHint(ContainerScan.HintKind.GENERATOR, source, text);
                    }
                }
            } else if (isList(b, c, "hdrl")) {
                for (Chunk h : children(b, c, scan)) {
                    if (h.id().equals("avih") && h.size() >= 40) {
                        scan.dimensions((int) Math.min(Integer.MAX_VALUE, le32(b, h.dataStart() + 32)),
                                (int) Math.min(Integer.MAX_VALUE, le32(b, h.dataStart() + 36)));
                    }
                }
            }
        }
        if (!scan.damaged() && chunks.stream().noneMatch(c -> isList(b, c, "movi"))) {
            scan.damage().add("no 'movi' list: not a playable AVI");
        }
        return scan;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.AVI);
        List<Chunk> chunks = chunks(b, check);
        if (check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged AVI: " + check.damage().get(0));
        }
        int riffEnd = riffEnd(b);
        if (riffEnd < b.length) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "the AVI has " + (b.length - riffEnd)
                    + " bytes after its first RIFF (an OpenDML AVIX extension, whose index offsets are absolute): the"
                    + " record cannot be added without moving them; remux it (e.g. to MP4 or MKV) and label that");
        }
        int keep = riffEnd;
        Chunk last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (last != null && last.end() == riffEnd && (last.id().equalsIgnoreCase(CHUNK) || onlyRecords(b, last))) {
            keep = last.start(); // an earlier record appended last (ours): replaced, so the file does not grow
        }
        byte[] body = Arrays.copyOf(b, keep);
        for (Chunk c : chunks) {
            if (c.start() >= keep) {
                continue;
            }
            if (c.id().equalsIgnoreCase(CHUNK)) {
                junk(body, c);
            } else if (isList(b, c, "INFO")) {
                for (Chunk e : children(b, c, new ContainerScan(MediaType.AVI))) {
                    if (isRecord(b, e)) {
                        junk(body, e);
                    }
                }
            }
        }
        byte[] entry = chunk(CHUNK, label.toBareJson().getBytes(StandardCharsets.UTF_8));
        byte[] inPlace = intoHeaderJunk(b, body, chunks, keep, entry);
        if (inPlace != null) {
            return inPlace;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + entry.length + 16);
        out.writeBytes(body);
        if (out.size() % 2 != 0) {
            out.write(0); // an odd last chunk whose pad byte was missing
        }
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes("INFO".getBytes(StandardCharsets.ISO_8859_1));
        info.writeBytes(entry);
        out.writeBytes(chunk("LIST", info.toByteArray()));
        byte[] result = out.toByteArray();
        long riffSize = result.length - 8L;
        if (riffSize > 0xFFFF_FFFFL) {
            throw AigcmarkException.limit("the labelled AVI would pass the 4 GiB RIFF limit");
        }
        for (int i = 0; i < 4; i++) {
            result[4 + i] = (byte) (riffSize >>> (8 * i));
        }
        return result;
    }

    /**
     * The record put where readers look, without moving a byte: ffmpeg and most muxers leave a {@code JUNK} chunk
     * before {@code movi}, usually right after the {@code LIST/INFO}. That INFO list (its record entries dropped,
     * the {@code AIGC} entry added) and a smaller {@code JUNK} take the place of the two; null when there is no such
     * {@code JUNK} or the record does not fit in it.
     */
    private static byte[] intoHeaderJunk(byte[] b, byte[] body, List<Chunk> chunks, int keep, byte[] entry) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (isList(b, c, "movi")) {
                return null; // only before the media
            }
            if (!c.id().equals("JUNK") || c.end() > keep) {
                continue;
            }
            Chunk info = i > 0 && isList(b, chunks.get(i - 1), "INFO") && chunks.get(i - 1).end() == c.start() ? chunks.get(i - 1) : null;
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            list.writeBytes("INFO".getBytes(StandardCharsets.ISO_8859_1));
            if (info != null) {
                for (Chunk e : children(body, info, new ContainerScan(MediaType.AVI))) {
                    if (!e.id().equals("JUNK")) {
                        list.write(body, e.start(), e.end() - e.start());
                        if ((e.size() & 1) == 1 && e.end() - e.dataStart() == e.size()) {
                            list.write(0); // the entry's missing pad byte
                        }
                    }
                }
            }
            list.writeBytes(entry);
            byte[] newInfo = chunk("LIST", list.toByteArray());
            int from = info != null ? info.start() : c.start();
            int room = c.end() - from;
            int left = room - newInfo.length;
            if (left != 0 && left < 8) {
                continue; // a JUNK needs its 8-byte header
            }
            byte[] out = body.clone();
            System.arraycopy(newInfo, 0, out, from, newInfo.length);
            if (left > 0) {
                Arrays.fill(out, from + newInfo.length, c.end(), (byte) 0);
                System.arraycopy("JUNK".getBytes(StandardCharsets.ISO_8859_1), 0, out, from + newInfo.length, 4);
                for (int k = 0; k < 4; k++) {
                    out[from + newInfo.length + 4 + k] = (byte) ((left - 8) >>> (8 * k));
                }
            }
            if (keep < b.length) {
                long riffSize = out.length - 8L;
                for (int k = 0; k < 4; k++) {
                    out[4 + k] = (byte) (riffSize >>> (8 * k));
                }
            }
            return out;
        }
        return null;
    }

    /** A LIST/INFO whose entries are all records (what the fallback write appends). */
    private static boolean onlyRecords(byte[] b, Chunk c) {
        if (!isList(b, c, "INFO")) {
            return false;
        }
        List<Chunk> entries = children(b, c, new ContainerScan(MediaType.AVI));
        return !entries.isEmpty() && entries.stream().allMatch(e -> isRecord(b, e));
    }

    private static boolean isRecord(byte[] b, Chunk e) {
        String text = text(b, e);
        return e.id().equalsIgnoreCase(CHUNK) || (text != null && LabelParser.parse(text).isPresent());
    }

    /** A chunk: header, {@code data}, and the pad byte of an odd size. */
    private static byte[] chunk(String id, byte[] data) {
        byte[] out = new byte[8 + data.length + (data.length & 1)];
        System.arraycopy(id.getBytes(StandardCharsets.ISO_8859_1), 0, out, 0, 4);
        for (int k = 0; k < 4; k++) {
            out[4 + k] = (byte) (data.length >>> (8 * k));
        }
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }

    /** The stream headers ({@code hdrl}), the media ({@code movi}) and the index ({@code idx1}): ids and data. */
    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.AVI);
        List<Chunk> chunks = chunks(b, check);
        if (check.damaged()) {
            throw AigcmarkException.corrupt("cannot hash a damaged AVI: " + check.damage().get(0));
        }
        for (Chunk c : chunks) {
            if (isList(b, c, "hdrl") || isList(b, c, "movi") || c.id().equals("idx1")) {
                digest.update(b, c.start(), 4);
                digest.update(b, c.dataStart(), c.size());
            }
        }
    }

    /** Renames a chunk to {@code JUNK} and zeroes its data, in place: its size, and so every later offset, stays. */
    private static void junk(byte[] body, Chunk c) {
        System.arraycopy("JUNK".getBytes(StandardCharsets.ISO_8859_1), 0, body, c.start(), 4);
        Arrays.fill(body, c.dataStart(), c.dataStart() + c.size(), (byte) 0);
    }

    /** Where the first RIFF ends as its header says (at most the file's length). */
    private static int riffEnd(byte[] b) {
        return (int) Math.min(b.length, le32(b, 4) + 8);
    }

    /** The chunks of the first RIFF; damage (truncation, a chunk past the end) goes to {@code scan}. */
    static List<Chunk> chunks(byte[] b, ContainerScan scan) {
        List<Chunk> out = new ArrayList<>();
        if (b.length < 12) {
            scan.damage().add("the RIFF header is cut short (" + b.length + " bytes; truncated)");
            return out;
        }
        long declared = le32(b, 4) + 8;
        if (declared > b.length) {
            scan.damage().add("the RIFF header declares " + declared + " bytes, the file has " + b.length + " (truncated)");
        }
        walk(b, 12, riffEnd(b), out, scan);
        return out;
    }

    /** The chunks inside a LIST chunk (after its 4-byte type). */
    static List<Chunk> children(byte[] b, Chunk list, ContainerScan scan) {
        List<Chunk> out = new ArrayList<>();
        walk(b, list.dataStart() + 4, list.dataStart() + list.size(), out, scan);
        return out;
    }

    private static void walk(byte[] b, int from, int end, List<Chunk> out, ContainerScan scan) {
        int p = from;
        int count = 0;
        while (p + 8 <= end) {
            if (++count > MAX_CHUNKS) {
                scan.damage().add("more than " + MAX_CHUNKS + " RIFF chunks in one list");
                return;
            }
            String id = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            long size = le32(b, p + 4);
            if (p + 8 + size > end) {
                scan.damage().add("RIFF chunk '" + id.strip() + "' at byte " + p + " declares " + size
                        + " bytes, past the end of its list (truncated)");
                return;
            }
            int e = (int) Math.min(end, p + 8 + size + (size & 1));
            out.add(new Chunk(id, p, p + 8, (int) size, e));
            p = e;
        }
    }

    static boolean isList(byte[] b, Chunk c, String type) {
        return (c.id().equals("LIST") || c.id().equals("RIFF")) && c.size() >= 4
                && new String(b, c.dataStart(), 4, StandardCharsets.ISO_8859_1).equals(type);
    }

    /** A chunk's text (UTF-8, trailing NULs dropped), or null when it is too long to be a record. */
    private static String text(byte[] b, Chunk c) {
        if (c.size() > 4 * LabelParser.MAX_LENGTH) {
            return null;
        }
        int e = c.dataStart() + c.size();
        while (e > c.dataStart() && b[e - 1] == 0) {
            e--;
        }
        return new String(b, c.dataStart(), e - c.dataStart(), StandardCharsets.UTF_8);
    }

    static long le32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

}
