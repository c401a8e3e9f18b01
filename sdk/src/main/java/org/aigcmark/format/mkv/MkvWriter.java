package org.aigcmark.format.mkv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.aigcmark.AigcmarkException;
import org.aigcmark.label.LabelParser;

/**
 * Writes the record into a Matroska/WebM file without moving any cluster, cue or other element: a new
 * {@code Tags} element (the old ones' other tags kept, their AIGC tags dropped) goes, in order of preference,
 * where the old {@code Tags} was (using a {@code Void} after it), into a level-1 {@code Void} before the first
 * cluster, or at the end of the Segment. Space given up becomes {@code Void}. When Tags moves, the
 * {@code SeekHead} entry follows (using the {@code Void} after the SeekHead to grow), CRC-32 elements are
 * recomputed, and a known Segment size is updated in its existing size field.
 */
final class MkvWriter {
    static final int SEEK_HEAD = 0x114D9B74;
    static final int SEEK = 0x4DBB;
    static final int SEEK_ID = 0x53AB;
    static final int SEEK_POSITION = 0x53AC;
    static final int VOID = 0xEC;
    static final int CRC32_ID = 0xBF;
    static final int TARGETS = 0x63C0;
    static final byte[] TAGS_ID = {0x12, 0x54, (byte) 0xC3, 0x67};

    /** A level-1 element of the Segment: header and extent. */
    record El(int id, int start, int dataStart, int end) {}

    private final byte[] b;
    private int segStart;
    private int segDataStart;
    private int segSizeLen;
    private boolean segUnknown;
    private int segEnd;
    private final List<El> level1 = new ArrayList<>();

    private MkvWriter(byte[] b) {
        this.b = b;
    }

    static byte[] write(byte[] b, String json) {
        MkvWriter w = new MkvWriter(b);
        w.parse();
        return w.rewrite(json);
    }

    // ---------------------------------------------------------------- layout

    private void parse() {
        int[] h = header(0, b.length);
        int p = h[1] + (int) size(h);
        while (p < b.length) {
            h = header(p, b.length);
            if (h[0] == MkvHandler.SEGMENT) {
                break;
            }
            p = h[1] + (int) size(h);
        }
        if (p >= b.length) {
            throw AigcmarkException.corrupt("no Segment element");
        }
        segStart = p;
        segDataStart = h[1];
        segSizeLen = h[1] - p - 4;
        segUnknown = h[2] < 0;
        segEnd = segUnknown ? b.length : segDataStart + (int) h[2];
        int q = segDataStart;
        while (q < segEnd) {
            int[] c = header(q, segEnd);
            int end;
            if (c[2] < 0) {
                if (c[0] != MkvHandler.CLUSTER) {
                    throw unsupported(String.format("a level-1 element 0x%X of unknown size", c[0]));
                }
                end = clusterEnd(c[1]);
            } else {
                end = c[1] + c[2];
            }
            level1.add(new El(c[0], q, c[1], end));
            q = end;
        }
    }

    private int clusterEnd(int p) {
        while (p < segEnd) {
            int[] c = header(p, segEnd);
            if (MkvHandler.SEGMENT_LEVEL.contains(c[0]) || c[2] < 0) {
                return p;
            }
            p = c[1] + c[2];
        }
        return segEnd;
    }

    /** {id, dataStart, size or -1 when unknown}; the walk in {@link MkvHandler} has already vetted the file. */
    private int[] header(int p, int limit) {
        int idLen = vintLength(p);
        int id = 0;
        for (int i = 0; i < idLen; i++) {
            id = (id << 8) | (b[p + i] & 0xFF);
        }
        int sp = p + idLen;
        int sizeLen = vintLength(sp);
        long size = b[sp] & (0xFF >> sizeLen);
        boolean allOnes = size == (0xFF >> sizeLen);
        for (int i = 1; i < sizeLen; i++) {
            size = (size << 8) | (b[sp + i] & 0xFF);
            allOnes &= (b[sp + i] & 0xFF) == 0xFF;
        }
        int dataStart = sp + sizeLen;
        if (!allOnes && size > limit - dataStart) {
            throw AigcmarkException.corrupt(String.format("element 0x%X at byte %d is larger than its parent", id, p));
        }
        return new int[] {id, dataStart, allOnes ? -1 : (int) size};
    }

    private static long size(int[] h) {
        return h[2];
    }

    private int vintLength(int p) {
        int first = b[p] & 0xFF;
        if (first == 0) {
            throw AigcmarkException.corrupt("bad EBML variable-length integer at byte " + p);
        }
        return Integer.numberOfLeadingZeros(first) - 23;
    }

    // ---------------------------------------------------------------- rewrite

