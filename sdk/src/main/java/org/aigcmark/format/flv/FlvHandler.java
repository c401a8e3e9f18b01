package org.aigcmark.format.flv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;

/**
 * FLV: the record as the string value of the key {@code AIGC} in the {@code onMetaData} script tag's AMF0 array,
 * as ffmpeg writes {@code -metadata AIGC=...} (and ffprobe reads it back as a format tag); other string values that
 * are records are read too. Writing rebuilds the {@code onMetaData} tag (inserting one after the header when there
 * is none), copying every other entry's bytes, and moves the later tags by the size change: FLV tags are chained by
 * relative sizes, and the absolute positions some muxers store ({@code filesize}, {@code keyframes.filepositions}
 * and {@code lastkeyframelocation}) are moved with them. Audio and video tags stay byte-identical. The AMF0 walk is bounded in depth, count and size.
 */
public final class FlvHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final String KEY = "AIGC";
    static final int MAX_TAGS = 10_000_000;
    static final int MAX_DEPTH = 16;
    static final int MAX_VALUES = 1_000_000;

    /** One tag: its type (8 audio, 9 video, 18 script), where its header starts, its data, and the end (after PreviousTagSize). */
    record Tag(int type, int start, int dataStart, int size, int end) {}

    /** One entry of the onMetaData array: its key, where the key starts, where its value starts and ends. */
    record Entry(String key, int start, int valueStart, int end) {}

    /** A parsed onMetaData tag: its entries, and the absolute positions (number values) found in it. */
    record MetaData(Tag tag, int arrayStart, List<Entry> entries, List<Integer> positions, int filesize, int end) {}

    @Override
    public MediaType type() {
        return MediaType.FLV;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.FLV);
        List<Tag> tags = tags(b, scan);
        int read = 0;
        for (Tag t : tags) {
            if (t.type() != 18) {
                continue;
            }
            if (++read > Limits.MAX_METADATA_PACKETS) {
                scan.notes().add("more than " + Limits.MAX_METADATA_PACKETS + " script tags: the rest are not read");
                break;
            }
            MetaData m;
            try {
                m = metaData(b, t);
            } catch (AigcmarkException e) {
                scan.damage().add("the onMetaData tag at byte " + t.start() + ": " + e.getMessage());
                continue;
            }
            if (m == null) {
                continue;
            }
            for (Entry e : m.entries()) {
                String text = string(b, e);
                String source = "flv-onmetadata:" + e.key();
                boolean record = text != null && LabelParser.parse(text).isPresent();
                if (record) {
                    scan.addSlot(source, text);
                } else if (e.key().equalsIgnoreCase(KEY)) {
                    scan.notes().add(source + " is not a readable AIGC record");
                } else if ((e.key().equals("encoder") || e.key().equals("metadatacreator")) && text != null && !text.isBlank()) {
                    scan.addHint(ContainerScan.HintKind.GENERATOR, source, text);
                } else if (e.key().equals("width") || e.key().equals("height")) {
                    number(b, e).ifPresent(v -> {
                        int px = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, v));
                        scan.dimensions(e.key().equals("width") ? px : scan.width(), e.key().equals("height") ? px : scan.height());
                    });
                }
            }
        }
        return scan;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.FLV);
        List<Tag> tags = tags(b, check);
        if (check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged FLV: " + check.damage().get(0));
        }
        int headerEnd = (int) be(b, 5, 4) + 4;
        List<MetaData> metas = new ArrayList<>();
        for (Tag t : tags) {
            if (t.type() == 18 && metas.size() < Limits.MAX_METADATA_PACKETS) {
                MetaData m = metaData(b, t);
                if (m != null) {
                    metas.add(m);
                }
            }
        }
        byte[] json = label.toBareJson().getBytes(StandardCharsets.UTF_8);
        // The new tags, and where each old byte range lands: (old end of a replaced tag, cumulative shift after it).
        List<byte[]> replaced = new ArrayList<>();
        List<int[]> shifts = new ArrayList<>();
        int shift = 0;
        if (metas.isEmpty()) {
            byte[] t = scriptTag(onMetaData(List.of(), b, json));
            shift = t.length;
            shifts.add(new int[] {headerEnd, shift});
            replaced.add(t);
        } else {
            for (int i = 0; i < metas.size(); i++) {
                MetaData m = metas.get(i);
                byte[] t = scriptTag(onMetaData(m.entries(), b, i == 0 ? json : null));
                shift += t.length - (m.tag().end() - m.tag().start());
                shifts.add(new int[] {m.tag().end(), shift});
                replaced.add(t);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + json.length + 64);
        List<int[]> patches = new ArrayList<>(); // output position of a number, its old value
        if (metas.isEmpty()) {
            out.write(b, 0, headerEnd);
            out.writeBytes(replaced.get(0));
            out.write(b, headerEnd, b.length - headerEnd);
        } else {
            int p = 0;
            for (int i = 0; i < metas.size(); i++) {
                MetaData m = metas.get(i);
                out.write(b, p, m.tag().start() - p);
                int tagOut = out.size();
                out.writeBytes(replaced.get(i));
                collectPatches(b, m, replaced.get(i), tagOut, patches);
                p = m.tag().end();
            }
            out.write(b, p, b.length - p);
        }
        byte[] result = out.toByteArray();
        for (int[] patch : patches) {
            long old = patch[1];
            long moved = patch[2] == 1 ? result.length : old + shiftAt(shifts, old);
            putDouble(result, patch[0], moved);
        }
        return result;
    }

    /** The audio and video tags: type, timestamp and data, which a label write never changes. */
    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.FLV);
        List<Tag> tags = tags(b, check);
        if (check.damaged()) {
            throw AigcmarkException.corrupt("cannot hash a damaged FLV: " + check.damage().get(0));
        }
        for (Tag t : tags) {
            if (t.type() == 8 || t.type() == 9) {
                digest.update(b, t.start(), 1);
                digest.update(b, t.start() + 4, 4); // timestamp and its extension
                digest.update(b, t.dataStart(), t.size());
            }
        }
    }

    private static int shiftAt(List<int[]> shifts, long position) {
        int s = 0;
        for (int[] sh : shifts) {
            if (position >= sh[0]) {
                s = sh[1];
            }
        }
        return s;
    }

    /**
     * Finds, in the rebuilt tag, the numbers that held absolute positions in the old one (the entries were copied
     * byte for byte, so each keeps its offset from its entry's start) and queues them to be moved.
     */
    private static void collectPatches(byte[] b, MetaData m, byte[] tag, int tagOut, List<int[]> patches) {
        // The rebuilt tag is: 11-byte header, "onMetaData" string (13), 0x08 + count (5), then the kept entries in order.
        int p = tagOut + 11 + 13 + 5;
        for (Entry e : m.entries()) {
            if (dropped(b, e)) {
                continue;
            }
            for (int pos : m.positions()) {
                if (pos >= e.start() && pos < e.end()) {
                    patches.add(new int[] {p + (pos - e.start()), (int) readDouble(b, pos), 0});
                }
            }
            if (m.filesize() >= e.start() && m.filesize() < e.end()) {
                patches.add(new int[] {p + (m.filesize() - e.start()), 0, 1});
            }
            p += e.end() - e.start();
        }
    }

    /** An entry the rewrite drops: the key {@code AIGC}, or any string value that is a record. */
    private static boolean dropped(byte[] b, Entry e) {
        if (e.key().equalsIgnoreCase(KEY)) {
            return true;
        }
        String text = string(b, e);
        return text != null && LabelParser.parse(text).isPresent();
    }

    /** The AMF0 data of an onMetaData tag: the name, then an ECMA array of the kept entries and, when given, the record. */
    private static byte[] onMetaData(List<Entry> entries, byte[] b, byte[] json) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.write(0x02);
        writeU16(d, 10);
        d.writeBytes("onMetaData".getBytes(StandardCharsets.ISO_8859_1));
        d.write(0x08);
        List<Entry> kept = entries.stream().filter(e -> !dropped(b, e)).toList();
        writeU32(d, kept.size() + (json == null ? 0 : 1));
        for (Entry e : kept) {
            d.write(b, e.start(), e.end() - e.start());
        }
        if (json != null) {
            writeU16(d, KEY.length());
            d.writeBytes(KEY.getBytes(StandardCharsets.ISO_8859_1));
            if (json.length <= 0xFFFF) {
                d.write(0x02);
                writeU16(d, json.length);
            } else {
                d.write(0x0C);
                writeU32(d, json.length);
            }
            d.writeBytes(json);
        }
        d.write(0);
        d.write(0);
        d.write(0x09);
        return d.toByteArray();
    }

    /** A script tag with {@code data} at time 0 (as onMetaData is), and its PreviousTagSize. */
    private static byte[] scriptTag(byte[] data) {
        if (data.length > 0xFFFFFF) {
            throw AigcmarkException.limit("the onMetaData tag would pass the FLV tag size limit of 16 MiB");
        }
        byte[] t = new byte[11 + data.length + 4];
        t[0] = 18;
        t[1] = (byte) (data.length >>> 16);
        t[2] = (byte) (data.length >>> 8);
        t[3] = (byte) data.length;
        // timestamp 0, stream id 0
        System.arraycopy(data, 0, t, 11, data.length);
        int total = 11 + data.length;
        t[t.length - 4] = (byte) (total >>> 24);
        t[t.length - 3] = (byte) (total >>> 16);
        t[t.length - 2] = (byte) (total >>> 8);
        t[t.length - 1] = (byte) total;
        return t;
    }

    /** The tags; damage goes to {@code scan}. */
    static List<Tag> tags(byte[] b, ContainerScan scan) {
        List<Tag> out = new ArrayList<>();
        if (b.length < 13 || b[0] != 'F' || b[1] != 'L' || b[2] != 'V') {
            scan.damage().add("the FLV header is cut short or missing");
            return out;
        }
        long headerSize = be(b, 5, 4);
        if (headerSize < 9 || headerSize + 4 > b.length) {
            scan.damage().add("the FLV header declares " + headerSize + " bytes (truncated or damaged)");
            return out;
        }
        int p = (int) headerSize + 4; // the header, then PreviousTagSize0
        while (p < b.length) {
            if (out.size() >= MAX_TAGS) {
                scan.damage().add("more than " + MAX_TAGS + " FLV tags");
                return out;
            }
            if (p + 11 > b.length) {
                scan.damage().add("an FLV tag header at byte " + p + " is cut short (truncated)");
                return out;
            }
            int size = (int) be(b, p + 1, 3);
            long end = (long) p + 11 + size + 4;
            if (end > b.length) {
                scan.damage().add("the FLV tag at byte " + p + " declares " + size + " bytes, past the end of the file (truncated)");
                return out;
            }
            out.add(new Tag(b[p] & 0x1F, p, p + 11, size, (int) end));
            p = (int) end;
        }
        return out;
    }

    /** The onMetaData entries of a script tag, or null when the tag is another script (e.g. onCuePoint). */
    static MetaData metaData(byte[] b, Tag t) {
        Amf a = new Amf(b, t.dataStart(), t.dataStart() + t.size());
        if (a.u8() != 0x02) {
            return null;
        }
        String name = a.shortString();
        if (!name.equals("onMetaData")) {
            return null;
        }
        int arrayStart = a.p;
        int kind = a.u8();
        if (kind == 0x08) {
            a.u32(); // the count is advisory: the end marker ends the array
        } else if (kind != 0x03) {
            throw AigcmarkException.corrupt("onMetaData is not an object or ECMA array (AMF0 type " + kind + ")");
        }
        List<Entry> entries = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        int[] filesize = {-1};
        while (true) {
            int start = a.p;
            int keyLen = a.u16();
            if (keyLen == 0) {
                if (a.u8() != 0x09) {
                    throw AigcmarkException.corrupt("an empty key without the AMF0 object end marker");
                }
                break;
            }
            a.p = start;
            String key = a.shortString();
            int valueStart = a.p;
            if (key.equals("keyframes")) {
                a.skipValue(0, positions, "keyframes");
            } else {
                if (a.p < a.end && (b[a.p] & 0xFF) == 0x00 && key.equals("filesize")) {
                    filesize[0] = a.p + 1;
                } else if (a.p < a.end && (b[a.p] & 0xFF) == 0x00 && key.equals("lastkeyframelocation")) {
                    positions.add(a.p + 1); // an absolute position too (ffmpeg's add_keyframe_index)
                }
                a.skipValue(0, null, null);
            }
            entries.add(new Entry(key, start, valueStart, a.p));
            if (entries.size() > MAX_VALUES) {
                throw AigcmarkException.limit("more than " + MAX_VALUES + " onMetaData entries");
            }
        }
        return new MetaData(t, arrayStart, List.copyOf(entries), List.copyOf(positions), filesize[0], a.p);
    }

    /** An entry's value as text when it is an AMF0 string or long string, else null. */
    private static String string(byte[] b, Entry e) {
        int type = b[e.valueStart()] & 0xFF;
        if (type == 0x02) {
            int n = (int) be(b, e.valueStart() + 1, 2);
            return new String(b, e.valueStart() + 3, n, StandardCharsets.UTF_8);
        }
        if (type == 0x0C) {
            long n = be(b, e.valueStart() + 1, 4);
            return n > 4 * LabelParser.MAX_LENGTH ? null : new String(b, e.valueStart() + 5, (int) n, StandardCharsets.UTF_8);
        }
        return null;
    }

    private static Optional<Double> number(byte[] b, Entry e) {
        return (b[e.valueStart()] & 0xFF) == 0x00 ? Optional.of(readDouble(b, e.valueStart() + 1)) : Optional.empty();
    }

    /** A bounded AMF0 reader over [p, end). */
    private static final class Amf {
        final byte[] b;
        int p;
        final int end;
        int values;

        Amf(byte[] b, int p, int end) {
            this.b = b;
            this.p = p;
            this.end = end;
        }

        void need(long n) {
            if (p + n > end) {
                throw AigcmarkException.corrupt("the AMF0 data runs past its tag");
            }
        }

        int u8() {
            need(1);
            return b[p++] & 0xFF;
        }

        int u16() {
            need(2);
            int v = (int) be(b, p, 2);
            p += 2;
            return v;
        }

        long u32() {
            need(4);
            long v = be(b, p, 4);
            p += 4;
            return v;
        }

        String shortString() {
            int n = u16();
            need(n);
            String s = new String(b, p, n, StandardCharsets.UTF_8);
            p += n;
            return s;
        }

        /** Skips one value; numbers inside {@code keyframes.filepositions} are added to {@code positions}. */
        void skipValue(int depth, List<Integer> positions, String path) {
            if (depth > MAX_DEPTH) {
                throw AigcmarkException.limit("AMF0 values nested deeper than " + MAX_DEPTH);
            }
            if (++values > MAX_VALUES) {
                throw AigcmarkException.limit("more than " + MAX_VALUES + " AMF0 values");
            }
            int type = u8();
            switch (type) {
                case 0x00 -> {
                    need(8);
                    if (positions != null && path.equals("keyframes/filepositions")) {
                        positions.add(p);
                    }
                    p += 8;
                }
                case 0x01 -> {
                    need(1);
                    p += 1;
                }
                case 0x02 -> {
                    int n = u16();
                    need(n);
                    p += n;
                }
                case 0x0C -> {
                    long n = u32();
                    need(n);
                    p += (int) n;
                }
                case 0x05, 0x06 -> { }
                case 0x07 -> {
                    need(2);
                    p += 2;
                }
                case 0x0B -> {
                    need(10);
                    p += 10;
                }
                case 0x03, 0x08 -> {
                    if (type == 0x08) {
                        u32();
                    }
                    while (true) {
                        int keyLen = u16();
                        if (keyLen == 0) {
                            if (u8() != 0x09) {
                                throw AigcmarkException.corrupt("an empty AMF0 key without the object end marker");
                            }
                            return;
                        }
                        p -= 2;
                        String key = shortString();
                        skipValue(depth + 1, positions, path == null ? null : path + "/" + key.toLowerCase(Locale.ROOT));
                    }
                }
                case 0x0A -> {
                    long n = u32();
                    if (n > MAX_VALUES) {
                        throw AigcmarkException.limit("an AMF0 array of " + n + " values");
                    }
                    for (long i = 0; i < n; i++) {
                        skipValue(depth + 1, positions, path);
                    }
                }
                default -> throw AigcmarkException.corrupt("unknown AMF0 type " + type);
            }
        }
    }

    static long be(byte[] b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (b[p + i] & 0xFF);
        }
        return v;
    }

    private static double readDouble(byte[] b, int p) {
        return Double.longBitsToDouble(be(b, p, 8));
    }

    private static void putDouble(byte[] b, int p, double v) {
        long bits = Double.doubleToLongBits(v);
        for (int i = 0; i < 8; i++) {
            b[p + i] = (byte) (bits >>> (56 - 8 * i));
        }
    }

    private static void writeU16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8 & 0xFF);
        out.write(v & 0xFF);
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24) & 0xFF);
        out.write((int) (v >>> 16) & 0xFF);
        out.write((int) (v >>> 8) & 0xFF);
        out.write((int) v & 0xFF);
    }
}
