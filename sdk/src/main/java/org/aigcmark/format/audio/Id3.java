package org.aigcmark.format.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.label.LabelParser;

/**
 * ID3v2 tags (2.2, 2.3, 2.4), for MP3 files and the {@code id3 } chunk of a WAV: where a record sits (a {@code TXXX}
 * frame described {@code AIGC}, in any case, or a {@code TXXX}/{@code COMM} frame whose text is a record) and how to
 * rewrite a tag with exactly one record. Hand-written and bounded: every size is checked against the tag before use.
 */
final class Id3 {
    static final String DESCRIPTION = "AIGC";
    private static final int HEADER = 10;

    private Id3() {}

    /**
     * One frame inside the tag's (de-unsynchronised) body: {@code [off, off + len)} is the whole frame, header
     * included. {@code record} says it holds a label record (and so is replaced on write).
     */
    record Frame(String id, int off, int len, String description, String text, boolean record) {}

    /**
     * A parsed tag: {@code [start, end)} in the file (footer included), its version, flags, de-unsynchronised frame
     * area and frames.
     */
    record Tag(int start, int end, int major, int flags, byte[] body, int framesStart, List<Frame> frames) {
        /** Bytes the frames may take without moving what follows the tag (frames plus padding). */
        int room() {
            return end - start - HEADER - ((flags & 0x10) != 0 && major == 4 ? HEADER : 0);
        }
    }

    /** Whether an ID3v2 header starts at {@code p}. */
    static boolean at(byte[] b, int p) {
        return p + HEADER <= b.length && b[p] == 'I' && b[p + 1] == 'D' && b[p + 2] == '3';
    }

    /**
     * Reads the tag at {@code p}; damage (a size past the end, an unknown version) goes to {@code scan}'s damage and
     * gives null. Record slots and hints are added to {@code scan} under {@code prefix} ({@code id3}, {@code wav-id3}).
     */
    static Tag read(byte[] b, int p, int end, String prefix, ContainerScan scan, Limits limits) {
        return read(b, p, end, 0, b.length, prefix, scan, limits);
    }