    private byte[] rewrite(String json) {
        List<El> tags = level1.stream().filter(e -> e.id() == MkvHandler.TAGS).toList();
        byte[] newTags = buildTags(tags, json);
        El seekHead = level1.stream().filter(e -> e.id() == SEEK_HEAD).findFirst().orElse(null);
        El seekVoid = seekHead == null ? null : next(seekHead, VOID);
        int tagsAt = -1;
        int tagsEnd = -1;
        // 1. Where the first Tags was, with the Voids right after it.
        if (!tags.isEmpty() && fits(newTags.length, voidRunEnd(tags.get(0)) - tags.get(0).start())) {
            tagsAt = tags.get(0).start();
            tagsEnd = voidRunEnd(tags.get(0));
        }
        // 2. A level-1 Void before the first cluster (not the one the SeekHead may need to grow into).
        for (int i = 0; tagsAt < 0 && i < level1.size() && level1.get(i).id() != MkvHandler.CLUSTER; i++) {
            El e = level1.get(i);
            if (e.id() == VOID && e != seekVoid && fits(newTags.length, e.end() - e.start())) {
                tagsAt = e.start();
                tagsEnd = e.end();
            }
        }
        boolean append = tagsAt < 0;
        if (append && segEnd != b.length) {
            throw unsupported("the Segment is not the last element of the file, so Tags cannot be appended to it");
        }
        // Sized for the append up front, so the file is copied once.
        byte[] out = Arrays.copyOf(b, append ? b.length + newTags.length : b.length);
        if (append) {
            tagsAt = b.length;
            System.arraycopy(newTags, 0, out, b.length, newTags.length);
        } else {
            put(out, tagsAt, tagsEnd, newTags);
        }
        for (El t : tags) {
            if (t.start() != tagsAt) {
                put(out, t.start(), t.end(), new byte[0]); // an old Tags becomes Void
            }
        }
        boolean moved = tags.isEmpty() || tags.get(0).start() != tagsAt;
        if (moved) {
            if (seekHead == null) {
                if (append) {
                    throw unsupported("the file has no SeekHead, so Tags appended at the end could not be found by players");
                }
            } else {
                byte[] sh = rebuildSeekHead(seekHead, tagsAt - segDataStart);
                int end = seekVoid != null ? seekVoid.end() : seekHead.end();
                if (!fits(sh.length, end - seekHead.start())) {
                    throw unsupported("no room after the SeekHead for the new Tags position");
                }
                put(out, seekHead.start(), end, sh);
            }
        }
        if (!append) {
            return out;
        }
        if (!segUnknown) {
            long newSize = (long) segEnd - segDataStart + newTags.length;
            if (newSize >= (1L << (7 * segSizeLen)) - 1) {
                throw unsupported("the Segment size field is too short for the grown Segment");
            }
            writeVint(out, segStart + 4, segSizeLen, newSize);
        }
        return out;
    }

    /** The end of {@code e} and the level-1 Voids directly after it. */
    private int voidRunEnd(El e) {
        int i = level1.indexOf(e);
        int end = e.end();
        while (i + 1 < level1.size() && level1.get(i + 1).id() == VOID) {
            end = level1.get(++i).end();
        }
        return end;
    }

    private El next(El e, int id) {
        int i = level1.indexOf(e);
        return i + 1 < level1.size() && level1.get(i + 1).id() == id ? level1.get(i + 1) : null;
    }

    /** Whether {@code n} bytes fit in {@code room} with the rest expressible as a Void (none, or at least 2 bytes). */
    private static boolean fits(int n, int room) {
        return n == room || n + 2 <= room;
    }

    /** Writes {@code data} at [from, to) and fills the rest with a Void element. */
    private static void put(byte[] out, int from, int to, byte[] data) {
        System.arraycopy(data, 0, out, from, data.length);
        int rest = to - from - data.length;
        if (rest == 0) {
            return;
        }
        int p = from + data.length;
        Arrays.fill(out, p, to, (byte) 0);
        out[p] = (byte) VOID;
        if (rest - 2 <= 126) {
            out[p + 1] = (byte) (0x80 | (rest - 2));
        } else {
            writeVint(out, p + 1, 8, rest - 9);
        }
    }

    private static void writeVint(byte[] out, int p, int len, long v) {
        for (int i = len - 1; i >= 0; i--) {
            out[p + i] = (byte) v;
            v >>>= 8;
        }
        out[p] |= (byte) (0x80 >> (len - 1));
    }

    // ---------------------------------------------------------------- elements

    private byte[] buildTags(List<El> oldTags, String json) {
        boolean crc = false;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] simple = element(MkvHandler.SIMPLE_TAG, element(MkvHandler.TAG_NAME, "AIGC".getBytes(StandardCharsets.UTF_8)),
                element(MkvHandler.TAG_STRING, json.getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(element(MkvHandler.TAG, element(TARGETS), simple)); // a global tag: empty Targets
        for (El t : oldTags) {
            for (int[] c : children(t.dataStart(), t.end())) {
                if (c[0] == CRC32_ID) {
                    crc = true;
                } else if (c[0] == MkvHandler.TAG) {
                    byte[] kept = keptTag(c);
                    if (kept != null) {
                        body.writeBytes(kept);
                    }
                }
            }
        }
        return master(MkvHandler.TAGS, body.toByteArray(), crc);
    }

    /** A Tag without its label SimpleTags, or null when none of its SimpleTags remain. */
    private byte[] keptTag(int[] tag) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int simples = 0;
        int keptSimples = 0;
        for (int[] c : children(tag[1], tag[1] + tag[2])) {
            if (c[0] == MkvHandler.SIMPLE_TAG) {
                simples++;
                if (isLabelTag(c)) {
                    continue;
                }
                keptSimples++;
            } else if (c[0] == VOID || c[0] == CRC32_ID) {
                continue;
            }
            body.write(b, c[3], c[1] + c[2] - c[3]);
        }
        if (simples > 0 && keptSimples == 0) {
            return null;
        }
        return element(MkvHandler.TAG, body.toByteArray());
    }

