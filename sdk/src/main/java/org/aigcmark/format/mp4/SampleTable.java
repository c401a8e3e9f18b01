package org.aigcmark.format.mp4;

import java.util.List;

/**
 * Checks that a track's samples lie inside the file: every chunk offset ({@code stco}/{@code co64}) plus the sizes
 * of the samples the chunk holds ({@code stsc}, {@code stsz}) must end within the file. This is what catches a
 * file cut inside its media data, or a sample table pointing at bytes that are not there. The work is bounded by
 * the table sizes actually present in the file, never by declared counts.
 */
final class SampleTable {
    private SampleTable() {}

    /** Adds damage for track {@code number}; returns the number of samples the track lists. */
    static long check(byte[] b, Boxes.Node trak, int number, List<String> damage) {
        Boxes.Node stbl = trak.path("mdia", "minf", "stbl");
        if (stbl == null || !selfContained(b, trak)) {
            return 0;
        }
        Boxes.Node stsz = stbl.first("stsz");
        Boxes.Node stsc = stbl.first("stsc");
        Boxes.Node stco = stbl.first("stco");
        Boxes.Node co64 = stbl.first("co64");
        Boxes.Node offsets = stco != null ? stco : co64;
        if (stsz == null || stsc == null || offsets == null) {
            return 0; // fragmented files keep empty or no tables in moov; stz2 is not checked
        }
        String track = "track " + number;
        int entrySize = offsets == stco ? 4 : 8;
        int op = offsets.box().payloadStart() + 4;
        if (op + 4 > offsets.box().end()) {
            damage.add(track + ": chunk offset table too short");
            return 0;
        }
        long chunks = Boxes.u32(b, op);
        if (chunks * entrySize > offsets.box().end() - op - 4) {
            damage.add(track + ": chunk offset table declares " + chunks + " chunks but holds fewer (corrupt sample table)");
            return 0;
        }
        int zp = stsz.box().payloadStart() + 4;
        if (zp + 8 > stsz.box().end()) {
            damage.add(track + ": sample size table too short");
            return 0;
        }
        long constantSize = Boxes.u32(b, zp);
        long sampleCount = Boxes.u32(b, zp + 4);
        if (constantSize == 0 && sampleCount * 4 > stsz.box().end() - zp - 8) {
            damage.add(track + ": sample size table declares " + sampleCount + " samples but holds fewer (corrupt sample table)");
            return 0;
        }
        int cp = stsc.box().payloadStart() + 4;
        if (cp + 4 > stsc.box().end()) {
            damage.add(track + ": sample-to-chunk table too short");
            return 0;
        }
        long runs = Boxes.u32(b, cp);
        if (runs * 12 > stsc.box().end() - cp - 4) {
            damage.add(track + ": sample-to-chunk table declares " + runs + " entries but holds fewer (corrupt sample table)");
            return 0;
        }
        long sample = 0;
        int run = 0;
        for (long chunk = 1; chunk <= chunks; chunk++) {
            while (run + 1 < runs && Boxes.u32(b, cp + 4 + (run + 1) * 12) <= chunk) {
                run++;
            }
            long perChunk = runs == 0 ? 0 : Boxes.u32(b, cp + 4 + run * 12 + 4);
            long bytes;
            if (constantSize != 0) {
                bytes = perChunk * constantSize;
                sample += perChunk;
            } else {
                bytes = 0;
                for (long s = 0; s < perChunk && sample < sampleCount; s++, sample++) {
                    bytes += Boxes.u32(b, zp + 8 + (int) sample * 4);
                }
            }
            int at = op + 4 + (int) (chunk - 1) * entrySize;
            long offset = entrySize == 4 ? Boxes.u32(b, at) : Boxes.u64(b, at);
            if (offset < 0 || offset + bytes > b.length) {
                damage.add(track + ": chunk " + chunk + " at byte " + offset + " with " + bytes
                        + " bytes of samples runs past the end of the file (" + b.length
                        + " bytes): the media data is truncated or the sample table is corrupt");
                return sampleCount;
            }
        }
        return Math.max(sampleCount, sample);
    }

    /** Whether the track's media is in this file (a data reference without the self-contained flag points elsewhere). */
    static boolean selfContained(byte[] b, Boxes.Node trak) {
        Boxes.Node dref = trak.path("mdia", "minf", "dinf", "dref");
        if (dref == null || dref.box().size() < dref.box().headerSize() + 8 + 12) {
            return true;
        }
        int entry = dref.box().payloadStart() + 8;
        return (b[entry + 11] & 1) == 1; // flags of the first 'url ' / 'alis' entry
    }
}