    /**
     * As {@link #read(byte[], int, int, String, ContainerScan, Limits)} on a part of a file copied into {@code b}:
     * {@code base} is where {@code b} starts in the file, {@code fileLength} the file's length (for the messages).
     */
    static Tag read(byte[] b, int p, int end, long base, long fileLength, String prefix, ContainerScan scan, Limits limits) {
        long at = base + p;
        if (p + HEADER > end) {
            scan.damage().add(prefix + ": the ID3v2 header is cut short at byte " + at + " (truncated)");
            return null;
        }
        int major = b[p + 3] & 0xFF;
        int flags = b[p + 5] & 0xFF;
        if (major < 2 || major > 4 || (b[p + 4] & 0xFF) == 0xFF) {
            scan.damage().add(prefix + ": ID3v2." + major + " at byte " + at + " is not a version this reader knows (2.2-2.4)");
            return null;
        }
        long size = syncsafe(b, p + 6);
        if (size < 0) {
            scan.damage().add(prefix + ": the ID3v2 tag size at byte " + at + " is not a syncsafe integer (corrupt tag)");
            return null;
        }
        long total = HEADER + size + ((flags & 0x10) != 0 && major == 4 ? HEADER : 0);
        if (p + total > end) {
            scan.damage().add(prefix + ": the ID3v2 tag at byte " + at + " declares " + total + " bytes, past the end of the"
                    + (base + end == fileLength ? " file" : " chunk") + " (truncated)");
            return null;
        }
        if (size > limits.maxSegmentBytes()) {
            scan.damage().add(prefix + ": the ID3v2 tag declares " + size + " bytes, over the limit of " + limits.maxSegmentBytes());
            return null;
        }
        byte[] body = java.util.Arrays.copyOfRange(b, p + HEADER, p + HEADER + (int) size);
        if ((flags & 0x80) != 0 && major < 4) {
            body = unsync(body, 0, body.length); // v2.3 and v2.2: the whole tag is unsynchronised
        }
        int q = 0;
        if ((flags & 0x40) != 0 && major >= 3) {
            if (body.length < 4) {
                scan.damage().add(prefix + ": the ID3v2 extended header is cut short");
                return null;
            }
            long ext = major == 3 ? 4 + u32be(body, 0) : syncsafe(body, 0);
            if (ext < 0 || ext > body.length) {
                scan.damage().add(prefix + ": the ID3v2 extended header declares " + ext + " bytes, past the tag's end");
                return null;
            }
            q = (int) ext;
        }
        List<Frame> frames = new ArrayList<>();
        int framesStart = q;
        int headerLen = major == 2 ? 6 : 10;
        int texts = 0;
        while (q + headerLen <= body.length) {
            if (body[q] == 0) {
                break; // padding
            }
            String id = new String(body, q, major == 2 ? 3 : 4, StandardCharsets.ISO_8859_1);
            if (!id.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                scan.notes().add(prefix + ": an invalid ID3 frame id at byte " + q + " of the tag; the rest of the tag is not read");
                break;
            }
            long len;
            if (major == 2) {
                len = ((body[q + 3] & 0xFF) << 16) | ((body[q + 4] & 0xFF) << 8) | (body[q + 5] & 0xFF);
            } else if (major == 3) {
                len = u32be(body, q + 4);
            } else {
                len = syncsafe(body, q + 4);
                if (len < 0 || q + headerLen + len > body.length) {
                    len = u32be(body, q + 4); // iTunes and others wrote 2.4 frame sizes as plain integers
                }
            }
            if (q + headerLen + len > body.length) {
                scan.damage().add(prefix + ": ID3 frame " + id + " declares " + len + " bytes, past the end of the tag (corrupt tag)");
                return null;
            }
            int frameFlags = major == 2 ? 0 : ((body[q + 8] & 0xFF) << 8) | (body[q + 9] & 0xFF);
            Frame f = decode(body, q, headerLen, (int) len, id, major, flags, frameFlags, prefix, scan);
            if (f.text() != null && ++texts > Limits.MAX_METADATA_PACKETS) {
                scan.damage().add(prefix + ": more than " + Limits.MAX_METADATA_PACKETS + " text frames that could hold a"
                        + " record; the rest are not read");
                return null;
            }
            frames.add(f);
            q += headerLen + (int) len;
        }
        return new Tag(p, (int) (p + total), major, flags, body, framesStart, frames);
    }

