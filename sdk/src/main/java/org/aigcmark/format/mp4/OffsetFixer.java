package org.aigcmark.format.mp4;

import org.aigcmark.AigcmarkException;

/**
 * Moves the absolute file offsets of a rewritten MP4 with the boxes they point into. Offsets kept in the file:
 * {@code stco} and {@code co64} chunk offsets and {@code saio} offsets of every self-contained track, an explicit
 * {@code tfhd} base data offset in movie fragments, and {@code tfra} fragment offsets. Offsets relative to a
 * fragment or to a {@code sidx} box move with those boxes and need nothing. An offset that would point into a
 * rewritten box, or a 32-bit offset that would overflow, stops the write: the file would not play.
 */
final class OffsetFixer {
    private final String[] type;
    private final long[] oldStart;
    private final long[] oldEnd;
    private final long[] newStart;
    private final boolean[] rewritten;
    private final long oldLength;
    private final long newLength;

    /**
     * The input's top-level boxes ({@code type}, {@code oldStart}, {@code oldEnd}, in file order), where each
     * starts in the output, and which were rewritten (offsets into those cannot be moved).
     */
    OffsetFixer(String[] type, long[] oldStart, long[] oldEnd, long[] newStart, boolean[] rewritten, long oldLength,
                long newLength) {
        this.type = type;
        this.oldStart = oldStart;
        this.oldEnd = oldEnd;
        this.newStart = newStart;
        this.rewritten = rewritten;
        this.oldLength = oldLength;
        this.newLength = newLength;
    }

    /** For a file rewritten in memory. */
    static OffsetFixer of(Boxes old, int[] newStart, boolean[] rewritten, int newLength) {
        int n = old.top.size();
        String[] type = new String[n];
        long[] start = new long[n];
        long[] end = new long[n];
        long[] to = new long[n];
        for (int i = 0; i < n; i++) {
            Boxes.Box box = old.top.get(i).box();
            type[i] = box.type();
            start[i] = box.start();
            end[i] = box.end();
            to[i] = newStart[i];
        }
        return new OffsetFixer(type, start, end, to, rewritten, old.b.length, newLength);
    }

    /** Whether any box kept as it was starts elsewhere in the output (else no offset needs moving). */
    boolean moved() {
        for (int i = 0; i < newStart.length; i++) {
            if (!rewritten[i] && newStart[i] != oldStart[i]) {
                return true;
            }
        }
        return false;
    }

    /** Whether a top-level box of this type holds absolute offsets. */
    static boolean holdsOffsets(String type) {
        return type.equals("moov") || type.equals("moof") || type.equals("mfra");
    }

    /** Fixes a whole output held in memory. */
    void fix(byte[] out) {
        if (!moved()) {
            return; // the common faststart case with room in 'free', or moov after the media
        }
        Boxes now = Boxes.parse(out);
        if (!now.damage.isEmpty()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "rewritten MP4 does not parse: " + now.damage.get(0));
        }
        for (Boxes.Node n : now.top) {
            fixBox(out, n);
        }
    }

    /** Fixes the offsets in one output top-level box {@code n}, whose offsets index {@code out}. */
    void fixBox(byte[] out, Boxes.Node n) {
        switch (n.type()) {
            case "moov" -> {
                for (Boxes.Node trak : n.all("trak")) {
                    if (!SampleTable.selfContained(out, trak)) {
                        continue; // offsets into another file
                    }
                    Boxes.Node stbl = trak.path("mdia", "minf", "stbl");
                    if (stbl == null) {
                        continue;
                    }
                    for (Boxes.Node c : stbl.children()) {
                        switch (c.type()) {
                            case "stco" -> table(out, c, c.box().payloadStart() + 4, 4);
                            case "co64" -> table(out, c, c.box().payloadStart() + 4, 8);
                            case "saio" -> saio(out, c);
                            default -> { }
                        }
                    }
                }
            }
            case "moof" -> {
                for (Boxes.Node traf : n.all("traf")) {
                    Boxes.Node tfhd = traf.first("tfhd");
                    if (tfhd != null && tfhd.box().size() >= tfhd.box().headerSize() + 16
                            && (out[tfhd.box().payloadStart() + 3] & 1) != 0) {
                        int at = tfhd.box().payloadStart() + 8;
                        Boxes.putU64(out, at, map(Boxes.u64(out, at), "tfhd base data offset"));
                    }
                }
            }
            case "mfra" -> {
                for (Boxes.Node tfra : n.all("tfra")) {
                    tfra(out, tfra);
                }
            }
            default -> { }
        }
    }

    /** A count followed by 32- or 64-bit offsets. */
    private void table(byte[] out, Boxes.Node box, int countAt, int width) {
        long count = Boxes.u32(out, countAt);
        int end = box.box().end();
        for (long i = 0; i < count; i++) {
            int at = countAt + 4 + (int) i * width;
            if (at + width > end) {
                break;
            }
            if (width == 4) {
                long v = map(Boxes.u32(out, at), "chunk offset");
                if (v > 0xFFFFFFFFL) {
                    throw AigcmarkException.limit("a 32-bit chunk offset would overflow after adding the label (a file over 4 GiB)");
                }
                Boxes.putU32(out, at, v);
            } else {
                Boxes.putU64(out, at, map(Boxes.u64(out, at), "chunk offset"));
            }
        }
    }

    private void saio(byte[] out, Boxes.Node saio) {
        int p = saio.box().payloadStart();
        int version = out[p] & 0xFF;
        boolean hasType = (out[p + 3] & 1) != 0;
        int countAt = p + 4 + (hasType ? 8 : 0);
        if (countAt + 4 <= saio.box().end()) {
            table(out, saio, countAt, version == 0 ? 4 : 8);
        }
    }

    private void tfra(byte[] out, Boxes.Node tfra) {
        int p = tfra.box().payloadStart();
        int end = tfra.box().end();
        if (p + 16 > end) {
            return;
        }
        int version = out[p] & 0xFF;
        long sizes = Boxes.u32(out, p + 8);
        int extra = (int) (((sizes >> 4) & 3) + 1 + ((sizes >> 2) & 3) + 1 + (sizes & 3) + 1);
        long count = Boxes.u32(out, p + 12);
        int width = version == 1 ? 8 : 4;
        int at = p + 16;
        for (long i = 0; i < count && at + 2 * width + extra <= end; i++) {
            int offsetAt = at + width;
            if (width == 8) {
                Boxes.putU64(out, offsetAt, map(Boxes.u64(out, offsetAt), "tfra fragment offset"));
            } else {
                Boxes.putU32(out, offsetAt, map(Boxes.u32(out, offsetAt), "tfra fragment offset"));
            }
            at += 2 * width + extra;
        }
    }

    /** Where the byte at old offset {@code v} is now. */
    private long map(long v, String what) {
        if (v == oldLength) {
            return newLength;
        }
        int lo = 0;
        int hi = oldStart.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (v < oldStart[mid]) {
                hi = mid - 1;
            } else if (v >= oldEnd[mid]) {
                lo = mid + 1;
            } else {
                if (rewritten[mid]) {
                    throw AigcmarkException.corrupt("a " + what + " (" + v + ") points into the '" + type[mid]
                            + "' box, not at media data: cannot move it safely");
                }
                return v - oldStart[mid] + newStart[mid];
            }
        }
        throw AigcmarkException.corrupt("a " + what + " (" + v + ") points outside the file");
    }
}
