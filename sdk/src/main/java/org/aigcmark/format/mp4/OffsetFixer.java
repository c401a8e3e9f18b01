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
    private final Boxes old;
    private final int[] newStart;
    private final boolean[] rewritten;
    private final byte[] out;

    OffsetFixer(Boxes old, int[] newStart, boolean[] rewritten, byte[] out) {
        this.old = old;
        this.newStart = newStart;
        this.rewritten = rewritten;
        this.out = out;
    }

    void fix() {
        boolean moved = false;
        for (int i = 0; i < newStart.length; i++) {
            moved |= !rewritten[i] && newStart[i] != old.top.get(i).box().start();
        }
        if (!moved) {
            return; // the common faststart case with room in 'free', or moov after the media
        }
        Boxes now = Boxes.parse(out);
        if (!now.damage.isEmpty()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "rewritten MP4 does not parse: " + now.damage.get(0));
        }
        for (Boxes.Node n : now.top) {
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
                                case "stco" -> table(c, c.box().payloadStart() + 4, 4);
                                case "co64" -> table(c, c.box().payloadStart() + 4, 8);
                                case "saio" -> saio(c);
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
                        tfra(tfra);
                    }
                }
                default -> { }
            }
        }
    }

    /** A count followed by 32- or 64-bit offsets. */
    private void table(Boxes.Node box, int countAt, int width) {
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

    private void saio(Boxes.Node saio) {
        int p = saio.box().payloadStart();
        int version = out[p] & 0xFF;
        boolean hasType = (out[p + 3] & 1) != 0;
        int countAt = p + 4 + (hasType ? 8 : 0);
        if (countAt + 4 <= saio.box().end()) {
            table(saio, countAt, version == 0 ? 4 : 8);
        }
    }

    private void tfra(Boxes.Node tfra) {
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
        if (v == old.b.length) {
            return out.length;
        }
        int lo = 0;
        int hi = old.top.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Boxes.Box box = old.top.get(mid).box();
            if (v < box.start()) {
                hi = mid - 1;
            } else if (v >= box.end()) {
                lo = mid + 1;
            } else {
                if (rewritten[mid]) {
                    throw AigcmarkException.corrupt("a " + what + " (" + v + ") points into the '" + box.type()
                            + "' box, not at media data: cannot move it safely");
                }
                return v - box.start() + newStart[mid];
            }
        }
        throw AigcmarkException.corrupt("a " + what + " (" + v + ") points outside the file");
    }
}