    /** The frame at {@code q}, its TXXX/COMM text decoded when it can be (compressed or encrypted frames are not). */
    private static Frame decode(byte[] body, int q, int headerLen, int len, String id, int major, int tagFlags,
                                int frameFlags, String prefix, ContainerScan scan) {
        boolean txxx = id.equals("TXXX") || id.equals("TXX");
        boolean comm = id.equals("COMM") || id.equals("COM");
        boolean software = id.equals("TSSE") || id.equals("TENC") || id.equals("TSS") || id.equals("TEN");
        if (!txxx && !comm && !software) {
            return new Frame(id, q, headerLen + len, null, null, false);
        }
        if (len > 4 * LabelParser.MAX_LENGTH) {
            scan.notes().add(prefix + ": ID3 frame " + id + " holds " + len + " bytes, too long for a record; not read");
            return new Frame(id, q, headerLen + len, null, null, false);
        }
        int d = q + headerLen;
        int dEnd = d + len;
        boolean compressed = major == 3 ? (frameFlags & 0x80) != 0 : major == 4 && (frameFlags & 0x08) != 0;
        boolean encrypted = major == 3 ? (frameFlags & 0x40) != 0 : major == 4 && (frameFlags & 0x04) != 0;
        if (compressed || encrypted) {
            scan.notes().add(prefix + ": ID3 frame " + id + " is " + (compressed ? "compressed" : "encrypted") + "; not read");
            return new Frame(id, q, headerLen + len, null, null, false);
        }
        byte[] data = body;
        if (major == 3 && (frameFlags & 0x20) != 0) {
            d++; // group id
        }
        if (major == 4) {
            if ((frameFlags & 0x40) != 0) {
                d++; // group id
            }
            if ((frameFlags & 0x01) != 0) {
                d += 4; // data length indicator
            }
            if ((frameFlags & 0x02) != 0 || (tagFlags & 0x80) != 0) {
                data = unsync(body, Math.min(d, dEnd), dEnd);
                dEnd = data.length;
                d = 0;
            }
        }
        if (d >= dEnd) {
            return new Frame(id, q, headerLen + len, null, null, false);
        }
        int enc = data[d] & 0xFF;
        Charset cs = charset(enc);
        if (cs == null) {
            scan.notes().add(prefix + ": ID3 frame " + id + " has an unknown text encoding " + enc);
            return new Frame(id, q, headerLen + len, null, null, false);
        }
        int p = d + 1;
        if (comm) {
            p += 3; // language
        }
        String description = "";
        if (txxx || comm) {
            int t = terminator(data, Math.min(p, dEnd), dEnd, enc);
            description = p < t ? strip(new String(data, p, t - p, cs)) : "";
            p = Math.min(dEnd, t + (enc == 1 || enc == 2 ? 2 : 1));
        }
        String text = p < dEnd ? strip(new String(data, p, dEnd - p, cs)) : "";
        if (software) {
            if (!text.isBlank()) {
                scan.addHint(ContainerScan.HintKind.GENERATOR, prefix + ":" + id, text);
            }
            return new Frame(id, q, headerLen + len, null, null, false);
        }
        boolean named = txxx && description.equalsIgnoreCase(DESCRIPTION) || comm && description.equalsIgnoreCase(DESCRIPTION);
        boolean record = LabelParser.parse(text).isPresent();
        String source = prefix + ":" + id + (description.isEmpty() ? "" : ":" + description);
        if (record) {
            scan.addSlot(source, text);
        } else if (named) {
            scan.notes().add(source + " is not a readable AIGC record");
        }
        return new Frame(id, q, headerLen + len, description, text, record || named);
    }

