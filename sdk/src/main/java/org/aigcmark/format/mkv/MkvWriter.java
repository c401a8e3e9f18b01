package org.aigcmark.format.mkv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.Limits;
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
    record El(int id, long start, long dataStart, long end) {}

    private final Src b;
    /** The most bytes of one Tags, SeekHead or Cues element held in memory (the media is never held). */
    private long maxHeld = Integer.MAX_VALUE - 16;
    private long segStart;
    private long segDataStart;
    private int segSizeLen;
    private boolean segUnknown;
    private long segEnd;
    private final List<El> level1 = new ArrayList<>();

    private MkvWriter(Src b) {
        this.b = b;
    }

    static byte[] write(byte[] b, String json, Limits limits) {
        return plan(Src.of(b), json, limits).toArray();
    }

    /** Writes the labelled file to {@code out}, reading the input from {@code file}; clusters are copied by range. */
    static void write(org.aigcmark.internal.ChannelSource file, String json, java.nio.channels.WritableByteChannel out,
                      Limits limits) throws java.io.IOException {
        plan(Src.of(file), json, limits).writeTo(file, out);
    }

    /** The output, checked: no SeekHead or Cues position broken that was not broken before. */
    private static Output plan(Src b, String json, Limits limits) {
        MkvWriter w = new MkvWriter(b);
        w.maxHeld = limits.maxSegmentBytes();
        w.parse();
        List<String> before = positionProblems(b);
        Output out = w.rewrite(json);
        List<String> after = positionProblems(out.view());
        if (after.size() > before.size()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL,
                    "the rewritten Matroska file has a broken position: " + after.get(0));
        }
        return out;
    }

    // ---------------------------------------------------------------- layout

    private void parse() {
        long[] h = header(0, b.length());
        long p = skip(h);
        while (p < b.length()) {
            h = header(p, b.length());
            if (h[0] == MkvHandler.SEGMENT) {
                break;
            }
            p = skip(h);
        }
        if (p >= b.length()) {
            throw AigcmarkException.corrupt("no Segment element");
        }
        segStart = p;
        segDataStart = h[1];
        segSizeLen = (int) (h[1] - p - 4);
        segUnknown = h[2] < 0;
        segEnd = segUnknown ? b.length() : segDataStart + h[2];
        long q = segDataStart;
        while (q < segEnd) {
            long[] c = header(q, segEnd);
            long end;
            if (c[2] < 0) {
                if (c[0] != MkvHandler.CLUSTER) {
                    throw unsupported(String.format("a level-1 element 0x%X of unknown size", c[0]));
                }
                end = clusterEnd(c[1]);
            } else {
                end = c[1] + c[2];
            }
            level1.add(new El((int) c[0], q, c[1], end));
            q = end;
        }
    }

    private long clusterEnd(long p) {
        while (p < segEnd) {
            long[] c = header(p, segEnd);
            if (MkvHandler.SEGMENT_LEVEL.contains(c[0]) || c[2] < 0) {
                return p;
            }
            p = c[1] + c[2];
        }
        return segEnd;
    }

    /** {id, dataStart, size or -1 when unknown}; throws CORRUPT_INPUT when the header does not fit in {@code limit}. */
    private long[] header(long p, long limit) {
        int idLen = vintLength(p, limit);
        if (idLen > 4) {
            throw AigcmarkException.corrupt("bad element id at byte " + p);
        }
        int id = Ebml.elementId(b::at, p, idLen);
        long sp = p + idLen;
        int sizeLen = vintLength(sp, limit);
        long size = Ebml.vintValue(b::at, sp, sizeLen);
        boolean allOnes = Ebml.unknownSize(size, sizeLen);
        long dataStart = sp + sizeLen;
        if (!allOnes && size > limit - dataStart) {
            throw AigcmarkException.corrupt(String.format("element 0x%X at byte %d is larger than its parent", id, p));
        }
        return new long[] {id, dataStart, allOnes ? -1 : size};
    }

    /** The end of a top-level element before the Segment (which must have a known size). */
    private static long skip(long[] h) {
        if (h[2] < 0) {
            throw unsupported(String.format("a top-level element 0x%X of unknown size before the Segment", h[0]));
        }
        return h[1] + h[2];
    }

    private int vintLength(long p, long limit) {
        if (p >= limit || p >= b.length()) {
            throw AigcmarkException.corrupt("an element is cut off at byte " + p);
        }
        int len = Ebml.vintLength(b::at, p, limit);
        if (len == 0) {
            throw AigcmarkException.corrupt("bad EBML variable-length integer at byte " + p);
        }
        return len;
    }

    // ---------------------------------------------------------------- rewrite

    private Output rewrite(String json) {
        List<El> tags = level1.stream().filter(e -> e.id() == MkvHandler.TAGS).toList();
        if (level1.stream().filter(e -> e.id() == SEEK_HEAD).count() > 1) {
            throw unsupported("it has two SeekHead elements; only files with one are rewritten");
        }
        byte[] newTags = buildTags(tags, json);
        El seekHead = level1.stream().filter(e -> e.id() == SEEK_HEAD).findFirst().orElse(null);
        El seekVoid = seekHead == null ? null : next(seekHead, VOID);
        long clusterStart = level1.stream().filter(e -> e.id() == MkvHandler.CLUSTER).mapToLong(El::start).findFirst()
                .orElse(Long.MAX_VALUE);
        long tagsAt = -1;
        long tagsEnd = -1;
        boolean tagsFitInPlace = !tags.isEmpty() && fits(newTags.length, voidRunEnd(tags.get(0)) - tags.get(0).start());
        // 1. Where the first Tags was, with the Voids right after it, when that is before the media.
        if (tagsFitInPlace && tags.get(0).start() < clusterStart) {
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
        // 3. Before the media, moving what follows.
        if (tagsAt < 0) {
            Output shifted = insertBeforeClusters(tags, newTags, seekHead, seekVoid);
            if (shifted != null) {
                return shifted;
            }
        }
        // 4. Where the first Tags was, after the media (readers that stop at the first Cluster miss it).
        if (tagsAt < 0 && tagsFitInPlace) {
            tagsAt = tags.get(0).start();
            tagsEnd = voidRunEnd(tags.get(0));
        }
        boolean append = tagsAt < 0;
        if (append && segEnd != b.length()) {
            throw unsupported("the Segment is not the last element of the file, so Tags cannot be appended to it");
        }
        // The input with ranges replaced in place (same lengths), and the Tags appended when nothing had room.
        java.util.TreeMap<Long, Object[]> patches = new java.util.TreeMap<>();
        if (append) {
            tagsAt = b.length();
        } else {
            patches.put(tagsAt, new Object[] {tagsEnd, newTags});
        }
        for (El t : tags) {
            if (t.start() != tagsAt) {
                patches.put(t.start(), new Object[] {t.end(), new byte[0]}); // an old Tags becomes Void
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
                long end = seekVoid != null ? seekVoid.end() : seekHead.end();
                if (!fits(sh.length, end - seekHead.start())) {
                    throw unsupported("no room after the SeekHead for the new Tags position");
                }
                patches.put(seekHead.start(), new Object[] {end, sh});
            }
        }
        Output out = new Output(b);
        long p = 0;
        if (append && !segUnknown) {
            long newSize = segEnd - segDataStart + newTags.length;
            if (newSize >= (1L << (7 * segSizeLen)) - 1) {
                throw unsupported("the Segment size field is too short for the grown Segment");
            }
            out.copy(0, segStart + 4).bytes(vint(segSizeLen, newSize));
            p = segStart + 4 + segSizeLen;
        }
        for (var patch : patches.entrySet()) {
            out.copy(p, patch.getKey());
            long to = (Long) patch.getValue()[0];
            out.padded((byte[]) patch.getValue()[1], to - patch.getKey());
            p = to;
        }
        out.copy(p, b.length());
        if (append) {
            out.bytes(newTags);
        }
        return out;
    }

    /**
     * Puts the new Tags in front of the media, where readers that stop at the first Cluster (exiftool) find it:
     * in place of the first Tags when that precedes the clusters, else just before the first Cluster. Everything
     * after moves; SeekHead and Cues positions are mapped through the new layout (Cues re-encoded until its own
     * size settles) and a known Segment size is rewritten. Returns null when this layout cannot be done safely
     * (clusters carrying their own Position, no room to rewrite the SeekHead), so the caller appends instead.
     */
    private Output insertBeforeClusters(List<El> tags, byte[] newTags, El seekHead, El seekVoid) {
        int firstCluster = -1;
        for (int i = 0; i < level1.size(); i++) {
            if (level1.get(i).id() == MkvHandler.CLUSTER) {
                firstCluster = i;
                break;
            }
        }
        if (firstCluster < 0) {
            return null;
        }
        for (El e : level1) {
            if (e.id() == MkvHandler.CLUSTER && hasClusterPosition(e)) {
                return null; // a Cluster Position would need rewriting inside the media
            }
        }
        El cluster = level1.get(firstCluster);
        // The region the new Tags replaces: the first Tags (and its Voids) when it precedes the clusters.
        El oldFirst = tags.isEmpty() || tags.get(0).start() > cluster.start() ? null : tags.get(0);
        long regionStart = oldFirst != null ? oldFirst.start() : cluster.start();
        long regionEnd = oldFirst != null ? voidRunEnd(oldFirst) : cluster.start();
        long seekStart = seekHead == null ? -1 : seekHead.start();
        long seekEnd = seekHead == null ? -1 : (seekVoid != null ? seekVoid.end() : seekHead.end());
        if (seekHead != null && seekStart < regionEnd && regionStart < seekEnd) {
            return null;
        }
        List<El> cues = level1.stream().filter(e -> e.id() == 0x1C53BB6B).toList();
        byte[][] cuesBytes = new byte[cues.size()][];
        for (int i = 0; i < cues.size(); i++) {
            El c = cues.get(i);
            cuesBytes[i] = b.bytes(c.start(), held(c.end() - c.start(), "Cues"));
        }
        Layout layout = null;
        for (int round = 0; ; round++) {
            layout = layout(cues, cuesBytes, regionStart, regionEnd, newTags.length);
            boolean settled = true;
            for (int i = 0; i < cues.size(); i++) {
                El c = cues.get(i);
                byte[] again = rebuild(new long[] {c.id(), c.dataStart(), c.end() - c.dataStart(), c.start()}, layout.map(), 0);
                if (again.length != cuesBytes[i].length) {
                    settled = false;
                }
                cuesBytes[i] = again;
            }
            if (settled) {
                break;
            }
            if (round == 7) {
                return null;
            }
        }
        byte[] sh = null;
        if (seekHead != null) {
            sh = rebuildSeekHead(seekHead, layout.tagsAt() - segDataStart, layout.map());
            if (!fits(sh.length, seekEnd - seekStart)) {
                return null;
            }
        }
        Output out = new Output(b);
        if (!segUnknown) {
            long newSize = layout.end() - segDataStart;
            if (newSize >= (1L << (7 * segSizeLen)) - 1) {
                return null;
            }
            out.copy(0, segStart + 4).bytes(vint(segSizeLen, newSize)).copy(segStart + 4 + segSizeLen, segDataStart);
        } else {
            out.copy(0, segDataStart);
        }
        for (int i = 0; i < level1.size(); i++) {
            El e = level1.get(i);
            if (e.start() == regionStart) {
                out.bytes(newTags);
            }
            int ci = cues.indexOf(e);
            if (e.start() >= regionStart && e.start() < regionEnd || e == seekVoid) {
                continue; // replaced by the new Tags, or written with the SeekHead
            } else if (ci >= 0) {
                out.bytes(cuesBytes[ci]);
            } else if (e == seekHead) {
                out.padded(sh, seekEnd - seekStart);
            } else if (e.id() == MkvHandler.TAGS) {
                out.padded(new byte[0], e.end() - e.start()); // a later Tags becomes Void
            } else {
                out.copy(e.start(), e.end());
            }
        }
        if (regionStart == segEnd) {
            out.bytes(newTags);
        }
        if (out.length() != layout.end()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "Matroska layout mismatch: " + out.length()
                    + " bytes written where the layout planned " + layout.end());
        }
        out.copy(segEnd, b.length());
        return out;
    }

    /** Whether a Cluster stores its own position (0xA7), which sits among the first children by convention. */
    private boolean hasClusterPosition(El cluster) {
        long p = cluster.dataStart();
        for (int n = 0; n < 4 && p < cluster.end(); n++) {
            long[] h = header(p, cluster.end());
            if (h[0] == 0xA7) {
                return true;
            }
            if (h[0] == 0xA3 || h[0] == 0xA0 || h[2] < 0) {
                return false; // blocks start: the header children are over
            }
            p = h[1] + h[2];
        }
        return false;
    }

    /** Where the first level-1 element with this id starts, or -1 (for tests and diagnostics). */
    static int firstLevel1(byte[] file, int id) {
        MkvWriter w = new MkvWriter(Src.of(file));
        w.parse();
        return (int) w.level1.stream().filter(e -> e.id() == id).mapToLong(El::start).findFirst().orElse(-1);
    }

    /**
     * Problems with the Segment positions of a written file: every SeekHead entry must point at an element with
     * the id it names, every CueClusterPosition at a Cluster. Used to check a write before it is returned.
     */
    static List<String> positionProblems(byte[] file) {
        return positionProblems(Src.of(file));
    }

    static List<String> positionProblems(Src file) {
        MkvWriter w = new MkvWriter(file);
        w.parse();
        List<String> problems = new ArrayList<>();
        for (El e : w.level1) {
            if (e.id() == SEEK_HEAD || e.id() == 0x1C53BB6B) {
                w.checkPositions(new long[] {e.id(), e.dataStart(), e.end() - e.dataStart(), e.start()}, -1, problems, 0);
            }
        }
        return problems;
    }

    private void checkPositions(long[] el, int expectedId, List<String> problems, int depth) {
        if (depth > MkvHandler.MAX_DEPTH) {
            return;
        }
        int seekId = expectedId;
        for (long[] c : children(el[1], el[1] + el[2])) {
            if (c[0] == SEEK_ID && c[2] <= 4) {
                seekId = 0;
                for (int i = 0; i < c[2]; i++) {
                    seekId = (seekId << 8) | b.at(c[1] + i);
                }
            }
        }
        for (long[] c : children(el[1], el[1] + el[2])) {
            if ((c[0] == SEEK_POSITION || c[0] == 0xF1) && c[2] <= 8) {
                long v = 0;
                for (int i = 0; i < c[2]; i++) {
                    v = (v << 8) | b.at(c[1] + i);
                }
                int want = c[0] == 0xF1 ? MkvHandler.CLUSTER : seekId;
                long at = segDataStart + v;
                int found = at >= 0 && at + 4 <= b.length() ? idAt(at) : -1;
                if (found != want) {
                    problems.add(String.format("position %d should hold element 0x%X but holds 0x%X", v, want, found));
                }
            } else if (POSITION_MASTERS.contains((int) c[0])) {
                checkPositions(c, seekId, problems, depth + 1);
            }
        }
    }

    private int idAt(long p) {
        int len = Ebml.vintLength(b.at(p));
        return len == 0 ? -1 : Ebml.elementId(b::at, p, (int) Math.min(len, b.length() - p));
    }

    /** New file offsets: of each level-1 element, of the new Tags, of the Segment end; and the position map. */
    private record Layout(long[] starts, long tagsAt, long end, java.util.function.LongUnaryOperator map) {}

    private Layout layout(List<El> cues, byte[][] cuesBytes, long regionStart, long regionEnd, int tagsLength) {
        long[] starts = new long[level1.size()];
        long p = segDataStart;
        long tagsAt = -1;
        for (int i = 0; i < level1.size(); i++) {
            El e = level1.get(i);
            if (e.start() == regionStart) {
                tagsAt = p;
                p += tagsLength;
            }
            starts[i] = p;
            if (e.start() >= regionStart && e.start() < regionEnd) {
                continue;
            }
            int ci = cues.indexOf(e);
            p += ci >= 0 ? cuesBytes[ci].length : e.end() - e.start();
        }
        long t = tagsAt;
        // Positions are relative to the Segment data; an old position inside the replaced region means the Tags.
        java.util.function.LongUnaryOperator map = rel -> {
            long v = rel + segDataStart;
            if (v >= regionStart && v < regionEnd) {
                return t - segDataStart;
            }
            for (int i = level1.size() - 1; i >= 0; i--) {
                if (v >= level1.get(i).start()) {
                    return starts[i] + (v - level1.get(i).start()) - segDataStart;
                }
            }
            return rel;
        };
        return new Layout(starts, tagsAt, p, map);
    }

    /** The end of {@code e} and the level-1 Voids directly after it. */
    private long voidRunEnd(El e) {
        int i = level1.indexOf(e);
        long end = e.end();
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
    private static boolean fits(long n, long room) {
        return n == room || n + 2 <= room;
    }

    /** {@code v} as a variable-length size of exactly {@code len} bytes. */
    private static byte[] vint(int len, long v) {
        byte[] out = new byte[len];
        writeVint(out, 0, len, v);
        return out;
    }

    /** The length of an element held in memory, capped: Tags, SeekHead and Cues are small in any real file. */
    private int held(long n, String what) {
        if (n > maxHeld) {
            throw AigcmarkException.limit("the Matroska " + what + " element holds " + n + " bytes, over the limit of "
                    + maxHeld + " bytes of metadata held in memory");
        }
        return (int) n;
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
        oldTags.forEach(t -> held(t.end() - t.start(), "Tags"));
        boolean crc = false;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] simple = element(MkvHandler.SIMPLE_TAG, element(MkvHandler.TAG_NAME, "AIGC".getBytes(StandardCharsets.UTF_8)),
                element(MkvHandler.TAG_STRING, json.getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(element(MkvHandler.TAG, element(TARGETS), simple)); // a global tag: empty Targets
        for (El t : oldTags) {
            for (long[] c : children(t.dataStart(), t.end())) {
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
    private byte[] keptTag(long[] tag) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int simples = 0;
        int keptSimples = 0;
        for (long[] c : children(tag[1], tag[1] + tag[2])) {
            if (c[0] == MkvHandler.SIMPLE_TAG) {
                simples++;
                if (isLabelTag(c)) {
                    continue;
                }
                keptSimples++;
            } else if (c[0] == VOID || c[0] == CRC32_ID) {
                continue;
            }
            body.writeBytes(b.bytes(c[3], (int) (c[1] + c[2] - c[3])));
        }
        if (simples > 0 && keptSimples == 0) {
            return null;
        }
        return element(MkvHandler.TAG, body.toByteArray());
    }

    private boolean isLabelTag(long[] simpleTag) {
        String name = null;
        String value = null;
        for (long[] c : children(simpleTag[1], simpleTag[1] + simpleTag[2])) {
            if (c[0] == MkvHandler.TAG_NAME && c[2] <= MkvHandler.MAX_TEXT) {
                name = new String(b.bytes(c[1], (int) c[2]), StandardCharsets.UTF_8);
            } else if (c[0] == MkvHandler.TAG_STRING && c[2] <= MkvHandler.MAX_TEXT) {
                value = new String(b.bytes(c[1], (int) c[2]), StandardCharsets.UTF_8);
            }
        }
        return (name != null && name.toUpperCase(java.util.Locale.ROOT).contains("AIGC"))
                || (value != null && LabelParser.parse(value.replace("\0", "")).isPresent());
    }

    private byte[] rebuildSeekHead(El seekHead, long tagsPosition) {
        return rebuildSeekHead(seekHead, tagsPosition, java.util.function.LongUnaryOperator.identity());
    }

    /** The SeekHead with the Tags entry at {@code tagsPosition} and every other position passed through {@code map}. */
    private byte[] rebuildSeekHead(El seekHead, long tagsPosition, java.util.function.LongUnaryOperator map) {
        boolean crc = false;
        boolean found = false;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        held(seekHead.end() - seekHead.start(), "SeekHead");
        for (long[] c : children(seekHead.dataStart(), seekHead.end())) {
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
            if (c[0] == SEEK) {
                body.writeBytes(rebuild(c, map, 0));
            } else if (c[0] != VOID) {
                body.writeBytes(b.bytes(c[3], (int) (c[1] + c[2] - c[3])));
            }
        }
        if (!found) {
            body.writeBytes(seekEntry(tagsPosition));
        }
        return master(SEEK_HEAD, body.toByteArray(), crc);
    }

    /** Segment positions in SeekHead and Cues: SeekPosition, CueClusterPosition, CueCodecState, CueRefCluster. */
    static final java.util.Set<Integer> POSITIONS = java.util.Set.of(SEEK_POSITION, 0xF1, 0xEA, 0x97);
    /** Masters inside Seek and Cues whose children may hold positions. */
    static final java.util.Set<Integer> POSITION_MASTERS = java.util.Set.of(SEEK, 0xBB, 0xB7, 0xDB);

    /**
     * An element rebuilt with its positions mapped: each position keeps at least its old byte length (so repeated
     * layouts only grow and settle), a CRC-32 child is recomputed, everything else is copied.
     */
    private byte[] rebuild(long[] el, java.util.function.LongUnaryOperator map, int depth) {
        if (depth > MkvHandler.MAX_DEPTH) {
            throw unsupported("positions nested too deep");
        }
        boolean crc = false;
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) el[2] + 16);
        for (long[] c : children(el[1], el[1] + el[2])) {
            if (c[0] == CRC32_ID) {
                crc = true;
            } else if (POSITIONS.contains((int) c[0]) && c[2] <= 8) {
                long v = 0;
                for (int i = 0; i < c[2]; i++) {
                    v = (v << 8) | b.at(c[1] + i);
                }
                long mapped = (c[0] == 0xEA && v == 0) ? 0 : map.applyAsLong(v); // CueCodecState 0: none
                body.writeBytes(element((int) c[0], uint(mapped, (int) c[2])));
            } else if (POSITION_MASTERS.contains((int) c[0])) {
                body.writeBytes(rebuild(c, map, depth + 1));
            } else {
                body.writeBytes(b.bytes(c[3], (int) (c[1] + c[2] - c[3])));
            }
        }
        return master((int) el[0], body.toByteArray(), crc);
    }

    private static byte[] uint(long v, int minLen) {
        int len = 1;
        while (len < 8 && (v >>> (8 * len)) != 0) {
            len++;
        }
        len = Math.max(len, minLen);
        byte[] out = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            out[i] = (byte) (v >>> (8 * (len - 1 - i)));
        }
        return out;
    }

    private boolean seeksTags(long[] seek) {
        for (long[] c : children(seek[1], seek[1] + seek[2])) {
            if (c[0] == SEEK_ID && c[2] == 4 && Arrays.equals(b.bytes(c[1], 4), TAGS_ID)) {
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
    private List<long[]> children(long from, long to) {
        List<long[]> l = new ArrayList<>();
        long p = from;
        while (p < to) {
            long[] h = header(p, to);
            if (h[2] < 0) {
                throw unsupported("an element of unknown size inside Tags or SeekHead");
            }
            l.add(new long[] {h[0], h[1], h[2], p});
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
        digest(Src.of(b), (from, to) -> md.update(b, (int) (long) from, (int) (to - from)));
    }

    /** The ranges {@link #digest(byte[], MessageDigest)} hashes, in order, for a file read from disk. */
    static void digest(Src b, java.util.function.BiConsumer<Long, Long> range) {
        MkvWriter w = new MkvWriter(b);
        w.parse();
        boolean any = false;
        for (El e : w.level1) {
            if (e.id() == MkvHandler.TRACKS || e.id() == MkvHandler.CLUSTER) {
                range.accept(e.start(), e.end());
                any |= e.id() == MkvHandler.CLUSTER;
            }
        }
        if (!any) {
            throw AigcmarkException.corrupt("the Matroska file has no Cluster: there is no media data to hash");
        }
    }

    /** Segment Info's TimestampScale: nanoseconds per timestamp tick, so it sets the playback speed. */
    static final int TIMESTAMP_SCALE = 0x2AD7B1;

    /**
     * The version 2 presentation records (docs/SIGNATURES.md): the TimestampScale of the first Segment Info (its
     * default, 1000000, when absent). The Tracks (codec, sizes, display settings) are in the version 1 bytes already;
     * Info's other children (title, muxing application, dates) are not what a viewer sees in the picture.
     */
    static void presentation(Src b, MessageDigest md) {
        MkvWriter w = new MkvWriter(b);
        w.parse();
        long scale = 1_000_000;
        for (El e : w.level1) {
            if (e.id() == MkvHandler.INFO) {
                long p = e.dataStart();
                while (p < e.end()) {
                    long[] c = w.header(p, e.end());
                    if (c[2] < 0) {
                        break;
                    }
                    if (c[0] == TIMESTAMP_SCALE && c[2] >= 1 && c[2] <= 8) {
                        scale = 0;
                        for (long i = 0; i < c[2]; i++) {
                            scale = scale << 8 | b.at(c[1] + i);
                        }
                    }
                    p = c[1] + c[2];
                }
                break;
            }
        }
        PresentationDigest.add(md, "mkv.timestamp-scale", scale);
    }

    private static AigcmarkException unsupported(String why) {
        return new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "cannot add the label to this Matroska file: " + why);
    }
}
