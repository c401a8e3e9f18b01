package org.aigcmark.format.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.label.LabelParser;

/**
 * A Vorbis comment list (FLAC's VORBIS_COMMENT block, the Ogg Vorbis and Opus comment headers): the vendor string and
 * {@code KEY=value} entries, little-endian lengths each checked against what remains. The record is the entry
 * {@code AIGC=<JSON>} (TC260-PG-202510A); an entry under another key whose value is a record ({@code COMMENT},
 * {@code DESCRIPTION}) is read too and replaced on write.
 */
final class VorbisComments {
    static final String KEY = "AIGC";

    /** One entry: its raw bytes {@code [off, off + len)} (without the length prefix), key and value. */
    record Entry(int off, int len, String key, String value, boolean record) {}

    /** The parsed list: vendor, entries, and where the list ends (a header's framing bit or Opus padding follow). */
    record List_(byte[] vendor, List<Entry> entries, int end) {}

    private VorbisComments() {}

    /**
     * Reads the list at {@code [off, end)}; null and damage in {@code scan} when a length runs past {@code end}.
     * Slots and hints go to {@code scan} under {@code prefix} ({@code flac-comment}, {@code ogg-comment}).
     */
    static List_ read(byte[] b, int off, int end, String prefix, ContainerScan scan) {
        if (off + 4 > end) {
            scan.damage().add(prefix + ": the comment list is cut short");
            return null;
        }
        long vendorLen = u32(b, off);
        if (off + 4 + vendorLen + 4 > end) {
            scan.damage().add(prefix + ": the vendor string declares " + vendorLen + " bytes, past the end of the comments");
            return null;
        }
        byte[] vendor = java.util.Arrays.copyOfRange(b, off + 4, off + 4 + (int) vendorLen);
        int p = off + 4 + (int) vendorLen;
        long count = u32(b, p);
        p += 4;
        if (count > (end - p) / 4) {
            scan.damage().add(prefix + ": " + count + " comments declared, more than " + (end - p) + " bytes can hold");
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        int texts = 0;
        for (long i = 0; i < count; i++) {
            if (p + 4 > end) {
                scan.damage().add(prefix + ": comment " + i + " is cut short");
                return null;
            }
            long len = u32(b, p);
            if (p + 4 + len > end) {
                scan.damage().add(prefix + ": comment " + i + " declares " + len + " bytes, past the end of the comments");
                return null;
            }
            int s = p + 4;
            int eq = -1;
            for (int k = s; k < s + len && k < s + 256; k++) {
                if (b[k] == '=') {
                    eq = k;
                    break;
                }
            }
            String key = eq < 0 ? "" : new String(b, s, eq - s, StandardCharsets.US_ASCII);
            String value = null;
            boolean record = false;
            boolean named = key.equalsIgnoreCase(KEY);
            if (eq >= 0 && len - (eq + 1 - s) <= 4L * LabelParser.MAX_LENGTH) {
                value = new String(b, eq + 1, (int) (s + len - eq - 1), StandardCharsets.UTF_8);
                record = LabelParser.parse(value).isPresent();
                if ((record || named) && ++texts > Limits.MAX_METADATA_PACKETS) {
                    scan.damage().add(prefix + ": more than " + Limits.MAX_METADATA_PACKETS + " records; the rest are not read");
                    return null;
                }
                if (record) {
                    scan.addSlot(prefix + ":" + key, value);
                } else if (named) {
                    scan.notes().add(prefix + ":" + key + " is not a readable AIGC record");
                } else if (key.equalsIgnoreCase("ENCODER") && !value.isBlank()) {
                    scan.addHint(ContainerScan.HintKind.GENERATOR, prefix + ":" + key, value);
                }
            }
            entries.add(new Entry(s, (int) len, key, value, record || named));
            p = s + (int) len;
        }
        return new List_(vendor, entries, p);
    }

    /** The list's bytes with the record entries dropped and, when {@code json} is given, {@code AIGC=json} added. */
    static byte[] rewrite(byte[] b, List_ list, String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(list.end() + 256);
        writeU32(out, list.vendor().length);
        out.write(list.vendor(), 0, list.vendor().length);
        List<Entry> kept = list.entries().stream().filter(e -> !e.record()).toList();
        writeU32(out, kept.size() + (json == null ? 0 : 1));
        for (Entry e : kept) {
            writeU32(out, e.len());
            out.write(b, e.off(), e.len());
        }
        if (json != null) {
            byte[] entry = (KEY + "=" + json).getBytes(StandardCharsets.UTF_8);
            writeU32(out, entry.length);
            out.write(entry, 0, entry.length);
        }
        return out.toByteArray();
    }

    /** A new list holding only the record, with {@code vendor} as its vendor string. */
    static byte[] fresh(String vendor, String json) {
        byte[] v = vendor.getBytes(StandardCharsets.UTF_8);
        byte[] entry = (KEY + "=" + json).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(v.length + entry.length + 12);
        writeU32(out, v.length);
        out.write(v, 0, v.length);
        writeU32(out, 1);
        writeU32(out, entry.length);
        out.write(entry, 0, entry.length);
        return out.toByteArray();
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        out.write((int) v & 0xFF);
        out.write((int) (v >>> 8) & 0xFF);
        out.write((int) (v >>> 16) & 0xFF);
        out.write((int) (v >>> 24) & 0xFF);
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