    /**
     * The tag rewritten with its record frames dropped and, when {@code json} is given, one {@code TXXX:AIGC} frame
     * added ({@code TXX} in an ID3v2.2 tag, which keeps its version). The tag keeps its size when the frames fit its
     * room (what follows does not move). A compressed ID3v2.2 tag (flag bit 6; no scheme was ever defined) is refused.
     */
    static byte[] rewrite(Tag t, String json, String name) {
        if (t.major() == 2 && (t.flags() & 0x40) != 0) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, name + " has a compressed ID3v2.2 tag,"
                    + " which no reader can decode; remove or convert the tag first (e.g. eyeD3 --to-v2.4)");
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream(t.body().length + 512);
        for (Frame f : t.frames()) {
            if (!f.record()) {
                frames.write(t.body(), f.off(), f.len());
            }
        }
        if (json != null) {
            byte[] frame = txxx(t.major(), json);
            frames.write(frame, 0, frame.length);
        }
        // v2.3 unsynchronisation was undone on read, so that flag goes; footer and extended header (a CRC over the
        // old frames) are dropped; v2.4's tag-wide flag stays: a record holds no 0xFF byte to unsynchronise.
        int flags = t.major() == 4 ? t.flags() & 0x80 : 0;
        int size = Math.max(frames.size(), t.room());
        return tag(t.major(), flags, frames.toByteArray(), size);
    }

    /** A new ID3v2.4 tag holding only the record. */
    static byte[] newTag(String json) {
        byte[] frame = txxx(4, json);
        return tag(4, 0, frame, frame.length);
    }

    private static byte[] tag(int major, int flags, byte[] frames, int size) {
        byte[] out = new byte[HEADER + size];
        out[0] = 'I';
        out[1] = 'D';
        out[2] = '3';
        out[3] = (byte) major;
        out[5] = (byte) flags;
        putSyncsafe(out, 6, size);
        System.arraycopy(frames, 0, out, HEADER, frames.length);
        return out; // the rest is zero padding
    }

    /**
     * A TXXX frame described {@code AIGC}: UTF-8 in 2.4, ISO-8859-1 (or UTF-16 beyond Latin-1) in 2.3 and in 2.2, where
     * it is {@code TXX} with a 6-byte header (3-byte id, 24-bit size; ID3v2.2 §3.2, §4.2.2).
     */
    static byte[] txxx(int major, String json) {
        boolean latin = json.chars().allMatch(c -> c < 0x100);
        int enc = major == 4 ? 3 : latin ? 0 : 1;
        ByteArrayOutputStream d = new ByteArrayOutputStream(json.length() * 2 + 16);
        d.write(enc);
        Charset cs = charset(enc);
        byte[] desc = DESCRIPTION.getBytes(cs);
        d.write(desc, 0, desc.length);
        d.write(0);
        if (enc == 1) {
            d.write(0);
        }
        byte[] value = json.getBytes(cs);
        d.write(value, 0, value.length);
        byte[] data = d.toByteArray();
        if (major == 2) {
            byte[] f = new byte[6 + data.length];
            f[0] = 'T';
            f[1] = 'X';
            f[2] = 'X';
            f[3] = (byte) (data.length >>> 16);
            f[4] = (byte) (data.length >>> 8);
            f[5] = (byte) data.length;
            System.arraycopy(data, 0, f, 6, data.length);
            return f;
        }
        byte[] f = new byte[10 + data.length];
        f[0] = 'T';
        f[1] = 'X';
        f[2] = 'X';
        f[3] = 'X';
        if (major == 4) {
            putSyncsafe(f, 4, data.length);
        } else {
            f[4] = (byte) (data.length >>> 24);
            f[5] = (byte) (data.length >>> 16);
            f[6] = (byte) (data.length >>> 8);
            f[7] = (byte) data.length;
        }
        System.arraycopy(data, 0, f, 10, data.length);
        return f;
    }

    private static Charset charset(int enc) {
        return switch (enc) {
            case 0 -> StandardCharsets.ISO_8859_1;
            case 1 -> StandardCharsets.UTF_16; // with BOM
            case 2 -> StandardCharsets.UTF_16BE;
            case 3 -> StandardCharsets.UTF_8;
            default -> null;
        };
    }

    /** The offset of the string terminator (one NUL, or two aligned for UTF-16), or {@code end}. */
    private static int terminator(byte[] b, int from, int end, int enc) {
        if (enc == 1 || enc == 2) {
            for (int i = from; i + 1 < end; i += 2) {
                if (b[i] == 0 && b[i + 1] == 0) {
                    return i;
                }
            }
            return end;
        }
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return end;
    }

    /** Trailing NULs (terminators some writers add) removed. */
    private static String strip(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == 0) {
            e--;
        }
        return s.substring(0, e);
    }

    /** Undoes ID3 unsynchronisation: every {@code FF 00} becomes {@code FF}. */
    static byte[] unsync(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            out.write(b[i]);
            if ((b[i] & 0xFF) == 0xFF && i + 1 < to && b[i + 1] == 0) {
                i++;
            }
        }
        return out.toByteArray();
    }

    /** A 28-bit syncsafe integer, or -1 when a byte has its top bit set. */
    static long syncsafe(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int x = b[p + i] & 0xFF;
            if (x >= 0x80) {
                return -1;
            }
            v = (v << 7) | x;
        }
        return v;
    }

    private static void putSyncsafe(byte[] b, int p, int v) {
        b[p] = (byte) ((v >>> 21) & 0x7F);
        b[p + 1] = (byte) ((v >>> 14) & 0x7F);
        b[p + 2] = (byte) ((v >>> 7) & 0x7F);
        b[p + 3] = (byte) (v & 0x7F);
    }

    private static long u32be(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