    private boolean isLabelTag(int[] simpleTag) {
        String name = null;
        String value = null;
        for (int[] c : children(simpleTag[1], simpleTag[1] + simpleTag[2])) {
            if (c[0] == MkvHandler.TAG_NAME && c[2] <= MkvHandler.MAX_TEXT) {
                name = new String(b, c[1], c[2], StandardCharsets.UTF_8);
            } else if (c[0] == MkvHandler.TAG_STRING && c[2] <= MkvHandler.MAX_TEXT) {
                value = new String(b, c[1], c[2], StandardCharsets.UTF_8);
            }
        }
        return (name != null && name.toUpperCase(java.util.Locale.ROOT).contains("AIGC"))
                || (value != null && LabelParser.parse(value.replace("\0", "")).isPresent());
    }

    private byte[] rebuildSeekHead(El seekHead, long tagsPosition) {
        boolean crc = false;
        boolean found = false;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int[] c : children(seekHead.dataStart(), seekHead.end())) {
            if (c[0] == CRC32_ID) {
                crc = true;
                continue;
            }
            if (c[0] == SEEK && seeksTags(c)) {
                if (!found) {
                    body.writeBytes(seekEntry(tagsPosition));
                    found = true;
                }
                continue;
            }
            if (c[0] != VOID) {
                body.write(b, c[3], c[1] + c[2] - c[3]);
            }
        }
        if (!found) {
            body.writeBytes(seekEntry(tagsPosition));
        }
        return master(SEEK_HEAD, body.toByteArray(), crc);
    }

    private boolean seeksTags(int[] seek) {
        for (int[] c : children(seek[1], seek[1] + seek[2])) {
            if (c[0] == SEEK_ID && c[2] == 4 && Arrays.equals(b, c[1], c[1] + 4, TAGS_ID, 0, 4)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] seekEntry(long position) {
        int len = 1;
        while (len < 8 && (position >>> (8 * len)) != 0) {
            len++;
        }
        byte[] pos = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            pos[i] = (byte) (position >>> (8 * (len - 1 - i)));
        }
        return element(SEEK, element(SEEK_ID, TAGS_ID), element(SEEK_POSITION, pos));
    }

    /** A master element, with a leading CRC-32 over its other children when {@code crc}. */
    private static byte[] master(int id, byte[] body, boolean crc) {
        if (!crc) {
            return element(id, body);
        }
        CRC32 c = new CRC32();
        c.update(body);
        long v = c.getValue();
        byte[] le = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        return element(id, element(CRC32_ID, le), body);
    }

    /** The direct children of [from, to): {id, dataStart, size, start}. */
    private List<int[]> children(int from, int to) {
        List<int[]> l = new ArrayList<>();
        int p = from;
        while (p < to) {
            int[] h = header(p, to);
            if (h[2] < 0) {
                throw unsupported("an element of unknown size inside Tags or SeekHead");
            }
            l.add(new int[] {h[0], h[1], h[2], p});
            p = h[1] + h[2];
        }
        return l;
    }

    static byte[] element(int id, byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int idLen = (id & 0xFF000000) != 0 ? 4 : (id & 0xFF0000) != 0 ? 3 : (id & 0xFF00) != 0 ? 2 : 1;
        for (int i = idLen - 1; i >= 0; i--) {
            o.write(id >>> (8 * i));
        }
        long n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        int len = 1;
        while (n >= (1L << (7 * len)) - 1) {
            len++;
        }
        byte[] size = new byte[len];
        writeVint(size, 0, len, n);
        o.writeBytes(size);
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** Feeds the digest with Tracks and every Cluster: what a label write never touches. */
    static void digest(byte[] b, MessageDigest md) {
        MkvWriter w = new MkvWriter(b);
        w.parse();
        boolean any = false;
        for (El e : w.level1) {
            if (e.id() == MkvHandler.TRACKS || e.id() == MkvHandler.CLUSTER) {
                md.update(b, e.start(), e.end() - e.start());
                any |= e.id() == MkvHandler.CLUSTER;
            }
        }
        if (!any) {
            throw AigcmarkException.corrupt("the Matroska file has no Cluster: there is no media data to hash");
        }
    }

    private static AigcmarkException unsupported(String why) {
        return new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "cannot add the label to this Matroska file: " + why);
    }
}
