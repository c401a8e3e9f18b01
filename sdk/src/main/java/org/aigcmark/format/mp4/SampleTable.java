package org.aigcmark.format.mp4;

import java.util.List;

/**
 * Checks that a track's samples lie inside the file and, for H.264/HEVC, that each sample is a well-formed
 * sequence of length-prefixed NAL units. First: every chunk offset ({@code stco}/{@code co64}) plus the sizes
 * of the samples the chunk holds ({@code stsc}, {@code stsz}) must end within the file. This is what catches a
 * file cut inside its media data, or a sample table pointing at bytes that are not there. The work is bounded by
 * the table sizes actually present in the file, never by declared counts. The NAL check reads only the length
 * fields and one header byte per unit: it catches garbled or zeroed packets (the framing no longer adds up to
 * the sample size), not damage inside slice data, which only a decoder sees.
 */
final class SampleTable {
    private SampleTable() {}

    /**
     * The file as the sample table sees it: its length and single bytes at absolute offsets. The tables themselves
     * are read from the {@code moov} bytes; only the NAL check peeks into the media, so a file on disk needs only
     * a few bytes per sample read.
     */
    interface Media {
        long length();

        int byteAt(long position);

        static Media of(byte[] file) {
            return new Media() {
                public long length() {
                    return file.length;
                }

                public int byteAt(long position) {
                    return file[(int) position] & 0xFF;
                }
            };
        }

        static Media of(org.aigcmark.internal.ChannelSource file) {
            return new Media() {
                public long length() {
                    return file.size();
                }

                public int byteAt(long position) {
                    return file.byteAt(position);
                }
            };
        }
    }

    /**
     * Adds damage for track {@code number}; returns the number of samples the track lists. {@code b} holds the
     * track's boxes ({@code trak}'s offsets index it); {@code media} is the whole file.
     */
    static long check(byte[] b, Boxes.Node trak, int number, Media media, List<String> damage) {
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
        int nalLengthSize = nalLengthSize(b, stbl);
        boolean reported = false;
        long sample = 0;
        int run = 0;
        for (long chunk = 1; chunk <= chunks; chunk++) {
            while (run + 1 < runs && Boxes.u32(b, cp + 4 + (run + 1) * 12) <= chunk) {
                run++;
            }
            long perChunk = runs == 0 ? 0 : Boxes.u32(b, cp + 4 + run * 12 + 4);
            long chunkFirst = sample;
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
            if (nalLengthSize > 0 && constantSize == 0 && !reported && offset >= 0 && offset + bytes <= media.length()) {
                // walk this chunk's samples again, now with their positions
                long pos = offset;
                for (long s = chunkFirst; s < sample; s++) {
                    long size = Boxes.u32(b, zp + 8 + (int) s * 4);
                    String bad = nalProblem(media, pos, size, nalLengthSize);
                    if (bad != null) {
                        damage.add(track + ": sample " + (s + 1) + " at byte " + pos + " is a corrupt packet (" + bad + ")");
                        reported = true;
                        break;
                    }
                    pos += size;
                }
            }
            if (offset < 0 || offset + bytes > media.length()) {
                damage.add(track + ": chunk " + chunk + " at byte " + offset + " with " + bytes
                        + " bytes of samples runs past the end of the file (" + media.length()
                        + " bytes): the media data is truncated or the sample table is corrupt");
                return sampleCount;
            }
        }
        return Math.max(sampleCount, sample);
    }

    /**
     * The NAL length-field size (1, 2 or 4) of an H.264 ({@code avcC}) or HEVC ({@code hvcC}) track, or 0 for any
     * other codec (or an encrypted, unknown or malformed sample description).
     */
    static int nalLengthSize(byte[] b, Boxes.Node stbl) {
        Boxes.Node stsd = stbl.first("stsd");
        if (stsd == null || stsd.box().size() < stsd.box().headerSize() + 8 + 86) {
            return 0;
        }
        int entry = stsd.box().payloadStart() + 8;
        long entrySize = Boxes.u32(b, entry);
        String format = new String(b, entry + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        boolean avc = format.equals("avc1") || format.equals("avc3");
        boolean hevc = format.equals("hvc1") || format.equals("hev1");
        if ((!avc && !hevc) || entrySize < 86 + 8 || entry + entrySize > stsd.box().end()) {
            return 0;
        }
        int p = entry + 86; // after the visual sample entry fields
        int end = entry + (int) entrySize;
        while (p + 8 <= end) {
            long size = Boxes.u32(b, p);
            String type = new String(b, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (size < 8 || size > end - p) {
                return 0;
            }
            if (avc && type.equals("avcC") && size >= 8 + 5) {
                int n = (b[p + 8 + 4] & 3) + 1;
                return n == 3 ? 0 : n;
            }
            if (hevc && type.equals("hvcC") && size >= 8 + 22) {
                int n = (b[p + 8 + 21] & 3) + 1;
                return n == 3 ? 0 : n;
            }
            p += (int) size;
        }
        return 0;
    }

    /** Why the sample at {@code pos} is not a sequence of length-prefixed NAL units filling {@code size}, or null. */
    static String nalProblem(Media media, long pos, long size, int lengthSize) {
        long p = 0;
        int units = 0;
        while (p < size) {
            if (size - p < lengthSize + 1) {
                return (size - p) + " stray bytes after " + units + " NAL units";
            }
            long len = 0;
            for (int i = 0; i < lengthSize; i++) {
                len = (len << 8) | media.byteAt(pos + p + i);
            }
            if (len == 0 || len > size - p - lengthSize) {
                return "NAL unit " + (units + 1) + " declares " + len + " bytes, " + (size - p - lengthSize) + " left in the "
                        + size + "-byte sample";
            }
            if ((media.byteAt(pos + p + lengthSize) & 0x80) != 0) {
                return "NAL unit " + (units + 1) + " has its forbidden bit set";
            }
            p += lengthSize + len;
            units++;
        }
        return null;
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
